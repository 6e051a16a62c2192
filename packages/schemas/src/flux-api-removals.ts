/**
 * The Flux release that stopped serving each beta API version, from the release tags of the controllers (see
 * `crds/README.md`). Which versions were served before and are not now comes from the vendored CRDs themselves;
 * this table only adds the release to name in the message.
 *
 * @example
 * ```ts
 * FLUX_API_REMOVALS["helm.toolkit.fluxcd.io/v2beta2"]; // "2.8"
 * ```
 */
export const FLUX_API_REMOVALS: Readonly<Record<string, string>> = {
  "helm.toolkit.fluxcd.io/v2beta1": "2.7",
  "kustomize.toolkit.fluxcd.io/v1beta1": "2.7",
  "source.toolkit.fluxcd.io/v1beta1": "2.7",
  "notification.toolkit.fluxcd.io/v1beta1": "2.7",
  "helm.toolkit.fluxcd.io/v2beta2": "2.8",
  "kustomize.toolkit.fluxcd.io/v1beta2": "2.8",
  "source.toolkit.fluxcd.io/v1beta2": "2.8",
  "notification.toolkit.fluxcd.io/v1beta2": "2.9",
};
