import {
  createClusterRoleBinding,
  createNamespace,
  createRoleBinding,
  createServiceAccount,
  type ClusterRoleBinding,
  type Namespace,
  type RoleBinding,
  type ServiceAccount,
} from "@flux-fleet/models";
import { TENANT_LABEL, type Tenant } from "./tenant.ts";

export type TenantObject = Namespace | ServiceAccount | RoleBinding | ClusterRoleBinding;

/** One file of the tenants layer and the objects it holds. */
export interface TenantsLayerFile {
  /** File name inside `deploy/tenants/`. */
  file: string;
  objects: TenantObject[];
}

export interface TenantsLayerOptions {
  /**
   * The namespace on each spoke that holds the Flux identities; the seed uses `${CLUSTER_NAME}`, which the
   * hub's tenants Kustomization substitutes with the spoke's name.
   */
  fluxNamespace: string;
  /** File name for the identities; default `flux.yaml`. */
  identitiesFile?: string;
}

/**
 * The tenants layer: the Flux identities namespace with the ServiceAccounts and the cluster-admin binding
 * (owned by the cluster-admins tenant), then one file per tenant namespace with its RoleBinding for app
 * operators. Expects checked input: exactly one cluster-admins tenant.
 *
 * @example
 * ```ts
 * renderTenantsLayer([sreTeam, devTeam], { fluxNamespace: "${CLUSTER_NAME}" });
 * // [{ file: "flux.yaml", … }, { file: "cert-manager.yaml", … }, …]
 * ```
 */
export function renderTenantsLayer(tenants: readonly Tenant[], options: TenantsLayerOptions): TenantsLayerFile[] {
  const admins = tenants.find((tenant) => tenant.kind === "cluster-admins");
  if (!admins) throw new Error("renderTenantsLayer needs a cluster-admins tenant");
  const fluxNamespace = options.fluxNamespace;
  const adminLabels = { [TENANT_LABEL]: admins.name };

  const identities: TenantObject[] = [createNamespace({ name: fluxNamespace, labels: adminLabels })];
  for (const tenant of tenants) {
    if (tenant.kind === "app-operators") {
      identities.push(createServiceAccount({ name: tenant.serviceAccountName, namespace: fluxNamespace, labels: adminLabels }));
    }
  }
  identities.push(
    createServiceAccount({ name: admins.serviceAccountName, namespace: fluxNamespace, labels: adminLabels }),
    createClusterRoleBinding({
      name: admins.serviceAccountName,
      labels: adminLabels,
      clusterRole: admins.clusterRole,
      subject: { name: admins.serviceAccountName, namespace: fluxNamespace },
    }),
  );

  const files: TenantsLayerFile[] = [{ file: options.identitiesFile ?? "flux.yaml", objects: identities }];
  for (const tenant of tenants) {
    const labels = { [TENANT_LABEL]: tenant.name };
    for (const namespace of tenant.namespaces) {
      const objects: TenantObject[] = [createNamespace({ name: namespace, labels })];
      if (tenant.kind === "app-operators") {
        objects.push(
          createRoleBinding({
            name: tenant.roleBindingName,
            namespace,
            labels,
            clusterRole: tenant.clusterRole,
            subject: { name: tenant.serviceAccountName, namespace: fluxNamespace },
          }),
        );
      }
      files.push({ file: `${namespace}.yaml`, objects });
    }
  }
  return files;
}
