import { describe, expect, it } from "vitest";
import { byNameHash, defineCluster, defineFleet, seedProfile, type HubSettings } from "@flux-fleet/fleet";
import { defineAppOperators, defineClusterAdmins } from "@flux-fleet/tenants";
import { checkShards } from "./check-shards.ts";

const context = { root: "/repo", entry: "fleet/fleet.ts" };
const tenants = [
  defineClusterAdmins({ name: "sre-team", namespaces: ["cert-manager", "ingress-nginx"] }),
  defineAppOperators({ name: "dev-team", namespaces: ["podinfo"] }),
];

function messages(hub: Partial<HubSettings>, shard?: string) {
  const cluster = defineCluster({ name: "edge", profile: seedProfile, ...(shard === undefined ? {} : { shard }) });
  return checkShards(defineFleet({ hub, tenants, clusters: [cluster] }), context).map(
    (issue) => `${issue.where.field ?? ""}: ${issue.message}`,
  );
}

describe("checkShards", () => {
  it("accepts shards by name or with settings, and a cluster on one of them", () => {
    expect(messages({ shards: ["a", { name: "b", concurrent: 10, resources: { limits: { cpu: "500m", memory: "1Gi" } } }] }, "b")).toEqual(
      [],
    );
  });

  it.each([
    [{ shards: ["Shard_1"] }, undefined, 'hub.shards[0].name: "Shard_1" is not a valid DNS-1123 label for a shard name'],
    [{ shards: ["a", "a"] }, undefined, 'hub.shards[1].name: Shard "a" is listed twice: list each shard once.'],
    [
      { shards: [{ name: "a", concurrent: 0 }] },
      undefined,
      "hub.shards[0].concurrent: must be a whole number of at least 1, got number 0.",
    ],
    [{ shards: [{ name: "a", replicas: 2 } as never] }, undefined, 'hub.shards[0].replicas: Unknown shard setting "replicas"'],
    [
      { shards: [{ name: "a", resources: { limits: { cpu: "lots" } } }] },
      undefined,
      'hub.shards[0].resources.limits.cpu: must be a Kubernetes quantity such as "500m" or "1Gi", got "lots".',
    ],
    [
      { shards: [] },
      "a",
      'shard: Cluster "edge" is assigned to shard "a", but the hub has no shards: add it to defineFleet({ hub: { shards: [...] } }).',
    ],
    [
      { shards: ["a"], assignShard: () => "b" },
      undefined,
      'hub.assignShard: Cluster "edge" is assigned to shard "b", which is not one of the hub\'s shards ("a")',
    ],
    [
      {
        shards: ["a"],
        assignShard: () => {
          throw new Error("no group");
        },
      },
      undefined,
      'hub.assignShard: assignShard threw "no group" for cluster "edge": return a shard name or undefined.',
    ],
  ] as Array<[Partial<HubSettings>, string | undefined, string]>)("reports %j (cluster shard %s)", (hub, shard, expected) => {
    expect(messages(hub, shard).join("\n")).toContain(expected);
  });

  it("spreads spokes by name hash, the same way on every run", () => {
    const shards = ["shard-1", "shard-2", "shard-3"];
    const spread = Array.from({ length: 30 }, (_, i) => byNameHash(defineCluster({ name: `spoke-${i}`, profile: seedProfile }), shards));
    expect(new Set(spread)).toEqual(new Set(shards));
    expect(byNameHash(defineCluster({ name: "spoke-7", profile: seedProfile }), shards)).toBe(spread[7]);
  });
});
