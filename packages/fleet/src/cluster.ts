import { captureDefinitionSite, optionKeys, unknownOptions, type DefinitionSite } from "@flux-fleet/models";
import type { Component, OverridesOf } from "./components.ts";
import { DEFAULT_KUBECONFIG_SECRET, type SpokeAccess } from "./access.ts";

/** How the hub reconciles a spoke's layers (the seed's values by default). */
export interface ReconcileSettings {
  interval: string;
  retryInterval: string;
  timeout: string;
}

export const DEFAULT_RECONCILE: ReconcileSettings = { interval: "1h", retryInterval: "3m", timeout: "5m" };

/** The keys of a profile's `reconcile`. */
export const RECONCILE_KEYS = optionKeys<ReconcileSettings>({ interval: true, retryInterval: true, timeout: true });

export interface ClusterProfileOptions<Components extends readonly Component[]> {
  name: string;
  /** The components every cluster of this profile runs, in the order they are listed in the bases. */
  components: Components;
  reconcile?: Partial<ReconcileSettings>;
  /**
   * Chart version pinning on production clusters: `warn` (default) reports a version range as a warning,
   * `strict` as an error.
   */
  pinning?: "warn" | "strict";
}

/** The keys defineClusterProfile accepts; any other is reported by the fleet checks. */
export const CLUSTER_PROFILE_OPTION_KEYS = optionKeys<ClusterProfileOptions<readonly Component[]>>({
  name: true,
  components: true,
  reconcile: true,
  pinning: true,
});

/** A set of components and reconcile settings that clusters share. */
export interface ClusterProfile<Components extends readonly Component[] = readonly Component[]> {
  name: string;
  components: Components;
  reconcile: ReconcileSettings;
  pinning: "warn" | "strict";
  definedAt?: DefinitionSite | undefined;
}

/**
 * Defines a cluster profile; the component list's literal types make cluster overrides type-checked.
 *
 * @example
 * ```ts
 * export const webProfile = defineClusterProfile({ name: "web", components: [...seedComponents, redis] });
 * ```
 */
export function defineClusterProfile<const Components extends readonly Component[]>(
  options: ClusterProfileOptions<Components>,
): ClusterProfile<Components> {
  return {
    ...unknownOptions(options, CLUSTER_PROFILE_OPTION_KEYS),
    name: options.name,
    components: options.components,
    reconcile: { ...DEFAULT_RECONCILE, ...options.reconcile },
    pinning: options.pinning ?? "warn",
    definedAt: captureDefinitionSite(),
  };
}

/** Per-cluster overrides, keyed by the names of the profile's components. */
export type ClusterOverrides<Profile extends ClusterProfile> = {
  [C in Profile["components"][number] as C["name"]]?: OverridesOf<C>;
};

export interface ClusterOptions<Profile extends ClusterProfile> {
  /** The spoke's name: a DNS-1123 label; also its namespace on the hub and `${CLUSTER_NAME}`. */
  name: string;
  profile: Profile;
  overrides?: ClusterOverrides<Profile>;
  /** The hub Secret (key `value`) holding the spoke's kubeconfig; default `cluster-kubeconfig`. */
  kubeconfigSecret?: string;
  /**
   * How the hub reaches the spoke: `{ kubeconfigSecret }` (the default, as `kubeconfigSecret`) or workload
   * identity (`{ provider: "aws" | "azure" | "gcp" | "generic", … }`, Flux 2.7+), which needs no Secret.
   */
  access?: SpokeAccess;
  /** Production clusters get a warning (or, with strict pinning, an error) for chart version ranges. */
  production?: boolean;
  /** The hub shard (one of `defineFleet({ hub: { shards } })`) that reconciles this spoke; default the hub's `assignShard`, else none. */
  shard?: string;
}

/** The keys defineCluster accepts; any other is reported by the fleet checks. */
export const CLUSTER_OPTION_KEYS = optionKeys<ClusterOptions<ClusterProfile>>({
  name: true,
  profile: true,
  overrides: true,
  kubeconfigSecret: true,
  production: true,
  shard: true,
  access: true,
});

/** A spoke cluster of the fleet. */
export interface Cluster<Profile extends ClusterProfile = ClusterProfile> {
  name: string;
  profile: Profile;
  overrides: ClusterOverrides<Profile>;
  /** The kubeconfig Secret of the spoke: what the layers use without workload identity, and what local kind tooling stores. */
  kubeconfigSecret: string;
  /** How the hub's controllers reach the spoke. */
  access: SpokeAccess;
  production: boolean;
  shard?: string | undefined;
  definedAt?: DefinitionSite | undefined;
}

/**
 * Defines a spoke cluster.
 *
 * @example
 * ```ts
 * export const staging = defineCluster({
 *   name: "staging",
 *   profile: seedProfile,
 *   overrides: { podinfo: { version: ">=1.0.0-alpha", host: "podinfo.staging", test: false } },
 * });
 * ```
 */
export function defineCluster<Profile extends ClusterProfile>(options: ClusterOptions<Profile>): Cluster<Profile> {
  return {
    ...unknownOptions(options, CLUSTER_OPTION_KEYS),
    name: options.name,
    profile: options.profile,
    overrides: options.overrides ?? {},
    kubeconfigSecret: secretOf(options),
    access: options.access ?? { kubeconfigSecret: secretOf(options) },
    production: options.production ?? false,
    ...(options.shard === undefined ? {} : { shard: options.shard }),
    definedAt: captureDefinitionSite(),
  };
}

function secretOf(options: { kubeconfigSecret?: string; access?: SpokeAccess }): string {
  const access: unknown = options.access;
  const fromAccess =
    typeof access === "object" && access !== null && "kubeconfigSecret" in access
      ? (access as { kubeconfigSecret: string }).kubeconfigSecret
      : undefined;
  return options.kubeconfigSecret ?? fromAccess ?? DEFAULT_KUBECONFIG_SECRET;
}
