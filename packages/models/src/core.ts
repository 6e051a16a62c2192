import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { IRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import type { IClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import type { ModelMetadata } from "./kubernetes-object.ts";
import { toObjectMeta, type ObjectMetaOptions } from "./object-meta.ts";

/** A `Namespace`, as a plain object typed by kubernetes-models. */
export type Namespace = INamespace & { metadata: ModelMetadata<INamespace> };
/** A `ConfigMap`, as a plain object typed by kubernetes-models. */
export type ConfigMap = IConfigMap & { metadata: ModelMetadata<IConfigMap> };
/** A `ServiceAccount`, as a plain object typed by kubernetes-models. */
export type ServiceAccount = IServiceAccount & { metadata: ModelMetadata<IServiceAccount> };
/** A `RoleBinding`, as a plain object typed by kubernetes-models. */
export type RoleBinding = IRoleBinding & { metadata: ModelMetadata<IRoleBinding> };
/** A `ClusterRoleBinding`, as a plain object typed by kubernetes-models. */
export type ClusterRoleBinding = IClusterRoleBinding & { metadata: ModelMetadata<IClusterRoleBinding> };

/** A ServiceAccount that a binding grants a role to. */
export interface ServiceAccountSubject {
  name: string;
  namespace: string;
}

/**
 * A `Namespace`.
 *
 * @example
 * ```ts
 * createNamespace({ name: "podinfo", labels: { "toolkit.fluxcd.io/tenant": "dev-team" } });
 * ```
 */
export function createNamespace(options: Omit<ObjectMetaOptions, "namespace">): Namespace {
  return { apiVersion: "v1", kind: "Namespace", metadata: toObjectMeta(options) };
}

/**
 * A `ConfigMap` holding plain string data (never a secret).
 *
 * @example
 * ```ts
 * createConfigMap({ name: "cluster-access", namespace: "staging", data: { provider: "generic", address: "https://staging:6443" } });
 * ```
 */
export function createConfigMap(options: ObjectMetaOptions & { namespace: string; data: Record<string, string> }): ConfigMap {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: toObjectMeta(options), data: { ...options.data } };
}

/**
 * A `ServiceAccount`.
 *
 * @example
 * ```ts
 * createServiceAccount({ name: "flux-restricted", namespace: "staging" });
 * ```
 */
export function createServiceAccount(options: ObjectMetaOptions & { namespace: string }): ServiceAccount {
  return { apiVersion: "v1", kind: "ServiceAccount", metadata: toObjectMeta(options) };
}

/**
 * A `RoleBinding` of a ClusterRole to a ServiceAccount: the role applies only inside the binding's namespace.
 *
 * @example
 * ```ts
 * createRoleBinding({ name: "flux", namespace: "podinfo", clusterRole: "cluster-admin", subject: { name: "flux-restricted", namespace: "staging" } });
 * ```
 */
export function createRoleBinding(
  options: ObjectMetaOptions & { namespace: string; clusterRole: string; subject: ServiceAccountSubject },
): RoleBinding {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: toObjectMeta(options),
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: options.clusterRole },
    subjects: [{ kind: "ServiceAccount", ...options.subject }],
  };
}

/**
 * A `ClusterRoleBinding` of a ClusterRole to a ServiceAccount, across the whole cluster.
 *
 * @example
 * ```ts
 * createClusterRoleBinding({ name: "flux-cluster-admin", clusterRole: "cluster-admin", subject: { name: "flux-cluster-admin", namespace: "staging" } });
 * ```
 */
export function createClusterRoleBinding(
  options: Omit<ObjectMetaOptions, "namespace"> & { clusterRole: string; subject: ServiceAccountSubject },
): ClusterRoleBinding {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: toObjectMeta(options),
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: options.clusterRole },
    subjects: [{ kind: "ServiceAccount", ...options.subject }],
  };
}
