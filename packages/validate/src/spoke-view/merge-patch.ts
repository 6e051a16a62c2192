import { isMapping } from "@flux-fleet/schemas";

/** A JSON merge patch (RFC 7386), which is how kustomize applies a strategic-merge patch to a custom resource. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isMapping(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isMapping(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}
