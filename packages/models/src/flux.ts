import type { IHelmRelease } from "@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2/HelmRelease";
import type { IKustomization } from "@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization";
import type { IHelmRepository } from "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/HelmRepository";
import type { IGitRepository } from "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository";
import type { IOCIRepository } from "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/OCIRepository";
import type { IProvider } from "@kubernetes-models/flux-cd/notification.toolkit.fluxcd.io/v1beta3/Provider";
import type { IAlert } from "@kubernetes-models/flux-cd/notification.toolkit.fluxcd.io/v1beta3/Alert";
import { copyDefined, type ModelMetadata } from "./kubernetes-object.ts";
import { toObjectMeta, type ObjectMetaOptions } from "./object-meta.ts";

// The models are plain objects typed by @kubernetes-models/flux-cd: its classes (and the schema validators each
// loads) are loaded only by validateModel, which the generator does not need: it checks every object against
// the Flux CRDs themselves.

/** A notification-controller `Provider` (`notification.toolkit.fluxcd.io/v1beta3`), as a plain object. */
export type Provider = IProvider & { metadata: ModelMetadata<IProvider>; spec: ProviderSpec };
/** A notification-controller `Alert` (`notification.toolkit.fluxcd.io/v1beta3`), as a plain object. */
export type Alert = IAlert & { metadata: ModelMetadata<IAlert>; spec: AlertSpec };
/** A `HelmRelease` (`helm.toolkit.fluxcd.io/v2`), as a plain object. */
export type HelmRelease = IHelmRelease & { metadata: ModelMetadata<IHelmRelease>; spec: HelmReleaseSpec };
/** A Flux `Kustomization` (`kustomize.toolkit.fluxcd.io/v1`), as a plain object. */
export type Kustomization = IKustomization & { metadata: ModelMetadata<IKustomization>; spec: KustomizationSpec };
/** A `HelmRepository` (`source.toolkit.fluxcd.io/v1`), as a plain object. */
export type HelmRepository = IHelmRepository & { metadata: ModelMetadata<IHelmRepository>; spec: HelmRepositorySpec };
/** A `GitRepository` (`source.toolkit.fluxcd.io/v1`), as a plain object. */
export type GitRepository = IGitRepository & { metadata: ModelMetadata<IGitRepository>; spec: GitRepositorySpec };
/** An `OCIRepository` (`source.toolkit.fluxcd.io/v1`), as a plain object. */
export type OCIRepository = IOCIRepository & { metadata: ModelMetadata<IOCIRepository>; spec: OCIRepositorySpec };

export type ProviderSpec = NonNullable<IProvider["spec"]>;
export type AlertSpec = NonNullable<IAlert["spec"]>;

/**
 * A notification-controller `Provider` (`notification.toolkit.fluxcd.io/v1beta3`).
 *
 * @example
 * ```ts
 * createNotificationProvider({ name: "slack", namespace: "staging", spec: { type: "slack", secretRef: { name: "slack-webhook" } } });
 * ```
 */
export function createNotificationProvider(options: ObjectMetaOptions & { spec: ProviderSpec }): Provider {
  return { apiVersion: "notification.toolkit.fluxcd.io/v1beta3", kind: "Provider", metadata: toObjectMeta(options), spec: options.spec };
}

/**
 * A notification-controller `Alert` (`notification.toolkit.fluxcd.io/v1beta3`).
 *
 * @example
 * ```ts
 * createAlert({ name: "fleet", namespace: "staging", spec: { providerRef: { name: "slack" }, eventSources: [{ kind: "HelmRelease", name: "*" }] } });
 * ```
 */
export function createAlert(options: ObjectMetaOptions & { spec: AlertSpec }): Alert {
  return { apiVersion: "notification.toolkit.fluxcd.io/v1beta3", kind: "Alert", metadata: toObjectMeta(options), spec: options.spec };
}

export type HelmReleaseSpec = NonNullable<IHelmRelease["spec"]>;
export type KustomizationSpec = NonNullable<IKustomization["spec"]>;
export type HelmRepositorySpec = NonNullable<IHelmRepository["spec"]>;
export type GitRepositorySpec = NonNullable<IGitRepository["spec"]>;
export type OCIRepositorySpec = NonNullable<IOCIRepository["spec"]>;

/** A reference to a Flux source, as `sourceRef` fields take it. */
export interface SourceReference {
  kind: "GitRepository" | "OCIRepository" | "Bucket";
  name: string;
  namespace?: string;
}

