import { isPlainObject } from "@flux-fleet/profiles";

/** A JSON merge patch (RFC 7386), which is how kustomize applies a strategic-merge patch to a custom resource. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}
