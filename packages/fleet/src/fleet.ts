import {
  captureDefinitionSite,
  gitRepositoryRef,
  optionKeys,
  unknownOptions,
  type DefinitionSite,
  type SourceReference,
} from "@flux-fleet/models";
import type { Tenant } from "@flux-fleet/tenants";
import type { Cluster, ClusterProfile } from "./cluster.ts";
import type { AssignShard, ShardSettings } from "./shards.ts";
import type { AlertSettings, PromotionSettings } from "./notifications.ts";

/** Settings of the hub cluster, the one that runs Flux. */
export interface HubSettings {
  /** The source every spoke layer is built from; default `GitRepository flux-system/flux-system` (bootstrap's). */
  sourceRef: SourceReference;
  /** Arguments appended to the Flux controllers on the hub (`hub/flux-system/kustomization.yaml`). */
  controllerArgs: readonly string[];
  /** The controllers the arguments are added to. */
  tunedControllers: readonly string[];
  /** Name of the hub in local tooling (kind cluster `flux-<name>`). */
  name: string;
  /**
   * Controller shards (Flux's sharding guide): each gets its own source-, kustomize- and helm-controller in
   * `hub/flux-system/<shard>/`, watching only objects labelled `sharding.fluxcd.io/key: <shard>`; default none.
   */
  shards: readonly (string | ShardSettings)[];
  /** The shard of a spoke that names none (`defineCluster({ shard })` wins), e.g. `byNameHash`; `undefined` keeps it on the main controllers. */
  assignShard?: AssignShard | undefined;
}

export const DEFAULT_HUB: HubSettings = {
  sourceRef: gitRepositoryRef("flux-system", "flux-system"),
  controllerArgs: ["--concurrent=20", "--requeue-dependency=5s"],
  tunedControllers: ["kustomize-controller", "helm-controller", "source-controller"],
  name: "hub",
  shards: [],
};

/** The keys of `defineFleet({ hub })`; any other is reported by the fleet checks. */
export const HUB_SETTINGS_KEYS = optionKeys<HubSettings>({
  sourceRef: true,
  controllerArgs: true,
  tunedControllers: true,
  name: true,
  shards: true,
  assignShard: true,
});

/**
 * Warnings a fleet has considered and accepts, so that gen and validate stop repeating them:
 * `unpinned-charts`, chart version ranges on production clusters whose profile has `pinning: "warn"`
 * (a `strict` profile still fails on them).
 *
 * @example
 * ```ts
 * FLEET_ACKNOWLEDGEMENTS.includes("unpinned-charts"); // true
 * ```
 */
export const FLEET_ACKNOWLEDGEMENTS = ["unpinned-charts"] as const;
export type FleetAcknowledgement = (typeof FLEET_ACKNOWLEDGEMENTS)[number];

export interface FleetOptions {
  hub?: Partial<HubSettings>;
  /** Exactly one cluster-admins tenant, and any number of app-operators tenants. */
  tenants: readonly Tenant[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- clusters of every profile, whatever its components
  clusters: readonly Cluster<ClusterProfile<any>>[];
  /**
   * The namespace on each spoke that holds the Flux identities; `${CLUSTER_NAME}` (the seed's choice) is
   * substituted by the hub with the spoke's name.
   */
  fluxNamespace?: string;
  /**
   * Whether gen also writes the GitHub workflows (`.github/workflows/{test,e2e,release}.yaml`) from the
   * fleet, so that a new spoke is created and awaited by the e2e workflow with no other edit.
   */
  githubWorkflows?: boolean;
  /** Warnings the fleet accepts, which gen and validate then no longer print; see {@link FLEET_ACKNOWLEDGEMENTS}. */
  acknowledge?: readonly FleetAcknowledgement[];
  /** Alerts for every spoke: a notification Provider and Alert in each spoke's hub namespace. */
  alerts?: AlertSettings;
  /** Chart version promotion between spokes (staging → production), driven by a githubdispatch Alert and a workflow. */
  promotion?: PromotionSettings;
}

/** The keys defineFleet accepts; any other is reported by the fleet checks. */
export const FLEET_OPTION_KEYS = optionKeys<FleetOptions>({
  hub: true,
  tenants: true,
  clusters: true,
  fluxNamespace: true,
  githubWorkflows: true,
  acknowledge: true,
  alerts: true,
  promotion: true,
});

/** The whole fleet: the hub, the tenants and the spokes. */
export interface Fleet {
  hub: HubSettings;
  tenants: readonly Tenant[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- clusters of every profile, whatever its components
  clusters: readonly Cluster<ClusterProfile<any>>[];
  fluxNamespace: string;
  githubWorkflows: boolean;
  acknowledge: readonly FleetAcknowledgement[];
  alerts?: AlertSettings | undefined;
  promotion?: PromotionSettings | undefined;
  definedAt?: DefinitionSite | undefined;
}

/**
 * Defines the fleet; `fleet/fleet.ts` exports the result as `fleet`.
 *
 * @example
 * ```ts
 * export const fleet = defineFleet({ tenants: [sreTeam, devTeam], clusters: [staging, production] });
 * ```
 */
export function defineFleet(options: FleetOptions): Fleet {
  return {
    ...unknownOptions(options, FLEET_OPTION_KEYS),
    hub: { ...DEFAULT_HUB, ...options.hub },
    tenants: options.tenants,
    clusters: options.clusters,
    fluxNamespace: options.fluxNamespace ?? "${CLUSTER_NAME}",
    githubWorkflows: options.githubWorkflows ?? false,
    acknowledge: options.acknowledge ?? [],
    ...(options.alerts === undefined ? {} : { alerts: options.alerts }),
    ...(options.promotion === undefined ? {} : { promotion: options.promotion }),
    definedAt: captureDefinitionSite(),
  };
}
