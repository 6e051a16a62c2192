import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createFakeTools, createOutput, type FakeTools } from "../test/fake-tools.ts";
import { LifecycleError } from "./errors.ts";
import { fleetStatus, formatFleetStatus, parseFluxGet, planFleetStatus, spokeStatus, type FleetStatus } from "./fleet-status.ts";
import { formatCommand } from "./plan.ts";
import { createFleetTopology } from "./topology.ts";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "../test/fixtures/flux-get");
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), "utf8");
const TWO = createFleetTopology({ spokes: ["staging", "production"] });
const REV = "main@sha1:5f1ea124";

describe("parseFluxGet", () => {
  it("reads flux's tab-separated table of Kustomizations", () => {
    expect(parseFluxGet(fixture("kustomizations-staging.txt"))).toEqual(
      ["apps", "infra-configs", "infra-controllers", "tenants"].map((name) => ({
        name,
        revision: REV,
        suspended: false,
        ready: "True",
        message: `Applied revision: ${REV}`,
      })),
    );
  });

  it("reads not-ready, suspended and unknown rows, and joins a message split over two lines", () => {
    const kustomizations = parseFluxGet(fixture("kustomizations-production.txt"));
    expect(kustomizations.map((row) => [row.name, row.ready, row.suspended, row.revision])).toEqual([
      ["apps", "False", false, ""],
      ["infra-configs", "False", false, REV],
      ["infra-controllers", "True", true, REV],
      ["tenants", "True", false, REV],
    ]);
    expect(kustomizations[1]?.message).toBe(
      'ClusterIssuer/letsencrypt dry-run failed: no matches for kind "ClusterIssuer" in version "cert-manager.io/v1"',
    );
    const releases = parseFluxGet(fixture("helmreleases-production.txt"));
    expect(releases.map((row) => [row.name, row.ready])).toEqual([
      ["cert-manager", "True"],
      ["ingress-nginx", "False"],
      ["podinfo", "Unknown"],
    ]);
    expect(releases[1]?.message).toBe(
      "Helm install failed for release ingress-nginx/ingress-nginx with chart ingress-nginx@4.10.0:\ncontext deadline exceeded",
    );
  });

  it("keeps the namespace column of -A output", () => {
    expect(parseFluxGet(fixture("kustomizations-all-namespaces.txt")).map((row) => [row.namespace, row.name, row.ready])).toEqual([
      ["flux-system", "flux-system", "True"],
      ["production", "apps", "False"],
      ["staging", "apps", "True"],
    ]);
  });

  it("reads output whose tabs were expanded to spaces", () => {
    expect(parseFluxGet(fixture("helmreleases-staging-expanded.txt"))).toEqual(parseFluxGet(fixture("helmreleases-staging.txt")));
    expect(parseFluxGet(fixture("helmreleases-staging-expanded.txt"))[2]).toEqual({
      name: "podinfo",
      revision: "6.6.2",
      suspended: false,
      ready: "True",
      message: "Helm install succeeded for release podinfo/podinfo.v1 with chart podinfo@6.6.2",
    });
  });

  it("finds columns by header, as older flux printed them in another order", () => {
    const old = "NAME\tREADY\tMESSAGE\tREVISION\tSUSPENDED\t\npodinfo\tFalse\tinstall retries exhausted\t6.6.2\tTrue\t\n";
    expect(parseFluxGet(old)).toEqual([
      { name: "podinfo", ready: "False", message: "install retries exhausted", revision: "6.6.2", suspended: true },
    ]);
  });

  it("gives no rows for empty output and refuses output without a header", () => {
    expect(parseFluxGet("")).toEqual([]);
    expect(() => parseFluxGet("✗ the server could not find the requested resource\n")).toThrow(LifecycleError);
  });
});

