import { isMapping } from "@flux-fleet/schemas";

/** A Kubernetes object as parsed from YAML. */
export interface KubeDocument {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export function isKubeDocument(value: unknown): value is KubeDocument {
  const doc = value as Partial<KubeDocument> | null;
  return (
    isMapping(doc) &&
    typeof doc.apiVersion === "string" &&
    typeof doc.kind === "string" &&
    isMapping(doc.metadata) &&
    typeof doc.metadata.name === "string"
  );
}

export function describeDocument(doc: KubeDocument): string {
  return `${doc.kind}/${doc.metadata.namespace ? `${doc.metadata.namespace}/` : ""}${doc.metadata.name}`;
}

/**
 * The objects of a list of documents with every `kind: List` (and `*List` with `items`, as kustomize reads
 * them) replaced by its items, recursively: a Secret wrapped in a List is still a Secret.
 *
 * @example
 * ```ts
 * unwrapLists([{ apiVersion: "v1", kind: "List", items: [secret] }]); // [secret]
 * ```
 */
export function unwrapLists(documents: readonly unknown[]): unknown[] {
  return documents.flatMap((doc) =>
    isMapping(doc) && typeof doc["kind"] === "string" && doc["kind"].endsWith("List") && Array.isArray(doc["items"])
      ? unwrapLists(doc["items"] as unknown[])
      : [doc],
  );
}
