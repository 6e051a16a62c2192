import { SHARD_SETTINGS_KEYS, type Cluster, type Fleet } from "@flux-fleet/fleet";
import type { DefinitionSite } from "@flux-fleet/models";
import type { Issue, Where } from "@flux-fleet/validate";
import { locate, type RenderContext } from "../fleet/locate.ts";
import { checkDns1123Label, describeValue } from "./rules.ts";
import { unknownKeyMessage } from "./unknown-keys.ts";

const RESOURCE_KEYS = ["requests", "limits"] as const;
const QUANTITY_KEYS = ["cpu", "memory"] as const;
// A Kubernetes resource quantity (`500m`, `1Gi`, `2`).
const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

/**
 * The hub's shards and each spoke's assignment: shard names are DNS-1123 labels (they suffix the controllers'
 * names) listed once, concurrency and resources are well-formed, and every spoke's shard (its own, or what
 * `assignShard` returns) is one of the hub's shards.
 *
 * @example
 * ```ts
 * const issues = checkShards(fleet, { root, entry: "fleet/fleet.ts" });
 * ```
 */
export function checkShards(fleet: Fleet, context: RenderContext): Issue[] {
  const issues: Issue[] = [];
  const error = (where: Where, message: string) => issues.push({ severity: "error", message, where });
  const fleetWhere: Where = locate(context, (fleet as Fleet & { definedAt?: DefinitionSite }).definedAt);
  const shards: unknown = fleet.hub.shards;
  if (!Array.isArray(shards)) {
    error(
      { ...fleetWhere, field: "hub.shards" },
      `must be a list of shard names or { name, concurrent, resources }, got ${describeValue(shards)}.`,
    );
    return issues;
  }
  const names: string[] = [];
  shards.forEach((shard: unknown, i) => {
    const field = `hub.shards[${i}]`;
    const settings = typeof shard === "string" ? { name: shard } : shard;
    if (settings === null || typeof settings !== "object" || Array.isArray(settings)) {
      error(
        { ...fleetWhere, field },
        `is ${describeValue(shard)}: give a shard name such as "shard-1", or { name: "shard-1", concurrent: 20 }.`,
      );
      return;
    }
    const loose = settings as Record<string, unknown>;
    for (const key of Object.keys(loose))
      if (!SHARD_SETTINGS_KEYS.includes(key as never))
        error({ ...fleetWhere, field: `${field}.${key}` }, unknownKeyMessage(key, "shard setting", SHARD_SETTINGS_KEYS));
    const name = loose["name"];
    const invalid = checkDns1123Label(name, "a shard name");
    if (invalid) error({ ...fleetWhere, field: `${field}.name` }, invalid);
    else if (names.includes(name as string))
      error({ ...fleetWhere, field: `${field}.name` }, `Shard "${name as string}" is listed twice: list each shard once.`);
    else names.push(name as string);
    const concurrent = loose["concurrent"];
    if (concurrent !== undefined && (!Number.isInteger(concurrent) || (concurrent as number) < 1))
      error({ ...fleetWhere, field: `${field}.concurrent` }, `must be a whole number of at least 1, got ${describeValue(concurrent)}.`);
    checkResources(loose["resources"], { ...fleetWhere, field: `${field}.resources` }, error);
  });
  const assign: unknown = fleet.hub.assignShard;
  if (assign !== undefined && typeof assign !== "function")
    error({ ...fleetWhere, field: "hub.assignShard" }, `must be a function from a cluster to a shard name, got ${describeValue(assign)}.`);

  for (const cluster of fleet.clusters as readonly Cluster[]) {
    const where: Where = { ...locate(context, cluster.definedAt), cluster: cluster.name };
    let shard: unknown = cluster.shard;
    let from = "shard";
    if (shard === undefined && typeof assign === "function") {
      from = "hub.assignShard";
      try {
        shard = (assign as (c: Cluster, s: readonly string[]) => unknown)(cluster, names);
      } catch (cause) {
        error(
          { ...fleetWhere, cluster: cluster.name, field: "hub.assignShard" },
          `assignShard threw "${(cause as Error).message}" for cluster "${cluster.name}": return a shard name or undefined.`,
        );
        continue;
      }
    }
    if (shard === undefined) continue;
    const at = from === "shard" ? { ...where, field: "shard" } : { ...fleetWhere, cluster: cluster.name, field: "hub.assignShard" };
    if (typeof shard !== "string" || !names.includes(shard))
      error(
        at,
        names.length === 0
          ? `Cluster "${cluster.name}" is assigned to shard ${describeValue(shard)}, but the hub has no shards: add it to defineFleet({ hub: { shards: [...] } }).`
          : `Cluster "${cluster.name}" is assigned to shard ${describeValue(shard)}, which is not one of the hub's shards (${names.map((n) => JSON.stringify(n)).join(", ")}): use one of them or add it to hub.shards.`,
      );
  }
  return issues;
}

function checkResources(value: unknown, where: Where, error: (where: Where, message: string) => void): void {
  if (value === undefined) return;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    error(where, `must be { requests, limits } with cpu and memory quantities, got ${describeValue(value)}.`);
    return;
  }
  for (const [key, entry] of Object.entries(value)) {
    const field = `${where.field ?? ""}.${key}`;
    if (!RESOURCE_KEYS.includes(key as never)) {
      error({ ...where, field }, unknownKeyMessage(key, "resources key", RESOURCE_KEYS));
      continue;
    }
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      error({ ...where, field }, `must be { cpu, memory }, got ${describeValue(entry)}.`);
      continue;
    }
    for (const [resource, quantity] of Object.entries(entry as Record<string, unknown>)) {
      if (!QUANTITY_KEYS.includes(resource as never))
        error({ ...where, field: `${field}.${resource}` }, unknownKeyMessage(resource, "resource", QUANTITY_KEYS));
      else if (typeof quantity !== "string" || !QUANTITY.test(quantity))
        error(
          { ...where, field: `${field}.${resource}` },
          `must be a Kubernetes quantity such as "500m" or "1Gi", got ${describeValue(quantity)}.`,
        );
    }
  }
}
