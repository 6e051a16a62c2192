import { optionKeys } from "@flux-fleet/models";

/** The workload-identity providers of `spec.kubeConfig.configMapRef` (Flux 2.7+). */
export const WORKLOAD_IDENTITY_PROVIDERS = ["aws", "azure", "gcp", "generic"] as const;

export type WorkloadIdentityProvider = (typeof WORKLOAD_IDENTITY_PROVIDERS)[number];

/** The hub reaches the spoke with a kubeconfig stored in a Secret (key `value`) of the spoke's hub namespace. */
export interface KubeconfigSecretAccess {
  kubeconfigSecret: string;
}

/**
 * The hub reaches the spoke through workload identity (Flux 2.7+ `kubeConfig.configMapRef`): no secret, the
 * controllers' own cloud or OIDC identity. gen writes the ConfigMap into the spoke's hub namespace.
 */
export interface WorkloadIdentityAccess {
  /** `aws` (EKS), `azure` (AKS), `gcp` (GKE), or `generic` (OIDC trust between clusters). */
  provider: WorkloadIdentityProvider;
  /** The cluster's fully qualified resource name in the cloud API (EKS ARN, AKS resource ID, GKE resource name); not for `generic`. */
  cluster?: string;
  /** The API server's address (`https://…`); required for `generic`. */
  address?: string;
  /** The API server's CA certificate (PEM), the ConfigMap's `ca.crt`. */
  caCert?: string;
  /** The audiences of the ServiceAccount token; default the address (`generic`) or the provider's. */
  audiences?: readonly string[];
  /** The hub ServiceAccount, in the spoke's namespace, whose identity the controllers use; default their own. */
  serviceAccountName?: string;
  /** The ConfigMap's name; default `cluster-access`. */
  configMapName?: string;
}

/** How the hub reaches a spoke's API server. */
export type SpokeAccess = KubeconfigSecretAccess | WorkloadIdentityAccess;

export const DEFAULT_KUBECONFIG_SECRET = "cluster-kubeconfig";
export const DEFAULT_ACCESS_CONFIGMAP = "cluster-access";

/** The keys of each kind of `defineCluster({ access })`; any other is reported by the fleet checks. */
export const KUBECONFIG_SECRET_ACCESS_KEYS = optionKeys<KubeconfigSecretAccess>({ kubeconfigSecret: true });
export const WORKLOAD_IDENTITY_ACCESS_KEYS = optionKeys<WorkloadIdentityAccess>({
  provider: true,
  cluster: true,
  address: true,
  caCert: true,
  audiences: true,
  serviceAccountName: true,
  configMapName: true,
});

/**
 * Whether the spoke is reached through workload identity.
 *
 * @example
 * ```ts
 * isWorkloadIdentity({ provider: "aws", cluster: "arn:aws:eks:eu-west-1:123456789012:cluster/prod" }); // true
 * ```
 */
export function isWorkloadIdentity(access: SpokeAccess): access is WorkloadIdentityAccess {
  return typeof access === "object" && access !== null && "provider" in access;
}

/**
 * The `spec.kubeConfig` of every Kustomization and HelmRelease aimed at the spoke.
 *
 * @example
 * ```ts
 * spokeKubeConfig({ kubeconfigSecret: "cluster-kubeconfig" }); // { secretRef: { name: "cluster-kubeconfig" } }
 * ```
 */
export function spokeKubeConfig(access: SpokeAccess): { secretRef: { name: string } } | { configMapRef: { name: string } } {
  return isWorkloadIdentity(access)
    ? { configMapRef: { name: access.configMapName ?? DEFAULT_ACCESS_CONFIGMAP } }
    : { secretRef: { name: access.kubeconfigSecret } };
}

/**
 * The data of the workload-identity ConfigMap, with the keys kustomize- and helm-controller read.
 *
 * @example
 * ```ts
 * workloadIdentityData({ provider: "generic", address: "https://spoke.example:6443", audiences: ["flux"] });
 * // { provider: "generic", address: "https://spoke.example:6443", audiences: "flux" }
 * ```
 */
export function workloadIdentityData(access: WorkloadIdentityAccess): Record<string, string> {
  return {
    provider: access.provider,
    ...(access.cluster === undefined ? {} : { cluster: access.cluster }),
    ...(access.address === undefined ? {} : { address: access.address }),
    ...(access.caCert === undefined ? {} : { "ca.crt": access.caCert }),
    ...(access.audiences === undefined ? {} : { audiences: access.audiences.join("\n") }),
    ...(access.serviceAccountName === undefined ? {} : { serviceAccountName: access.serviceAccountName }),
  };
}
