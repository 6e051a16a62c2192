import { cp, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createDefaultFleetRepo, FIXTURES, readTree, runCli, runInProcess } from "./helpers.ts";

const CASES = [
  ["invalid-cluster-name", 'fleet/fleet.ts:6, cluster "prod_1"'],
  ["duplicate-cluster", 'Two clusters are called "staging"'],
  ["unknown-component", 'Unknown component "podinfoo"'],
  ["unknown-tenant", 'Namespace "cache" is owned by no tenant'],
  ["invalid-semver-range", '"6.0.0.1" is not a valid semver range'],
  ["invalid-duration", '"1 hour" is not a Flux duration'],
  ["wrong-value-type", 'replicas: must be a whole number ≥ 0, got "two"'],
  ["fleet-file-throws", "fleet/clusters.ts:4"],
  ["fleet-import-fails", "fleet/fleet.ts"],
  ["syntax-error", "fleet/fleet.ts"],
  ["no-fleet-export", "does not export a fleet"],
  ["many-problems", "Found 5 errors and 0 warnings."],
  [
    "invalid-model-field",
    'fleet/fleet.ts:4, component "shop", deploy/apps/shop.yaml, HelmRelease/shop\n  error   /spec/install/remediation/retries: spec.install.remediation.retries: must be an integer, got "three"\n',
  ],
  ["unserializable-values", "values.loop.self: refers back to values.loop (a cycle)"],
  ["unreadable-strings", "objects[0].data.motd: holds U+2028 (LINE SEPARATOR)"],
  ["null-entries", "clusters[1]: is null, not a cluster"],
  ["component-file", 'file: "kustomization.yaml" is the name of deploy/infra-configs/\'s own kustomization file'],
  ["object-names", '"team/settings" contains "/"'],
  [
    "namespace-placement",
    'ResourceQuota "pods" declares namespace "cache", but Flux would create it in namespace "staging" on spoke "staging"',
  ],
  ["namespace-not-found", 'Flux would fail with "namespace not found"'],
  ["unknown-keys", 'fleet/fleet.ts:29, cluster "staging"\n  error   shardd: Unknown defineCluster option "shardd"'],
] as const;

// A fleet that fails while Node imports it is reported from Node's own error (file and line, a syntax error's
// message): those run the real CLI. The others fail gen's checks of a fleet that loads, which the CLI in this
// process reports with the same message and exit code.
const THROWN_WHILE_LOADING = new Set<string>(["fleet-file-throws", "fleet-import-fails", "syntax-error", "no-fleet-export"]);

describe("bad input: a clear message, exit 1, nothing on disk changed", () => {
  let generated: string;
  beforeAll(async () => {
    generated = await createDefaultFleetRepo();
    expect((await runInProcess(["gen"], generated)).code).toBe(0);
  });

  it.each(CASES)("%s", async (fixture, expected) => {
    const root = await createDefaultFleetRepo();
    await cp(generated, root, { recursive: true, filter: (source) => !source.includes("node_modules") });
    for (const file of await readdir(join(root, "fleet"))) if (file.endsWith(".ts")) await rm(join(root, "fleet", file));
    await cp(join(FIXTURES, "bad-input", fixture), root, { recursive: true });
    const before = await readTree(root);

    const result = await (THROWN_WHILE_LOADING.has(fixture) ? runCli : runInProcess)(["gen"], root);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(expected);
    expect(result.stderr).toMatch(/Nothing was written\.\n$/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).toBe("");
    expect(result.stderr.replaceAll(root, "<root>")).toMatchSnapshot();
    expect(await readTree(root)).toEqual(before);
  });
});
