import { splitApiVersion } from "./api-version.ts";
import { currentFluxCrds, legacyFluxCrds, thirdPartyCrds } from "./crd-catalog.ts";
import { kubernetesCatalog } from "./kubernetes-catalog.ts";

let builtInScopes: Map<string, boolean> | undefined;

function builtInScope(group: string, kind: string): boolean | undefined {
  if (builtInScopes === undefined) {
    builtInScopes = new Map();
    for (const { apiVersion, kind: scopedKind, namespaced } of kubernetesCatalog().scopes) {
      // A kind keeps its scope across versions, so the group is enough (apps/v1beta2 Deployment is namespaced too).
      builtInScopes.set(`${splitApiVersion(apiVersion).group}/${scopedKind}`, !namespaced);
    }
  }
  return builtInScopes.get(`${group}/${kind}`);
}

/**
 * Whether objects of this kind are cluster-scoped (`true`), namespaced (`false`) or unknown here (`undefined`):
 * Flux kinds from the `scope` of the vendored CRDs, built-in kinds from the Kubernetes API (the vendored table in
 * `kubernetes/kubernetes-schemas.json`), the kinds of the vendored third-party CRDs (cert-manager) from theirs.
 * Other custom resources are `undefined`.
 *
 * @example
 * ```ts
 * isClusterScoped("v1", "Namespace"); // true
 * isClusterScoped("helm.toolkit.fluxcd.io/v2", "HelmRelease"); // false
 * isClusterScoped("cert-manager.io/v1", "ClusterIssuer"); // true
 * isClusterScoped("monitoring.coreos.com/v1", "ServiceMonitor"); // undefined
 * ```
 */
export function isClusterScoped(apiVersion: string, kind: string): boolean | undefined {
  // Asked for every object of every layer (flux-apply, the namespace checks): the answer never changes, so it is
  // kept by apiVersion, then kind, which looks both strings up as they are instead of joining them.
  let byKind = scopes.get(apiVersion);
  if (byKind === undefined) scopes.set(apiVersion, (byKind = new Map<string, boolean | undefined>()));
  if (byKind.has(kind)) return byKind.get(kind);
  const scope = lookUpScope(apiVersion, kind);
  byKind.set(kind, scope);
  return scope;
}

const scopes = new Map<string, Map<string, boolean | undefined>>();

function lookUpScope(apiVersion: string, kind: string): boolean | undefined {
  const { group } = splitApiVersion(apiVersion);
  const builtIn = builtInScope(group, kind);
  if (builtIn !== undefined) return builtIn;
  const current = currentFluxCrds();
  if (!current.hasGroup(group)) {
    const vendored = thirdPartyCrds().find(group, kind);
    return vendored === undefined ? undefined : !vendored.namespaced;
  }
  const crd = current.find(group, kind) ?? legacyFluxCrds().find(group, kind);
  return crd === undefined ? undefined : !crd.namespaced;
}
