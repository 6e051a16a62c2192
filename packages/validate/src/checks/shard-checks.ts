import { SHARD_LABEL } from "@flux-fleet/models";
import type { Issue, Where } from "../errors.ts";
import { describeDocument, type KubeDocument } from "../spoke-view/kube-document.ts";
import type { ClusterFacts, Spoke, SpokeLayer } from "../spoke-view/spoke-model.ts";

/** The shard labels of every Flux Kustomization on the hub, by `namespace/name` (absent: the main controllers). */
export type KustomizationShards = ReadonlyMap<string, string | undefined>;

/** Kinds a Flux controller reconciles, so the shard label decides which controller set picks them up. */
function isReconciled(doc: KubeDocument): boolean {
  return doc.kind === "HelmRelease" || doc.apiVersion.startsWith("source.toolkit.fluxcd.io/");
}

const shardLabel = (doc: KubeDocument): string | undefined => doc.metadata.labels?.[SHARD_LABEL];
const describeShard = (shard: string | undefined) => (shard === undefined ? "the main controllers" : `shard "${shard}"`);

/**
 * The sharding of one spoke's hub objects: every Kustomization, HelmRelease and source of the spoke carries its
 * shard's `sharding.fluxcd.io/key` (and the HelmCharts, through `chart.metadata.labels`), no object names a shard
 * the hub runs no controllers for, and no `dependsOn` or chart source crosses from one shard to another (the
 * controllers of one shard never see the other's objects, so Flux would wait forever).
 *
 * @example
 * ```ts
 * const issues = checkSpokeShards(spoke, kustomizationShards, facts, new Set(["shard-1"]));
 * ```
 */
export function checkSpokeShards(
  spoke: Spoke,
  kustomizations: KustomizationShards,
  facts: ClusterFacts | undefined,
  known: ReadonlySet<string> | undefined,
): Issue[] {
  const issues: Issue[] = [];
  const error = (where: Where, message: string) => issues.push({ severity: "error", message, where: { cluster: spoke.name, ...where } });
  const expected = facts?.shard;
  const checkLabel = (doc: KubeDocument, where: Where, how: string) => {
    const shard = shardLabel(doc);
    if (shard !== undefined && known !== undefined && !known.has(shard))
      error(
        where,
        `${describeDocument(doc)} is labelled ${SHARD_LABEL}: ${shard}, a shard the hub runs no controllers for${known.size > 0 ? ` (it has ${[...known].map((s) => `"${s}"`).join(", ")})` : ""}: nothing would reconcile it; use a shard of defineFleet({ hub: { shards } }).`,
      );
    else if (facts && shard !== expected)
      error(
        where,
        expected === undefined
          ? `${describeDocument(doc)} is labelled ${SHARD_LABEL}: ${shard ?? ""}, but spoke "${spoke.name}" is reconciled by the main controllers: remove the label ${how}.`
          : `${describeDocument(doc)} ${shard === undefined ? "has no" : `is labelled ${SHARD_LABEL}: ${shard}, not the`} ${SHARD_LABEL}: ${expected} label of spoke "${spoke.name}"'s shard, so ${describeShard(shard)} would reconcile it: label it ${how}.`,
      );
  };

  for (const layer of spoke.layers) {
    const kustomization = layer.kustomization.doc;
    const at = (field: string, object?: string): Where => ({
      generated: object ? layer.dir : layer.kustomization.file,
      object: object ?? describeDocument(kustomization),
      field,
    });
    checkLabel(kustomization, at(`metadata.labels.${SHARD_LABEL}`), "in its metadata.labels");
    const own = shardLabel(kustomization);
    for (const [i, dependency] of (layer.kustomization.spec.dependsOn ?? []).entries()) {
      const key = `${dependency.namespace ?? spoke.name}/${dependency.name ?? ""}`;
      if (!kustomizations.has(key)) continue;
      const other = kustomizations.get(key);
      if (other !== own)
        error(
          at(`spec.dependsOn[${i}]`),
          `Depends on Kustomization "${key}" of ${describeShard(other)}, but this Kustomization is on ${describeShard(own)}: the controllers of one shard never see the other's objects, so it would wait forever; keep dependent Kustomizations on one shard.`,
        );
    }
    if (layer.appliesTo === "hub") checkHubObjects(layer, checkLabel, error, spoke);
  }
  return issues;
}

function checkHubObjects(
  layer: SpokeLayer,
  checkLabel: (doc: KubeDocument, where: Where, how: string) => void,
  error: (where: Where, message: string) => void,
  spoke: Spoke,
): void {
  const objects = (layer.applied?.objects ?? []).filter(isReconciled);
  const byKey = new Map(objects.map((doc) => [`${doc.kind}/${doc.metadata.namespace ?? spoke.name}/${doc.metadata.name}`, doc]));
  for (const doc of objects) {
    const object = describeDocument(doc);
    const where = (field: string): Where => ({ generated: layer.dir, object, field });
    checkLabel(
      doc,
      where(`metadata.labels.${SHARD_LABEL}`),
      `through spec.commonMetadata.labels of Kustomization "${layer.kustomization.doc.metadata.name}"`,
    );
    if (doc.kind !== "HelmRelease") continue;
    const spec = (doc["spec"] ?? {}) as {
      chart?: {
        metadata?: { labels?: Record<string, string> };
        spec?: { sourceRef?: { kind?: string; name?: string; namespace?: string } };
      };
      dependsOn?: Array<{ name?: string; namespace?: string }>;
    };
    const own = shardLabel(doc);
    const namespace = doc.metadata.namespace ?? spoke.name;
    if (spec.chart?.spec && spec.chart.metadata?.labels?.[SHARD_LABEL] !== own)
      error(
        where(`spec.chart.metadata.labels.${SHARD_LABEL}`),
        `The HelmChart of ${object} ${spec.chart.metadata?.labels?.[SHARD_LABEL] === undefined ? "has no shard label" : `is labelled ${SHARD_LABEL}: ${spec.chart.metadata.labels[SHARD_LABEL]}`}, while the release is on ${describeShard(own)}: set spec.chart.metadata.labels to the release's shard, or the other controller set fetches its chart.`,
      );
    const source = spec.chart?.spec?.sourceRef;
    const sourceDoc = source ? byKey.get(`${source.kind}/${source.namespace ?? namespace}/${source.name}`) : undefined;
    if (sourceDoc && shardLabel(sourceDoc) !== own)
      error(
        where("spec.chart.spec.sourceRef"),
        `Its chart source ${describeDocument(sourceDoc)} is on ${describeShard(shardLabel(sourceDoc))}, but the release is on ${describeShard(own)}: label a release and its source with the same shard.`,
      );
    for (const [i, dependency] of (spec.dependsOn ?? []).entries()) {
      const other = byKey.get(`HelmRelease/${dependency.namespace ?? namespace}/${dependency.name ?? ""}`);
      if (other && shardLabel(other) !== own)
        error(
          where(`spec.dependsOn[${i}]`),
          `Depends on ${describeDocument(other)} of ${describeShard(shardLabel(other))}, but this release is on ${describeShard(own)}: the controllers of one shard never see the other's objects; keep dependent releases on one shard.`,
        );
    }
  }
}
