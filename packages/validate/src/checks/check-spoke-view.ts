import type { CrdText } from "@flux-fleet/schemas";
import { SHARD_LABEL } from "@flux-fleet/models";
import type { Issue } from "../errors.ts";
import { collectSpokes, isFluxKustomization } from "../spoke-view/collect-spokes.ts";
import { isKubeDocument } from "../spoke-view/kube-document.ts";
import type { BuildOutcome, ClusterFacts, EditIn } from "../spoke-view/spoke-model.ts";
import { createSchemaChecker, type SkippedObject } from "./schema-checks.ts";
import { createSecretCheck } from "./secret-hygiene.ts";
import { checkSpoke, type HubIndex } from "./spoke-checks.ts";
import { checkSpokeShards } from "./shard-checks.ts";
import { alertsByNamespace, checkAlertSources, checkNotifications } from "./notification-checks.ts";

/** What the checks read: the files' objects, what each kustomization directory builds to, and the fleet's facts. */
export interface SpokeViewInput {
  /** Every YAML file's objects, by path (the hub's files are applied as they are, by the bootstrap Kustomization). */
  files: ReadonlyMap<string, readonly unknown[]>;
  /** What each kustomization directory builds to, by directory. */
  builds: ReadonlyMap<string, BuildOutcome>;
  editIn: EditIn;
  /** Cluster facts recorded by gen (production, pinning, kubeconfig Secret), by cluster name. */
  clusters?: ReadonlyMap<string, ClusterFacts> | undefined;
  /** The hub's shards (recorded by gen): a shard label naming another is an error; undefined skips that check. */
  shards?: readonly string[] | undefined;
  /** The CRDs the fleet ships (its components' `crds`): objects of their kinds are validated, not skipped. */
  crds?: readonly CrdText[] | undefined;
  /** `false` leaves the CRDs' CEL rules out (default `true`): only `pnpm bench` does, to measure their cost. */
  celRules?: boolean | undefined;
}

export interface SpokeViewReport {
  issues: Issue[];
  skipped: SkippedObject[];
  objects: number;
  spokes: number;
}

const BOOTSTRAP_SOURCE = "GitRepository/flux-system/flux-system";

/**
 * Every check of what Flux applies, on the spoke view, whichever producer built it (gen from what it rendered,
 * validate with real kustomize from the committed files): secrets in every file and build, the strict schemas
 * of every object Flux applies, and each spoke's Flux semantics, shards and notifications.
 *
 * @example
 * ```ts
 * const { issues } = checkSpokeView({ files, builds, editIn: (path) => editInOf.get(path) });
 * ```
 */
export function checkSpokeView(input: SpokeViewInput): SpokeViewReport {
  const { files, builds, editIn } = input;
  const issues: Issue[] = [];
  const schemas = createSchemaChecker({ crds: input.crds, celRules: input.celRules });
  // What kustomize builds (a secretGenerator's Secret, a kubeconfig a configMapGenerator read) is checked too;
  // a secret already reported in its file is not reported again.
  const secrets = createSecretCheck();
  for (const [path, documents] of files) secrets.check(documents, { generated: path, file: editIn(path) });

  const hubFiles = [...files.keys()].filter((path) => /^hub\/[^/]+\.ya?ml$/.test(path));
  const hubDocuments = hubFiles.flatMap((file) => (files.get(file) ?? []).map((doc) => ({ file, doc })));
  // The bootstrap Kustomization applies the hub files as they are, without a targetNamespace.
  for (const file of hubFiles) schemas.check(files.get(file) ?? [], { generated: file, file: editIn(file) }, { appliedByFlux: true });

  issues.push(...checkNotifications(editIn, hubDocuments));
  const hub: HubIndex = { kustomizations: new Set(), sources: new Set(), configMaps: new Map() };
  const bootstrapBuild = builds.get("hub/flux-system");
  const bootstrapObjects = bootstrapBuild?.ok ? bootstrapBuild.documents.filter(isKubeDocument) : [];
  if (!bootstrapObjects.some((doc) => doc.kind === "GitRepository")) hub.sources.add(BOOTSTRAP_SOURCE);
  for (const doc of [...bootstrapObjects, ...hubDocuments.map((d) => d.doc).filter(isKubeDocument)]) {
    if (doc.apiVersion.startsWith("source.toolkit.fluxcd.io/"))
      hub.sources.add(`${doc.kind}/${doc.metadata.namespace ?? "flux-system"}/${doc.metadata.name}`);
    if (doc.apiVersion === "v1" && doc.kind === "ConfigMap")
      hub.configMaps.set(`${doc.metadata.namespace ?? "flux-system"}/${doc.metadata.name}`, (doc["data"] ?? {}) as Record<string, unknown>);
  }

  const kustomizationShards = new Map<string, string | undefined>();
  for (const { doc } of hubDocuments) {
    if (!isFluxKustomization(doc)) continue;
    const namespace = doc.metadata.namespace ?? "flux-system";
    hub.kustomizations.add(`${namespace}/${doc.metadata.name}`);
    kustomizationShards.set(`${namespace}/${doc.metadata.name}`, doc.metadata.labels?.[SHARD_LABEL]);
  }
  const spokes = collectSpokes(hubDocuments, builds, { final: true });
  const layerDirs = new Set([...spokes.values()].flatMap((spoke) => spoke.layers.map((layer) => layer.dir)));
  const known = input.shards === undefined ? undefined : new Set(input.shards);
  const alerts = alertsByNamespace(hubDocuments);

  for (const spoke of spokes.values()) {
    const fleetFile = editIn(spoke.layers[0]?.kustomization.file ?? "");
    const facts = input.clusters?.get(spoke.name);
    for (const layer of spoke.layers) {
      schemas.check(
        layer.applied?.objects ?? [],
        { cluster: spoke.name, generated: layer.dir, file: fleetFile },
        { appliedByFlux: true, targetNamespace: layer.kustomization.spec.targetNamespace },
      );
      secrets.check(layer.applied?.objects ?? [], { cluster: spoke.name, generated: layer.dir, file: fleetFile });
    }
    for (const issue of checkSpoke(spoke, hub, facts)) issues.push({ ...issue, where: { file: fleetFile, ...issue.where } });
    issues.push(...checkAlertSources(editIn, spoke, alerts.get(spoke.name) ?? []));
    for (const issue of checkSpokeShards(spoke, kustomizationShards, facts, known))
      issues.push({ ...issue, where: { file: fleetFile, ...issue.where } });
  }

  // Directories no spoke applies directly: report their build failures, and validate what they build,
  // except the deploy/ bases, whose objects are checked through the overlays, as Flux applies them.
  for (const [dir, outcome] of builds) {
    if (layerDirs.has(dir)) continue;
    if (!outcome.ok) issues.push({ severity: "error", message: outcome.error, where: { generated: dir } });
    else {
      secrets.check(outcome.documents, { generated: dir });
      if (!dir.startsWith("deploy/")) schemas.check(outcome.documents, { generated: dir });
    }
  }
  const checked = schemas.result();
  return {
    issues: [...issues, ...secrets.issues, ...checked.issues],
    skipped: checked.skipped,
    objects: checked.validated,
    spokes: spokes.size,
  };
}
