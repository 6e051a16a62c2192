import { captureDefinitionSite, optionKeys, unknownOptions, type DefinitionSite } from "@flux-fleet/models";

/** The label Flux multi-tenancy uses to mark which tenant owns an object. */
export const TENANT_LABEL = "toolkit.fluxcd.io/tenant";

/**
 * A team that administers the spokes: its Flux identity (`flux-cluster-admin` by default) is bound to the
 * `cluster-admin` ClusterRole, so its layers may install CRDs and cluster-wide objects.
 */
export interface ClusterAdminsTenant {
  kind: "cluster-admins";
  name: string;
  namespaces: readonly string[];
  serviceAccountName: string;
  clusterRole: string;
  definedAt?: DefinitionSite | undefined;
}

/**
 * A team that operates applications: its Flux identity (`flux-restricted` by default) is bound, in each
 * namespace the team owns, by a RoleBinding, so it cannot touch anything outside those namespaces.
 */
export interface AppOperatorsTenant {
  kind: "app-operators";
  name: string;
  namespaces: readonly string[];
  serviceAccountName: string;
  clusterRole: string;
  roleBindingName: string;
  definedAt?: DefinitionSite | undefined;
}

export type Tenant = ClusterAdminsTenant | AppOperatorsTenant;

export interface ClusterAdminsOptions {
  /** The team name, written as the `toolkit.fluxcd.io/tenant` label. */
  name: string;
  /** The namespaces the team owns on every spoke (created by the tenants layer). */
  namespaces?: readonly string[];
  /** Default `flux-cluster-admin`. */
  serviceAccountName?: string;
  /** Default `cluster-admin`. */
  clusterRole?: string;
}

/** The keys defineClusterAdmins accepts; any other is reported by the fleet checks. */
export const CLUSTER_ADMINS_OPTION_KEYS = optionKeys<ClusterAdminsOptions>({
  name: true,
  namespaces: true,
  serviceAccountName: true,
  clusterRole: true,
});

export interface AppOperatorsOptions {
  name: string;
  namespaces: readonly string[];
  /** Default `flux-restricted`. */
  serviceAccountName?: string;
  /** The ClusterRole granted inside each owned namespace; default `cluster-admin`, limited by the RoleBinding. */
  clusterRole?: string;
  /** Default `flux`. */
  roleBindingName?: string;
}

/** The keys defineAppOperators accepts; any other is reported by the fleet checks. */
export const APP_OPERATORS_OPTION_KEYS = optionKeys<AppOperatorsOptions>({
  name: true,
  namespaces: true,
  serviceAccountName: true,
  clusterRole: true,
  roleBindingName: true,
});

/**
 * The cluster-admins tenant preset.
 *
 * @example
 * ```ts
 * export const sreTeam = defineClusterAdmins({ name: "sre-team", namespaces: ["cert-manager", "ingress-nginx"] });
 * ```
 */
export function defineClusterAdmins(options: ClusterAdminsOptions): ClusterAdminsTenant {
  return {
    ...unknownOptions(options, CLUSTER_ADMINS_OPTION_KEYS),
    kind: "cluster-admins",
    name: options.name,
    namespaces: options.namespaces ?? [],
    serviceAccountName: options.serviceAccountName ?? "flux-cluster-admin",
    clusterRole: options.clusterRole ?? "cluster-admin",
    definedAt: captureDefinitionSite(),
  };
}

/**
 * The app-operators tenant preset.
 *
 * @example
 * ```ts
 * export const devTeam = defineAppOperators({ name: "dev-team", namespaces: ["podinfo"] });
 * ```
 */
export function defineAppOperators(options: AppOperatorsOptions): AppOperatorsTenant {
  return {
    ...unknownOptions(options, APP_OPERATORS_OPTION_KEYS),
    kind: "app-operators",
    name: options.name,
    namespaces: options.namespaces,
    serviceAccountName: options.serviceAccountName ?? "flux-restricted",
    clusterRole: options.clusterRole ?? "cluster-admin",
    roleBindingName: options.roleBindingName ?? "flux",
    definedAt: captureDefinitionSite(),
  };
}
