import type { JsonSchema } from "./chart-schema.ts";

/** Said in every inferred schema, so that a reader knows where its strictness comes from. */
export const INFERRED_DESCRIPTION =
  "Inferred by flux-fleet from the chart's default values.yaml: keys the defaults define are checked, maps whose default is {}, lists and null defaults are open.";

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
  return { $schema: "http://json-schema.org/draft-07/schema#", description: INFERRED_DESCRIPTION, ...inferNode(values) };
}

function inferNode(value: unknown): JsonSchema {
  if (value === null || value === undefined) return {};
  if (Array.isArray(value)) return { type: "array" };
  switch (typeof value) {
    case "string":
      return { type: "string" };
    case "number":
      return { type: "number" };
    case "boolean":
      return { type: "boolean" };
    case "object": {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0) return { type: "object" };
      const properties: Record<string, JsonSchema> = {};
      for (const [key, child] of entries) Object.defineProperty(properties, key, { value: inferNode(child), enumerable: true });
      return { type: "object", additionalProperties: false, properties };
    }
    default:
      return {};
  }
}
