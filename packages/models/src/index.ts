export { SERVED_FLUX_API_VERSIONS, SHARD_LABEL } from "./api-versions.ts";
export {
  type KubernetesObject,
  type Model,
  type ModelMetadata,
  type ModelProblem,
  validateModel,
  toPlainObject,
} from "./kubernetes-object.ts";
export { type ObjectMetaOptions } from "./object-meta.ts";
export {
  type HelmReleaseSpec,
  type KustomizationSpec,
  type HelmRepositorySpec,
  type GitRepositorySpec,
  type OCIRepositorySpec,
  type SourceReference,
  type ProviderSpec,
  type AlertSpec,
  type Provider,
  type Alert,
  createNotificationProvider,
  createAlert,
  type HelmRelease,
  type Kustomization,
  type HelmRepository,
  type GitRepository,
  type OCIRepository,
  createHelmRepository,
  createOciHelmRepository,
  createHelmRelease,
  createFluxKustomization,
  createGitRepository,
  createOciRepository,
  gitRepositoryRef,
  ociRepositoryRef,
} from "./flux.ts";
export {
  type ServiceAccountSubject,
  type Namespace,
  type ServiceAccount,
  type RoleBinding,
  type ClusterRoleBinding,
  type ConfigMap,
  createConfigMap,
  createNamespace,
  createServiceAccount,
  createRoleBinding,
  createClusterRoleBinding,
} from "./core.ts";
export { type DefinitionSite, captureDefinitionSite, userStackFrames } from "./definition-site.ts";
export { optionKeys, unknownOptions } from "./option-keys.ts";
export { UserError } from "./user-error.ts";
export { findExecutable } from "./find-executable.ts";
