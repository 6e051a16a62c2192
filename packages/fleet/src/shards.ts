import { optionKeys, SHARD_LABEL } from "@flux-fleet/models";
import type { Cluster } from "./cluster.ts";

export { SHARD_LABEL };

/** The controllers that the Flux sharding guide runs once per shard. */
export const SHARDED_CONTROLLERS = ["source-controller", "kustomize-controller", "helm-controller"] as const;

/** Resource requests and limits of a shard's controllers (the `resources` of their container). */
export interface ShardResources {
  requests?: { cpu?: string; memory?: string };
  limits?: { cpu?: string; memory?: string };
}

/** One shard of the hub: its name and how its controllers are tuned. */
export interface ShardSettings {
  /** The value of `sharding.fluxcd.io/key` on its objects, and the suffix of its controllers (a DNS-1123 label). */
  name: string;
  /** `--concurrent` of the shard's controllers; default the hub's `controllerArgs`. */
  concurrent?: number;
  /** Requests and limits of the shard's controllers; default those of the main controllers. */
  resources?: ShardResources;
}

/** The keys of a shard given as an object; any other is reported by the fleet checks. */
export const SHARD_SETTINGS_KEYS = optionKeys<ShardSettings>({ name: true, concurrent: true, resources: true });

/**
 * The hub's shards as objects, in the order the fleet lists them.
 *
 * @example
 * ```ts
 * normalizeShards(["shard-1", { name: "shard-2", concurrent: 40 }]); // [{ name: "shard-1" }, { name: "shard-2", concurrent: 40 }]
 * ```
 */
export function normalizeShards(shards: readonly (string | ShardSettings)[]): ShardSettings[] {
  return shards.map((shard) => (typeof shard === "string" ? { name: shard } : shard));
}

/** What `hub.assignShard` is given: the spoke, and the shard names in the fleet's order. */
export type AssignShard = (cluster: Cluster, shards: readonly string[]) => string | undefined;

/**
 * The shard a spoke is reconciled by: its own `shard`, else what the hub's `assignShard` returns, else none
 * (the main controllers).
 *
 * @example
 * ```ts
 * shardOf(staging, { shards: ["shard-1"], assignShard: () => "shard-1" }); // "shard-1"
 * ```
 */
export function shardOf(
  cluster: Cluster,
  hub: { shards: readonly (string | ShardSettings)[]; assignShard?: AssignShard | undefined },
): string | undefined {
  if (cluster.shard !== undefined) return cluster.shard;
  if (!hub.assignShard) return undefined;
  return hub.assignShard(
    cluster,
    normalizeShards(hub.shards).map((shard) => shard.name),
  );
}

/**
 * A stable assignment by hash of the spoke's name, for `hub.assignShard`: the same spoke always lands on the
 * same shard while the list of shards stays the same.
 *
 * @example
 * ```ts
 * defineFleet({ hub: { shards: ["shard-1", "shard-2"], assignShard: byNameHash }, tenants, clusters });
 * ```
 */
export function byNameHash(cluster: Cluster, shards: readonly string[]): string | undefined {
  if (shards.length === 0) return undefined;
  // FNV-1a: deterministic across runs and platforms, unlike anything seeded.
  let hash = 0x811c9dc5;
  for (const char of cluster.name) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return shards[hash % shards.length];
}