describe("fleet status", () => {
  it("asks the hub about each spoke's namespace", () => {
    expect(planFleetStatus(TWO).steps.map(formatCommand)).toEqual([
      "flux get kustomizations --context kind-flux-hub --namespace staging",
      "flux get helmreleases --context kind-flux-hub --namespace staging",
      "flux get kustomizations --context kind-flux-hub --namespace production",
      "flux get helmreleases --context kind-flux-hub --namespace production",
    ]);
  });

  it("summarises a spoke as ready only when everything is ready and nothing is suspended", () => {
    const [staging, production] = TWO.spokes;
    expect(spokeStatus(staging!, fixture("kustomizations-staging.txt"), fixture("helmreleases-staging.txt")).ready).toBe(true);
    expect(spokeStatus(production!, fixture("kustomizations-production.txt"), fixture("helmreleases-production.txt")).ready).toBe(false);
    const suspended = fixture("kustomizations-staging.txt").replace(/False(\s*\tTrue)/, "True $1");
    expect(spokeStatus(staging!, suspended, "").ready).toBe(false);
    expect(spokeStatus(staging!, "", "").ready).toBe(false);
  });

  it("prints a table per spoke with a summary line", () => {
    const [staging, production] = TWO.spokes;
    const status: FleetStatus = {
      spokes: [
        spokeStatus(staging!, fixture("kustomizations-staging.txt"), fixture("helmreleases-staging.txt")),
        spokeStatus(production!, "", ""),
      ],
      ready: false,
    };
    const text = formatFleetStatus(status);
    expect(text.split("\n").slice(0, 3)).toEqual([
      "staging (hub namespace staging, cluster flux-staging): ready",
      "  KIND           NAME               READY  SUSPENDED  REVISION            MESSAGE",
      `  Kustomization  apps               True   False      ${REV}  Applied revision: ${REV}`,
    ]);
    expect(text).toContain(
      "  HelmRelease    podinfo            True   False      6.6.2               Helm install succeeded for release podinfo/podinfo.v1 with chart podinfo@6.6.2\n",
    );
    expect(text).toContain("  4/4 Kustomizations ready, 3/3 HelmReleases ready\n");
    expect(text).toContain(
      "production (hub namespace production, cluster flux-production): NOT READY\n  no Kustomizations or HelmReleases found\n  0/0 Kustomizations ready, 0/0 HelmReleases ready\n",
    );
  });

  let tools: FakeTools | undefined;
  afterEach(() => tools?.cleanup());

  it("runs flux get for each spoke and reports the fleet", async () => {
    tools = createFakeTools(["flux"], { FAKE_FLUX_FIXTURES: FIXTURES });
    const stdout = createOutput();
    const { status, ran } = await fleetStatus(TWO, { cwd: tools.cwd, env: tools.env, stdout, stderr: createOutput() });
    expect(ran).toBe(true);
    expect(status?.ready).toBe(false);
    expect(status?.spokes.map((s) => [s.spoke, s.ready, s.kustomizations.length, s.helmReleases.length])).toEqual([
      ["staging", true, 4, 3],
      ["production", false, 4, 3],
    ]);
    expect(stdout.text()).toContain("  2/4 Kustomizations ready, 1/3 HelmReleases ready\n");
    const json = createOutput();
    await fleetStatus(TWO, { cwd: tools.cwd, env: tools.env, stdout: json, stderr: createOutput(), json: true });
    expect((JSON.parse(json.text()) as FleetStatus).spokes[1]?.helmReleases[2]?.ready).toBe("Unknown");
  });

  it("prints the commands in a dry run without running flux get", async () => {
    tools = createFakeTools(["flux"], { FAKE_FLUX_FIXTURES: FIXTURES });
    const stdout = createOutput();
    const result = await fleetStatus(TWO, { dryRun: true, env: tools.env, stdout, stderr: createOutput() });
    expect(result.status).toBeUndefined();
    expect(stdout.text()).toContain(
      "# 4. List the helmreleases of spoke production (hub namespace production)\nflux get helmreleases --context kind-flux-hub --namespace production\n",
    );
    expect(tools.calls().filter((call) => call[1] === "get")).toEqual([]);
  });
});
