import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

/** A kubernetes-models class, as far as {@link validateModel} uses it. */
export interface ModelClass {
  new (data: object): { validate(): void };
}

// The module of each kind the models create, by `apiVersion kind`: the classes carry kubernetes-models' own
// schema validators, which are large (each loads its generated ajv code and formats), so none is loaded until
// validateModel is called on an object of its kind.
const MODEL_MODULES: Readonly<Record<string, string>> = {
  "helm.toolkit.fluxcd.io/v2 HelmRelease": "@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2/HelmRelease",
  "kustomize.toolkit.fluxcd.io/v1 Kustomization": "@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization",
  "source.toolkit.fluxcd.io/v1 HelmRepository": "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/HelmRepository",
  "source.toolkit.fluxcd.io/v1 GitRepository": "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository",
  "source.toolkit.fluxcd.io/v1 OCIRepository": "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/OCIRepository",
  "notification.toolkit.fluxcd.io/v1beta3 Provider": "@kubernetes-models/flux-cd/notification.toolkit.fluxcd.io/v1beta3/Provider",
  "notification.toolkit.fluxcd.io/v1beta3 Alert": "@kubernetes-models/flux-cd/notification.toolkit.fluxcd.io/v1beta3/Alert",
  "v1 Namespace": "kubernetes-models/v1/Namespace",
  "v1 ConfigMap": "kubernetes-models/v1/ConfigMap",
  "v1 ServiceAccount": "kubernetes-models/v1/ServiceAccount",
  "rbac.authorization.k8s.io/v1 RoleBinding": "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding",
  "rbac.authorization.k8s.io/v1 ClusterRoleBinding": "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding",
};

const loaded = new Map<string, ModelClass>();

/**
 * The kubernetes-models class of a kind the models create, loaded (synchronously, with `require` of the ES module)
 * on first use; undefined for any other kind.
 */
export function modelClass(apiVersion: string, kind: string): ModelClass | undefined {
  const key = `${apiVersion} ${kind}`;
  const specifier = MODEL_MODULES[key];
  if (specifier === undefined) return undefined;
  let model = loaded.get(key);
  if (model === undefined) {
    // The packages export their modules for `import` only: resolve as import does, then load the file.
    const module = createRequire(import.meta.url)(fileURLToPath(import.meta.resolve(specifier))) as Record<string, ModelClass>;
    model = module[kind];
    if (model === undefined) return undefined;
    loaded.set(key, model);
  }
  return model;
}
