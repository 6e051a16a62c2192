import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chartAdd } from "../src/commands/chart-add.ts";
import { createChartArchive, findDockerRegistry, pushChart, serveHelmRepository, startRegistry } from "./chart-servers.ts";
import { createDefaultFleetRepo, readTree, REPO_ROOT, runCli, runInProcess } from "./helpers.ts";

const DEMO_VALUES = 'replicaCount: 1\nimage:\n  repository: demo\n  tag: ""\npodAnnotations: {}\ntolerations: []\n';
const DEMO_SCHEMA = JSON.stringify({
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  additionalProperties: false,
  properties: { mode: { type: "string", enum: ["fast", "safe"] }, replicaCount: { type: "integer" } },
});
const chartYaml = (name: string, version: string) => `apiVersion: v2\nname: ${name}\nversion: ${version}\n`;

const demo = createChartArchive({
  "demo/Chart.yaml": chartYaml("demo", "1.2.3"),
  "demo/values.yaml": DEMO_VALUES,
  "demo/templates/deployment.yaml": "kind: Deployment\n",
  // A subchart's values are not the chart's.
  "demo/charts/sub/values.yaml": "other: 1\n",
});
const schemed = createChartArchive({
  "schemed/Chart.yaml": chartYaml("schemed", "0.1.0"),
  "schemed/values.yaml": "mode: fast\n",
  "schemed/values.schema.json": DEMO_SCHEMA,
});

/** A fleet whose podinfo-like component `demo` uses the module chart add wrote, with production's values. */
async function useDemo(root: string, values: string): Promise<void> {
  const { writeFile } = await import("node:fs/promises");
  await writeFile(
    join(root, "fleet/demo.ts"),
    `import { defineCluster, defineClusterProfile, defineHelmComponent, seedProfile } from "@flux-fleet/fleet";
import { demoValuesSchema } from "./charts/demo/1.2.3/values.ts";

export const demo = defineHelmComponent({
  name: "demo",
  layer: "apps",
  namespace: "podinfo",
  repository: { url: "https://charts.example.com", interval: "1h" },
  chart: { version: "1.2.3" },
  interval: "1h",
  valuesSchema: demoValuesSchema,
});
const profile = defineClusterProfile({ name: "demo", components: [...seedProfile.components, demo] });
export const demoCluster = defineCluster({ name: "demo-1", profile, overrides: { demo: { values: ${values} } } });
`,
  );
  const fleetPath = join(root, "fleet/fleet.ts");
  const fleet = await readFile(fleetPath, "utf8");
  if (fleet.includes("demoCluster")) return;
  await writeFile(
    fleetPath,
    `import { demoCluster } from "./demo.ts";\n${fleet.replace("clusters: [staging, production]", "clusters: [staging, production, demoCluster]")}`,
  );
}

