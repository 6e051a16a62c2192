import type { JsonSchema } from "./chart-schema.ts";

/** Said in every inferred schema, so that a reader knows where its strictness comes from. */
export const INFERRED_DESCRIPTION =
  "Inferred by flux-fleet from the chart's default values.yaml: keys the defaults define are checked, maps whose default is {}, lists and null defaults are open; settings Kubernetes restricts (a Service's type, image pull and traffic policies) only take the values Kubernetes accepts.";

/**
 * Chart settings that hold a Kubernetes enum, recognised by their key (and the key of the object they sit in):
 * a default of one of these values makes the inferred schema accept only the values the API server accepts, so
 * `service.type: "Nodeport"` is an error like a misspelt key. A default of `""` (the chart's "unset") stays allowed.
 */
const KUBERNETES_ENUMS: ReadonlyArray<{ key: string; parent?: string; values: readonly string[] }> = [
  { parent: "service", key: "type", values: ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"] },
  { key: "pullPolicy", values: ["Always", "IfNotPresent", "Never"] },
  { key: "imagePullPolicy", values: ["Always", "IfNotPresent", "Never"] },
  { key: "externalTrafficPolicy", values: ["Cluster", "Local"] },
  { key: "internalTrafficPolicy", values: ["Cluster", "Local"] },
];

function kubernetesEnum(path: readonly string[], value: string): string[] | undefined {
  const key = path.at(-1);
  const parent = path.at(-2);
  const rule = KUBERNETES_ENUMS.find((r) => r.key === key && (r.parent === undefined || r.parent === parent));
  if (rule === undefined || (value !== "" && !rule.values.includes(value))) return undefined;
  return value === "" ? ["", ...rule.values] : [...rule.values];
}

/**
 * A values schema inferred from a chart's default values: each key's type is the type of its default; an object
 * with keys is closed (a key it does not have is an error, as a typo would be), while `{}`, lists and `null`
 * defaults accept anything, since charts use them for user-supplied maps, lists and optional settings.
 *
 * @example
 * ```ts
 * inferValuesSchema({ replicaCount: 1, podAnnotations: {} });
 * // { type: "object", additionalProperties: false, properties: { replicaCount: { type: "number", default: 1 }, podAnnotations: { type: "object" } } }
 * ```
 */
export function inferValuesSchema(values: unknown): JsonSchema {
  return { $schema: "http://json-schema.org/draft-07/schema#", description: INFERRED_DESCRIPTION, ...inferNode(values, []) };
}

function inferNode(value: unknown, path: readonly string[]): JsonSchema {
  if (value === null || value === undefined) return {};
  if (Array.isArray(value)) return { type: "array" };
  switch (typeof value) {
    case "string": {
      const allowed = kubernetesEnum(path, value);
      return allowed === undefined ? { type: "string" } : { type: "string", enum: allowed };
    }
    case "number":
      return { type: "number" };
    case "boolean":
      return { type: "boolean" };
    case "object": {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0) return { type: "object" };
      const properties: Record<string, JsonSchema> = {};
      for (const [key, child] of entries)
        Object.defineProperty(properties, key, { value: inferNode(child, [...path, key]), enumerable: true });
      return { type: "object", additionalProperties: false, properties };
    }
    default:
      return {};
  }
}
