import type { Issue } from "../errors.ts";
import type { Spoke } from "../spoke-view/spoke-model.ts";
import { describeDocument, isKubeDocument, type KubeDocument } from "../spoke-view/kube-document.ts";
import type { EditIn } from "../spoke-view/spoke-model.ts";

/**
 * The notification objects of the hub files: every Alert's `providerRef` names a Provider in its namespace
 * (notification-controller resolves it there only), and and so receives events.
 *
 * @example
 * ```ts
 * const issues = checkNotifications(editIn, [{ file: "hub/staging.yaml", doc }]);
 * ```
 */
export function checkNotifications(editIn: EditIn, documents: ReadonlyArray<{ file: string; doc: unknown }>): Issue[] {
  const issues: Issue[] = [];
  const providers = new Set<string>();
  for (const { doc } of documents) {
    if (!isKubeDocument(doc)) continue;
    const key = `${doc.metadata.namespace ?? "flux-system"}/${doc.metadata.name}`;
    if (doc.kind === "Provider" && doc.apiVersion.startsWith("notification.toolkit.fluxcd.io/")) providers.add(key);
  }
  for (const { file, doc } of documents) {
    if (!isKubeDocument(doc) || doc.kind !== "Alert" || !doc.apiVersion.startsWith("notification.toolkit.fluxcd.io/")) continue;
    const namespace = doc.metadata.namespace ?? "flux-system";
    const spec = (doc["spec"] ?? {}) as { providerRef?: { name?: string } };
    const provider = spec.providerRef?.name;
    if (provider !== undefined && !providers.has(`${namespace}/${provider}`))
      issues.push({
        severity: "error",
        message: `Its providerRef names Provider "${namespace}/${provider}", which is not on the hub: notification-controller looks for it in the Alert's namespace, so no event would be sent.`,
        where: {
          generated: file,
          file: editIn(file),
          object: describeDocument(doc),
          field: "spec.providerRef.name",
        },
      });
  }
  return issues;
}

/**
 * The hub's notification Alerts by namespace, in file order: each spoke's checks read only its own namespace's,
 * so that checking every spoke does not scan every hub document again.
 *
 * @example
 * ```ts
 * const alerts = alertsByNamespace(hubDocuments);
 * checkAlertSources(editIn, spoke, alerts.get(spoke.name) ?? []);
 * ```
 */
export function alertsByNamespace(
  documents: ReadonlyArray<{ file: string; doc: unknown }>,
): Map<string, Array<{ file: string; doc: KubeDocument }>> {
  const alerts = new Map<string, Array<{ file: string; doc: KubeDocument }>>();
  for (const { file, doc } of documents) {
    if (!isKubeDocument(doc) || doc.kind !== "Alert") continue;
    const namespace = doc.metadata.namespace ?? "flux-system";
    let list = alerts.get(namespace);
    if (list === undefined) alerts.set(namespace, (list = []));
    list.push({ file, doc });
  }
  return alerts;
}

/**
 * The Alerts in a spoke's hub namespace that watch one named HelmRelease or Kustomization (a promotion's): the
 * object exists among what the spoke's Kustomizations create, or the Alert would never fire. `documents` may be
 * every hub document or only the spoke namespace's Alerts ({@link alertsByNamespace}).
 *
 * @example
 * ```ts
 * const issues = checkAlertSources(editIn, spoke, hubDocuments);
 * ```
 */
export function checkAlertSources(editIn: EditIn, spoke: Spoke, documents: ReadonlyArray<{ file: string; doc: unknown }>): Issue[] {
  const issues: Issue[] = [];
  if (documents.length === 0) return issues;
  const existing = new Set<string>(spoke.layers.map((layer) => `Kustomization/${spoke.name}/${layer.kustomization.doc.metadata.name}`));
  for (const layer of spoke.layers)
    for (const doc of layer.applied?.objects ?? [])
      existing.add(`${doc.kind}/${doc.metadata.namespace ?? spoke.name}/${doc.metadata.name}`);
  // Without what the layers build (a failed build is reported already), nothing can be said.
  if (spoke.layers.some((layer) => layer.appliesTo === "hub" && !layer.applied)) return issues;
  for (const { file, doc } of documents) {
    if (!isKubeDocument(doc) || doc.kind !== "Alert" || (doc.metadata.namespace ?? "flux-system") !== spoke.name) continue;
    const sources =
      ((doc["spec"] ?? {}) as { eventSources?: Array<{ kind?: string; name?: string; namespace?: string }> }).eventSources ?? [];
    sources.forEach((source, i) => {
      if (source.name === undefined || source.name.includes("*") || (source.kind !== "HelmRelease" && source.kind !== "Kustomization"))
        return;
      const key = `${source.kind}/${source.namespace ?? spoke.name}/${source.name}`;
      if (!existing.has(key))
        issues.push({
          severity: "error",
          message: `Watches ${source.kind} "${source.namespace ?? spoke.name}/${source.name}", which no Kustomization of spoke "${spoke.name}" creates: the Alert would never fire.`,
          where: {
            cluster: spoke.name,
            generated: file,
            file: editIn(file),
            object: describeDocument(doc),
            field: `spec.eventSources[${i}]`,
          },
        });
    });
  }
  return issues;
}
