import { Namespace } from "kubernetes-models/v1/Namespace";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import { toObjectMeta, type ObjectMetaOptions } from "./object-meta.ts";

export { Namespace, ServiceAccount, RoleBinding, ClusterRoleBinding, ConfigMap };

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
  return new Namespace({ metadata: toObjectMeta(options) });
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
  return new ConfigMap({ metadata: toObjectMeta(options), data: { ...options.data } });
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
  return new ServiceAccount({ metadata: toObjectMeta(options) });
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
  return new RoleBinding({
    metadata: toObjectMeta(options),
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: options.clusterRole },
    subjects: [{ kind: "ServiceAccount", ...options.subject }],
  });
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
  return new ClusterRoleBinding({
    metadata: toObjectMeta(options),
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: options.clusterRole },
    subjects: [{ kind: "ServiceAccount", ...options.subject }],
  });
}
