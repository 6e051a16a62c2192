import type { Issue } from "../errors.ts";
import { describeDocument, isKubeDocument } from "./kube-document.ts";
import { editInFromHeader, type RepositoryTree } from "./repository-tree.ts";

/**
 * The notification objects of the hub files: every Alert's `providerRef` names a Provider in its namespace
 * (notification-controller resolves it there only), and and so receives events.
 *
 * @example
 * ```ts
 * const issues = checkNotifications(tree, [{ file: "hub/staging.yaml", doc }]);
 * ```
 */
export function checkNotifications(tree: RepositoryTree, documents: ReadonlyArray<{ file: string; doc: unknown }>): Issue[] {
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
          file: editInFromHeader(tree.get(file) ?? ""),
          object: describeDocument(doc),
          field: "spec.providerRef.name",
        },
      });
  }
  return issues;
}
