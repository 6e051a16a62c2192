import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseYamlDocuments } from "@flux-fleet/validate";
import { createFixtureRepo, runInProcess } from "./helpers.ts";
import { generatedFixture } from "./hub-fixtures.ts";
import { edit, summary } from "./validate-helpers.ts";

interface Doc {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: { commonMetadata?: { labels?: Record<string, string> }; patches?: Array<{ patch: string }> };
}

const sharded = generatedFixture("hub-sharded");
const hubDocs = async (root: string, cluster: string) =>
  parseYamlDocuments(await readFile(join(root, `hub/${cluster}.yaml`), "utf8")).documents as Doc[];

describe("a sharded hub (hub.shards, defineCluster({ shard }))", () => {
  it("labels every hub Kustomization of the sharded spoke and what its hub layers create, and none of the other spoke's", async () => {
    const root = await sharded.original();
    const staging = (await hubDocs(root, "staging")).filter((doc) => doc.kind === "Kustomization");
    expect(staging.map((doc) => [doc.metadata.name, doc.metadata.labels?.["sharding.fluxcd.io/key"]])).toEqual([
      ["tenants", "shard-1"],
      ["infra-controllers", "shard-1"],
      ["infra-configs", "shard-1"],
      ["apps", "shard-1"],
    ]);
    // The HelmReleases and HelmRepositories the hub layers create, and the HelmCharts of the releases.
    for (const layer of staging.filter((doc) => doc.metadata.name === "infra-controllers" || doc.metadata.name === "apps")) {
      expect(layer.spec?.commonMetadata?.labels).toEqual({ "sharding.fluxcd.io/key": "shard-1" });
      expect(layer.spec?.patches?.[0]?.patch).toContain(
        "path: /spec/chart/metadata\n  value:\n    labels:\n      sharding.fluxcd.io/key: shard-1",
      );
    }
    const production = await readFile(join(root, "hub/production.yaml"), "utf8");
    expect(production).not.toContain("sharding.fluxcd.io");
  });

  it("runs the shard's controllers in hub/flux-system and keeps sharded objects away from the main ones", async () => {
    const root = await sharded.original();
    const main = await readFile(join(root, "hub/flux-system/kustomization.yaml"), "utf8");
    expect(main).toContain("  - shard-1\n");
    expect(main).toContain("value: --watch-label-selector=!sharding.fluxcd.io/key");
    const shard = await readFile(join(root, "hub/flux-system/shard-1/kustomization.yaml"), "utf8");
    expect(shard).toContain("nameSuffix: -shard-1\n");
    expect(shard).toContain("value: --watch-label-selector=sharding.fluxcd.io/key in (shard-1)");
    expect(shard).toContain("value: --concurrent=40");
    expect(shard).toContain('cpu: "2"\n            memory: 2Gi');
    const record = JSON.parse(await readFile(join(root, "flux-fleet.generated.json"), "utf8")) as {
      hub?: { shards: string[] };
      clusters: Record<string, { shard?: string }>;
    };
    expect(record.hub).toEqual({ shards: ["shard-1"] });
    expect(record.clusters["staging"]?.shard).toBe("shard-1");
    expect(record.clusters["production"]?.shard).toBeUndefined();
  });

  it("passes validate with real kustomize", async () => {
    const result = await runInProcess(["validate", "--no-cache"], await sharded.original());
    expect(result.stdout).toContain("2 spokes");
    expect(summary(result.stdout)).toMatch(/^0 errors, /);
    expect(result.code).toBe(0);
  });

  it.each([
    [
      "a sharded spoke's Kustomization without its label",
      "hub/staging.yaml",
      /(name: apps\n {2}namespace: staging\n) {2}labels:\n {4}sharding.fluxcd.io\/key: shard-1\n/,
      "$1",
      'Kustomization/staging/apps has no sharding.fluxcd.io/key: shard-1 label of spoke "staging"\'s shard, so the main controllers would reconcile it',
    ],
    [
      "a sharded spoke's HelmReleases without their label",
      "hub/staging.yaml",
      /(path: \.\/clusters\/staging\/apps\n(?:.*\n){4}) {2}commonMetadata:\n {4}labels:\n {6}sharding.fluxcd.io\/key: shard-1\n/,
      "$1",
      "HelmRelease/staging/podinfo has no sharding.fluxcd.io/key: shard-1 label",
    ],
    [
      "a label naming a shard the hub has no controllers for",
      "hub/production.yaml",
      /(name: tenants\n {2}namespace: production\n)/,
      "$1  labels:\n    sharding.fluxcd.io/key: shard-9\n",
      "Kustomization/production/tenants is labelled sharding.fluxcd.io/key: shard-9, a shard the hub runs no controllers for",
    ],
    [
      "a dependsOn across shards",
      "hub/production.yaml",
      "    - name: tenants\n",
      "    - name: tenants\n      namespace: staging\n",
      'Depends on Kustomization "staging/tenants" of shard "shard-1", but this Kustomization is on the main controllers',
    ],
  ])("reports %s", async (_name, file, from, to, expected) => {
    const result = await sharded.validateEdited(file, from, to);
    expect(result.stdout).toContain(expected);
    expect(result.code).toBe(1);
  });

  it("refuses a cluster assigned to a shard the hub does not have, naming the fleet file, line and field", async () => {
    const root = await createFixtureRepo("hub-sharded");
    await edit(root, "fleet/clusters.ts", 'shard: "shard-1"', 'shard: "shard-2"');
    const result = await runInProcess(["gen"], root);
    expect(result.stdout + result.stderr).toContain('fleet/clusters.ts:3, cluster "staging"');
    expect(result.stdout + result.stderr).toMatch(
      /error +shard: Cluster "staging" is assigned to shard "shard-2", which is not one of the hub's shards \("shard-1"\): use one of them or add it to hub.shards\./,
    );
    expect(result.code).toBe(1);
  });

  it("assigns spokes with hub.assignShard, the cluster's own shard first", async () => {
    const root = await createFixtureRepo("hub-sharded");
    await writeFile(
      join(root, "fleet/fleet.ts"),
      `import { defineFleet } from "@flux-fleet/fleet";
import { devTeam, sreTeam } from "./tenants.ts";
import { production, staging } from "./clusters.ts";

export const fleet = defineFleet({
  hub: { shards: ["shard-1", "shard-2"], assignShard: (cluster) => (cluster.production ? "shard-2" : "shard-1") },
  tenants: [sreTeam, devTeam],
  clusters: [staging, production],
});
`,
    );
    expect((await runInProcess(["gen"], root)).code).toBe(0);
    const label = async (cluster: string) => (await hubDocs(root, cluster)).find((doc) => doc.kind === "Kustomization")?.metadata.labels;
    expect(await label("staging")).toEqual({ "sharding.fluxcd.io/key": "shard-1" });
    expect(await label("production")).toEqual({ "sharding.fluxcd.io/key": "shard-2" });
    expect((await runInProcess(["validate", "--no-cache"], root)).code).toBe(0);
  });
});
