/**
 * Whether a parsed YAML or JSON value is a mapping (an object that is neither `null` nor an array). Schemas, CRDs
 * and Kubernetes objects all come from parsers, so no prototype check is needed.
 *
 * @example
 * ```ts
 * isMapping({ kind: "Namespace" }); // true
 * isMapping(["a"]); // false
 * ```
 */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
