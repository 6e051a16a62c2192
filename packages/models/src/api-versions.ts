/**
 * The Flux API versions that current Flux (v2.9) serves, one per kind. Older versions
 * (`helm.toolkit.fluxcd.io/v2beta2`, `source.toolkit.fluxcd.io/v1beta2`, …) were removed in Flux 2.7 and 2.8.
 *
 * @example
 * ```ts
 * SERVED_FLUX_API_VERSIONS.HelmRelease; // "helm.toolkit.fluxcd.io/v2"
 * ```
 */
export const SERVED_FLUX_API_VERSIONS = {
  HelmRelease: "helm.toolkit.fluxcd.io/v2",
  Kustomization: "kustomize.toolkit.fluxcd.io/v1",
  GitRepository: "source.toolkit.fluxcd.io/v1",
  OCIRepository: "source.toolkit.fluxcd.io/v1",
  HelmRepository: "source.toolkit.fluxcd.io/v1",
  HelmChart: "source.toolkit.fluxcd.io/v1",
  Bucket: "source.toolkit.fluxcd.io/v1",
} as const satisfies Record<string, string>;

/**
 * The label Flux's controllers select their shard by (`--watch-label-selector`): the renderer sets it and
 * validate checks it, so it lives with the other Flux facts.
 *
 * @example
 * ```ts
 * SHARD_LABEL; // "sharding.fluxcd.io/key"
 * ```
 */
export const SHARD_LABEL = "sharding.fluxcd.io/key";
