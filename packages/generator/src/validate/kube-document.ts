import { isPlainObject } from "@flux-fleet/profiles";

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
    isPlainObject(doc) &&
    typeof doc.apiVersion === "string" &&
    typeof doc.kind === "string" &&
    isPlainObject(doc.metadata) &&
    typeof doc.metadata.name === "string"
  );
}

export function describeDocument(doc: KubeDocument): string {
  return `${doc.kind}/${doc.metadata.namespace ? `${doc.metadata.namespace}/` : ""}${doc.metadata.name}`;
}
