export { SERVED_FLUX_API_VERSIONS, SHARD_LABEL } from "./api-versions.ts";
export { type KubernetesObject, type ModelProblem, validateModel, toPlainObject } from "./kubernetes-object.ts";
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
  Provider,
  Alert,
  createNotificationProvider,
  createAlert,
  HelmRelease,
  Kustomization,
  HelmRepository,
  GitRepository,
  OCIRepository,
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
  Namespace,
  ServiceAccount,
  RoleBinding,
  ClusterRoleBinding,
  ConfigMap,
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
