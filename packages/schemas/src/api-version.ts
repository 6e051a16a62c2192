/**
 * Splits an `apiVersion` into group and version; the core group is `""` (`v1` → `{ group: "", version: "v1" }`).
 *
 * @example
 * ```ts
 * splitApiVersion("helm.toolkit.fluxcd.io/v2"); // { group: "helm.toolkit.fluxcd.io", version: "v2" }
 * ```
 */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf("/");
  return slash === -1 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}