/**
 * A `HelmRepository` (`source.toolkit.fluxcd.io/v1`) serving charts over HTTPS.
 *
 * @example
 * ```ts
 * createHelmRepository({ name: "cert-manager", spec: { interval: "24h", url: "https://charts.jetstack.io" } });
 * ```
 */
export function createHelmRepository(options: ObjectMetaOptions & { spec: HelmRepositorySpec }): HelmRepository {
  return { apiVersion: "source.toolkit.fluxcd.io/v1", kind: "HelmRepository", metadata: toObjectMeta(options), spec: options.spec };
}

/**
 * A `HelmRepository` of `type: oci`, for charts stored in an OCI registry.
 *
 * @example
 * ```ts
 * createOciHelmRepository({ name: "podinfo", interval: "12h", url: "oci://ghcr.io/stefanprodan/charts" });
 * ```
 */
export function createOciHelmRepository(options: ObjectMetaOptions & { interval: string; url: `oci://${string}` }): HelmRepository {
  return createHelmRepository({ ...options, spec: { interval: options.interval, type: "oci", url: options.url } });
}

/**
 * A `HelmRelease` (`helm.toolkit.fluxcd.io/v2`).
 *
 * @example
 * ```ts
 * createHelmRelease({
 *   name: "podinfo",
 *   spec: { interval: "50m", chart: { spec: { chart: "podinfo", sourceRef: { kind: "HelmRepository", name: "podinfo" } } } },
 * });
 * ```
 */
export function createHelmRelease(options: ObjectMetaOptions & { spec: HelmReleaseSpec }): HelmRelease {
  // A copy in which every key stays data: free-form Helm values may hold a `__proto__` key.
  return {
    apiVersion: "helm.toolkit.fluxcd.io/v2",
    kind: "HelmRelease",
    metadata: toObjectMeta(options),
    spec: copyDefined(options.spec) as HelmReleaseSpec,
  };
}

/**
 * A Flux `Kustomization` (`kustomize.toolkit.fluxcd.io/v1`).
 *
 * @example
 * ```ts
 * createFluxKustomization({
 *   name: "apps",
 *   namespace: "staging",
 *   spec: { interval: "1h", prune: true, path: "./clusters/staging/apps", sourceRef: gitRepositoryRef("flux-system", "flux-system") },
 * });
 * ```
 */
export function createFluxKustomization(options: ObjectMetaOptions & { spec: KustomizationSpec }): Kustomization {
  return { apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization", metadata: toObjectMeta(options), spec: options.spec };
}

/**
 * A `GitRepository` source (`source.toolkit.fluxcd.io/v1`).
 *
 * @example
 * ```ts
 * createGitRepository({ name: "fleet", namespace: "flux-system", spec: { interval: "1m", url: "https://github.com/org/fleet", ref: { branch: "main" } } });
 * ```
 */
export function createGitRepository(options: ObjectMetaOptions & { spec: GitRepositorySpec }): GitRepository {
  return { apiVersion: "source.toolkit.fluxcd.io/v1", kind: "GitRepository", metadata: toObjectMeta(options), spec: options.spec };
}

/**
 * An `OCIRepository` source (`source.toolkit.fluxcd.io/v1`).
 *
 * @example
 * ```ts
 * createOciRepository({ name: "manifests", namespace: "flux-system", spec: { interval: "5m", url: "oci://ghcr.io/org/manifests", ref: { tag: "latest" } } });
 * ```
 */
export function createOciRepository(options: ObjectMetaOptions & { spec: OCIRepositorySpec }): OCIRepository {
  return { apiVersion: "source.toolkit.fluxcd.io/v1", kind: "OCIRepository", metadata: toObjectMeta(options), spec: options.spec };
}

/**
 * A `sourceRef` to a `GitRepository`.
 *
 * @example
 * ```ts
 * gitRepositoryRef("flux-system", "flux-system"); // { kind: "GitRepository", name: "flux-system", namespace: "flux-system" }
 * ```
 */
export function gitRepositoryRef(name: string, namespace?: string): SourceReference {
  return { kind: "GitRepository", name, ...(namespace === undefined ? {} : { namespace }) };
}

/**
 * A `sourceRef` to an `OCIRepository`.
 *
 * @example
 * ```ts
 * ociRepositoryRef("manifests", "flux-system");
 * ```
 */
export function ociRepositoryRef(name: string, namespace?: string): SourceReference {
  return { kind: "OCIRepository", name, ...(namespace === undefined ? {} : { namespace }) };
}