describe("chart add from a Helm HTTP repository on 127.0.0.1", () => {
  let repository: Awaited<ReturnType<typeof serveHelmRepository>>;
  beforeAll(async () => {
    repository = await serveHelmRepository([
      { name: "demo", version: "1.2.3", archive: demo },
      { name: "schemed", version: "0.1.0", archive: schemed },
    ]);
  });
  afterAll(() => repository.close());

  it("infers the schema from values.yaml, writes it with its types into fleet/charts/, and says how to use it", async () => {
    const root = await createDefaultFleetRepo();
    let printed = "";
    const result = await chartAdd({ root, repository: repository.url, chart: "demo", version: "1.2.3", out: (text) => (printed += text) });
    expect(result).toEqual({
      files: ["fleet/charts/demo/1.2.3/values.schema.json", "fleet/charts/demo/1.2.3/values.ts"],
      source: "inferred",
    });
    expect(repository.requests).toEqual(expect.arrayContaining(["/index.yaml", "/charts/demo-1.2.3.tgz"]));
    const schema = JSON.parse(await readFile(join(root, "fleet/charts/demo/1.2.3/values.schema.json"), "utf8")) as Record<string, unknown>;
    expect(schema["properties"]).toEqual({
      replicaCount: { type: "number" },
      image: { type: "object", additionalProperties: false, properties: { repository: { type: "string" }, tag: { type: "string" } } },
      podAnnotations: { type: "object" },
      tolerations: { type: "array" },
    });
    const module = await readFile(join(root, "fleet/charts/demo/1.2.3/values.ts"), "utf8");
    expect(module).toContain('import type { ChartValuesSchema } from "@flux-fleet/fleet";');
    expect(module).toContain("export interface DemoValues {");
    expect(module).toContain("export const demoValuesSchema: ChartValuesSchema<DemoValues> = {");
    expect(printed).toContain('import { demoValuesSchema } from "./charts/demo/1.2.3/values.ts";');
  });

  it("keeps a chart's own values.schema.json", async () => {
    const root = await createDefaultFleetRepo();
    const result = await chartAdd({ root, repository: `${repository.url}/`, chart: "schemed", version: "0.1.0", out: () => {} });
    expect(result.source).toBe("chart");
    expect(JSON.parse(await readFile(join(root, "fleet/charts/schemed/0.1.0/values.schema.json"), "utf8"))).toEqual(
      JSON.parse(DEMO_SCHEMA),
    );
    expect(await readFile(join(root, "fleet/charts/schemed/0.1.0/values.ts"), "utf8")).toContain('mode?: ("fast" | "safe")');
  });

  it("the module it writes types the component, and gen checks a cluster's values against it", async () => {
    const root = await createDefaultFleetRepo();
    const cli = await runInProcess(["chart", "add", repository.url, "demo", "--version", "1.2.3"], root);
    expect(cli.stderr).toBe("");
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/^Wrote fleet\/charts\/demo\/1\.2\.3\/values\.ts and values\.schema\.json/);

    await useDemo(root, "{ replicaCunt: 2 }");
    const before = await readTree(root);
    const refused = await runInProcess(["gen"], root);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'fleet/demo.ts:14, cluster "demo-1", component "demo"\n  error   overrides.demo.values.replicaCunt: Unknown key "replicaCunt" in demo 1.2.3\'s values (did you mean "replicaCount"?)',
    );
    expect(await readTree(root)).toEqual(before);
    const typecheck = await typecheckFleet(root);
    expect(typecheck.stdout).toContain("fleet/demo.ts(14,");
    expect(typecheck.stdout).toContain("'replicaCunt' does not exist");

    await useDemo(root, '{ replicaCount: 2, podAnnotations: { "a/b": "c" } }');
    const written = await runCli(["gen"], root);
    expect(written.stderr).toBe("");
    expect(written.code).toBe(0);
    expect(await typecheckFleet(root)).toEqual({ code: 0, stdout: "" });
  });

  it.each([
    ["a version the index does not list", "demo", "9.9.9", 'the repository has no version "9.9.9" of demo (it has 1.2.3)'],
    ["a chart the index does not list", "nothing", "1.0.0", 'the repository http://127.0.0.1:PORT has no chart "nothing"'],
  ])("refuses %s with a message naming it, and writes nothing", async (_what, chart, version, message) => {
    const root = await createDefaultFleetRepo();
    const before = await readTree(root);
    await expect(chartAdd({ root, repository: repository.url, chart, version, out: () => {} })).rejects.toThrow(
      message.replace("http://127.0.0.1:PORT", repository.url),
    );
    expect(await readTree(root)).toEqual(before);
  });
});

/** `tsc` over the temporary fleet, with this repository's compiler options, as `pnpm typecheck` runs it. */
async function typecheckFleet(root: string): Promise<{ code: number; stdout: string }> {
  const { copyFile, writeFile } = await import("node:fs/promises");
  await copyFile(join(REPO_ROOT, "tsconfig.base.json"), join(root, "tsconfig.base.json"));
  // The fleet's own config, with @types/node from this workspace (the temporary repository has no root node_modules).
  const config = {
    extends: "../tsconfig.base.json",
    compilerOptions: { noEmit: true, typeRoots: [join(REPO_ROOT, "node_modules/@types")] },
    include: ["*.ts"],
  };
  await writeFile(join(root, "fleet/tsconfig.json"), JSON.stringify(config));
  const tsc = createRequire(join(REPO_ROOT, "package.json")).resolve("typescript/bin/tsc");
  return new Promise((resolve) => {
    execFile(process.execPath, [tsc, "-p", "fleet/tsconfig.json"], { cwd: root }, (error, stdout) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout }),
    );
  });
}

const registryBinary = findDockerRegistry();

describe.skipIf(registryBinary === undefined)(
  `chart add from an OCI registry (docker-registry on 127.0.0.1${registryBinary === undefined ? ": skipped, docker-registry is not installed (apt-get install docker-registry; .ci/run installs it)" : ""})`,
  () => {
    let registry: Awaited<ReturnType<typeof startRegistry>>;
    beforeAll(async () => {
      registry = await startRegistry(registryBinary!);
      await pushChart(registry.url, "charts/demo", "1.2.3", demo);
    }, 30_000);
    afterAll(() => registry.stop());

    it("pulls the chart through the OCI distribution API with Helm's media types and writes its schema", async () => {
      const root = await createDefaultFleetRepo();
      const repository = registry.url.replace("http://", "oci://") + "/charts";
      const result = await chartAdd({ root, repository, chart: "demo", version: "1.2.3", out: () => {} });
      expect(result.source).toBe("inferred");
      const module = await readFile(join(root, "fleet/charts/demo/1.2.3/values.ts"), "utf8");
      expect(module).toContain(`"repository": "${repository}"`);
      expect(module).toContain("replicaCount?: number");
    });

    it("names a tag the registry does not have", async () => {
      const root = await createDefaultFleetRepo();
      const repository = registry.url.replace("http://", "oci://") + "/charts";
      await expect(chartAdd({ root, repository, chart: "demo", version: "2.0.0", out: () => {} })).rejects.toThrow(
        `the registry has no charts/demo:2.0.0`,
      );
    });
  },
);
