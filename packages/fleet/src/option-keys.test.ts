import { describe, expect, it } from "vitest";
import { defineAppOperators, defineClusterAdmins } from "@flux-fleet/tenants";
import { CLUSTER_OPTION_KEYS, defineCluster, defineClusterProfile } from "./cluster.ts";
import { defineHelmComponent, defineManifests } from "./components.ts";
import { defineFleet } from "./fleet.ts";
import { seedProfile } from "./seed-components.ts";

describe("define* helpers", () => {
  it("list every key of their options beside the type", () => {
    expect(CLUSTER_OPTION_KEYS).toEqual(["name", "profile", "overrides", "kubeconfigSecret", "production", "shard", "access"]);
  });

  it("keep the keys they do not know, for the fleet checks to report, and add none of their own", () => {
    const loose = { replica: 3 } as never;
    const helm = defineHelmComponent({
      ...(loose as object),
      name: "x",
      layer: "apps",
      namespace: "x",
      repository: { url: "https://x", interval: "1h" },
      chart: {},
      interval: "1h",
    } as never);
    const results = [
      defineCluster({ name: "a", profile: seedProfile, ...(loose as object) }),
      defineClusterProfile({ name: "p", components: [], ...(loose as object) }),
      defineFleet({ tenants: [], clusters: [], ...(loose as object) }),
      defineManifests({ name: "m", layer: "infra-configs", objects: [], ...(loose as object) }),
      helm,
      defineClusterAdmins({ name: "sre", ...(loose as object) }),
      defineAppOperators({ name: "dev", namespaces: [], ...(loose as object) }),
    ];
    for (const result of results) expect((result as unknown as Record<string, unknown>)["replica"]).toBe(3);
    expect(Object.keys(defineCluster({ name: "a", profile: seedProfile }))).toEqual([
      "name",
      "profile",
      "overrides",
      "kubeconfigSecret",
      "access",
      "production",
      "definedAt",
    ]);
  });
});
