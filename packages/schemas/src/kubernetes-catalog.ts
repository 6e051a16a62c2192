import { readFileSync } from "node:fs";
import type { JsonSchema } from "./strict-schema.ts";

/** A built-in kind with a vendored schema. */
export interface KubernetesKind {
  apiVersion: string;
  kind: string;
  /** Key of the kind's schema in {@link KubernetesCatalog.definitions}. */
  definition: string;
}

/** Whether a built-in kind lives in a namespace, as the Kubernetes API serves it. */
export interface KubernetesScope {
  apiVersion: string;
  kind: string;
  namespaced: boolean;
}

/** The content of `kubernetes/kubernetes-schemas.json`. */
export interface KubernetesCatalog {
  source: { package: string; openapiSpec: string };
  kinds: KubernetesKind[];
  scopes: KubernetesScope[];
  definitions: Record<string, JsonSchema>;
}

/** The vendored built-in Kubernetes schemas (`kubernetes/kubernetes-schemas.json`). */
export const KUBERNETES_SCHEMAS_FILE = new URL("../kubernetes/kubernetes-schemas.json", import.meta.url);

let catalog: KubernetesCatalog | undefined;

/**
 * The vendored built-in Kubernetes schemas and scopes, read on first use and then shared.
 *
 * @example
 * ```ts
 * kubernetesCatalog().kinds.some((k) => k.kind === "Deployment"); // true
 * ```
 */
export function kubernetesCatalog(): KubernetesCatalog {
  catalog ??= JSON.parse(readFileSync(KUBERNETES_SCHEMAS_FILE, "utf8")) as KubernetesCatalog;
  return catalog;
}
