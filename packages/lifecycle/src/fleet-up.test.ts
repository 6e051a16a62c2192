import { statSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createFakeTools, createOutput, type FakeTools } from "../test/fake-tools.ts";
import { LifecycleError, PrerequisiteError } from "./errors.ts";
import { fleetUp, kindNodeImage, parseKindClusters, planFleetUp } from "./fleet-up.ts";
import { formatCommand, formatPlan } from "./plan.ts";
import { createFleetTopology } from "./topology.ts";

const TWO = createFleetTopology({ spokes: ["staging", "production"] });
const FIVE = createFleetTopology({ spokes: ["staging", "production", "qa", "edge-eu", "edge-us"] });
const APPLY = "kubectl --context kind-flux-hub apply --server-side --force-conflicts --field-manager=flux-fleet -f -";
const create = (cluster: string, version = "v1.36.4") => `kind create cluster --name ${cluster} --image kindest/node:${version} --wait 5m`;
const spokeSteps = (name: string) => [
  `kind get kubeconfig --internal --name flux-${name} > .fleet/kubeconfigs/${name}.yaml`,
  `kubectl --context kind-flux-hub create namespace ${name} --dry-run=client -o yaml | ${APPLY}`,
  `kubectl --context kind-flux-hub create secret generic cluster-kubeconfig --namespace ${name} --from-file=value=.fleet/kubeconfigs/${name}.yaml --dry-run=client -o yaml | ${APPLY}`,
];

describe("fleet up plan", () => {
  it("creates the hub and both spokes, then stores each spoke's kubeconfig in the hub", () => {
    expect(planFleetUp(TWO).steps.map(formatCommand)).toEqual([
      "kind create cluster --name flux-hub --image kindest/node:v1.36.4 --wait 5m",
      "kind create cluster --name flux-staging --image kindest/node:v1.36.4 --wait 5m",
      "kind create cluster --name flux-production --image kindest/node:v1.36.4 --wait 5m",
      "kind get kubeconfig --internal --name flux-staging > .fleet/kubeconfigs/staging.yaml",
      "kubectl --context kind-flux-hub create namespace staging --dry-run=client -o yaml | kubectl --context kind-flux-hub apply --server-side --force-conflicts --field-manager=flux-fleet -f -",
      "kubectl --context kind-flux-hub create secret generic cluster-kubeconfig --namespace staging --from-file=value=.fleet/kubeconfigs/staging.yaml --dry-run=client -o yaml | kubectl --context kind-flux-hub apply --server-side --force-conflicts --field-manager=flux-fleet -f -",
      "kind get kubeconfig --internal --name flux-production > .fleet/kubeconfigs/production.yaml",
      "kubectl --context kind-flux-hub create namespace production --dry-run=client -o yaml | kubectl --context kind-flux-hub apply --server-side --force-conflicts --field-manager=flux-fleet -f -",
      "kubectl --context kind-flux-hub create secret generic cluster-kubeconfig --namespace production --from-file=value=.fleet/kubeconfigs/production.yaml --dry-run=client -o yaml | kubectl --context kind-flux-hub apply --server-side --force-conflicts --field-manager=flux-fleet -f -",
    ]);
  });

  it("keeps arguments as separate words and kubeconfigs private", () => {
    const [first, , , kubeconfig] = planFleetUp(TWO).steps;
    expect(first?.argv).toEqual(["kind", "create", "cluster", "--name", "flux-hub", "--image", "kindest/node:v1.36.4", "--wait", "5m"]);
    expect(kubeconfig?.stdout).toEqual({ kind: "file", path: ".fleet/kubeconfigs/staging.yaml", mode: 0o600 });
  });

  it("scales to five spokes in topology order", () => {
    expect(planFleetUp(FIVE, { kubernetesVersion: "1.35.8" }).steps.map(formatCommand)).toEqual([
      create("flux-hub", "v1.35.8"),
      create("flux-staging", "v1.35.8"),
      create("flux-production", "v1.35.8"),
      create("flux-qa", "v1.35.8"),
      create("flux-edge-eu", "v1.35.8"),
      create("flux-edge-us", "v1.35.8"),
      ...spokeSteps("staging"),
      ...spokeSteps("production"),
      ...spokeSteps("qa"),
      ...spokeSteps("edge-eu"),
      ...spokeSteps("edge-us"),
    ]);
  });

  it("skips clusters that already exist but still refreshes every kubeconfig secret", () => {
    const plan = planFleetUp(FIVE, { existingClusters: ["flux-hub", "flux-qa", "kind"] });
    expect(plan.steps.filter((s) => s.argv[1] === "create").map((s) => s.argv[4])).toEqual([
      "flux-staging",
      "flux-production",
      "flux-edge-eu",
      "flux-edge-us",
    ]);
    expect(plan.steps.filter((s) => s.argv.includes("secret")).map((s) => s.argv[s.argv.indexOf("--namespace") + 1])).toEqual([
      "staging",
      "production",
      "qa",
      "edge-eu",
      "edge-us",
    ]);
  });

  it("uses a full node image when given one", () => {
    const image = "kindest/node:v1.36.4@sha256:099e049362a1526b2db71494e1947aae99bd16290d7c895f2b7ea312e3cbfaed";
    expect(planFleetUp(TWO, { nodeImage: image }).steps[0]?.argv[6]).toBe(image);
  });

  it("normalises and checks the Kubernetes version", () => {
    expect(kindNodeImage("1.34.11")).toBe("kindest/node:v1.34.11");
    expect(kindNodeImage("v1.37.0")).toBe("kindest/node:v1.37.0");
    expect(() => kindNodeImage("latest")).toThrow(/Kubernetes version "latest" is not a version kind publishes node images for/);
    expect(() => kindNodeImage("1.36")).toThrow(LifecycleError);
  });

  it("parses kind get clusters output", () => {
    expect(parseKindClusters("flux-hub\nflux-staging\n\n")).toEqual(["flux-hub", "flux-staging"]);
    expect(parseKindClusters("No kind clusters found.\n")).toEqual([]);
  });
});

describe("fleetUp", () => {
  let tools: FakeTools | undefined;
  afterEach(() => tools?.cleanup());

  it("prints the plan in a dry run, reports missing tools and runs nothing", async () => {
    tools = createFakeTools([]);
    const stdout = createOutput();
    const stderr = createOutput();
    const result = await fleetUp(TWO, { dryRun: true, cwd: tools.cwd, env: tools.env, stdout, stderr });
    expect(result.ran).toBe(false);
    expect(stdout.text()).toBe(formatPlan(planFleetUp(TWO)));
    expect(stdout.text()).toContain("# 1. Create kind cluster flux-hub\n");
    expect(stderr.text()).toContain("✗ kind: not found on PATH — install it: https://kind.sigs.k8s.io/docs/user/quick-start/#installation");
    expect(result.prerequisites.problems.map((p) => p.tool)).toEqual(["docker", "kind", "kubectl"]);
    expect(tools.calls()).toEqual([]);
  });

  it("takes the Kubernetes version from FLEET_KUBERNETES_VERSION, and the injected cluster list in a dry run", async () => {
    tools = createFakeTools([], { FLEET_KUBERNETES_VERSION: "v1.34.11" });
    const stdout = createOutput();
    const result = await fleetUp(TWO, { dryRun: true, env: tools.env, stdout, stderr: createOutput(), existingClusters: ["flux-staging"] });
    expect(result.skipped).toEqual(["flux-staging"]);
    expect(result.plan.steps.filter((s) => s.argv[1] === "create").map((s) => s.argv.slice(4, 7))).toEqual([
      ["flux-hub", "--image", "kindest/node:v1.34.11"],
      ["flux-production", "--image", "kindest/node:v1.34.11"],
    ]);
  });

  it("refuses to run without its tools and names each missing one", async () => {
    tools = createFakeTools(["kubectl"]);
    const run = fleetUp(TWO, { cwd: tools.cwd, env: tools.env, stdout: createOutput(), stderr: createOutput() });
    await expect(run).rejects.toThrow(PrerequisiteError);
    await expect(fleetUp(TWO, { cwd: tools.cwd, env: tools.env, stdout: createOutput(), stderr: createOutput() })).rejects.toThrow(
      /docker: not found on PATH[^\n]*\n\s+- kind: not found on PATH/,
    );
    expect(tools.calls().map((call) => call.slice(0, 2))).toEqual([
      ["kubectl", "version"],
      ["kubectl", "version"],
    ]);
  });

  it("runs the plan against the tools, skipping clusters kind already has", async () => {
    tools = createFakeTools(["docker", "kind", "kubectl"], { FAKE_KIND_CLUSTERS: "flux-hub,unrelated" });
    const stderr = createOutput();
    const result = await fleetUp(TWO, { cwd: tools.cwd, env: tools.env, stdout: createOutput(), stderr });
    expect(result.ran).toBe(true);
    expect(result.skipped).toEqual(["flux-hub"]);
    const calls = tools.calls().filter((call) => call[1] !== "version");
    // Both sides of a pipe start together, so only the reader's "stdin" entry (logged after the writer's output
    // arrived) has a fixed place; the apply calls themselves are counted.
    const apply = "kubectl --context kind-flux-hub apply --server-side --force-conflicts --field-manager=flux-fleet -f -";
    expect(calls.filter((call) => call.join(" ") === apply)).toHaveLength(4);
    expect(calls.map((call) => call.join(" ")).filter((line) => line !== apply)).toEqual([
      "kind get clusters",
      "kind create cluster --name flux-staging --image kindest/node:v1.36.4 --wait 5m",
      "kind create cluster --name flux-production --image kindest/node:v1.36.4 --wait 5m",
      "kind get kubeconfig --internal --name flux-staging",
      "kubectl --context kind-flux-hub create namespace staging --dry-run=client -o yaml",
      "stdin Namespace staging",
      "kubectl --context kind-flux-hub create secret generic cluster-kubeconfig --namespace staging --from-file=value=.fleet/kubeconfigs/staging.yaml --dry-run=client -o yaml",
      "stdin Secret cluster-kubeconfig",
      "kind get kubeconfig --internal --name flux-production",
      "kubectl --context kind-flux-hub create namespace production --dry-run=client -o yaml",
      "stdin Namespace production",
      "kubectl --context kind-flux-hub create secret generic cluster-kubeconfig --namespace production --from-file=value=.fleet/kubeconfigs/production.yaml --dry-run=client -o yaml",
      "stdin Secret cluster-kubeconfig",
    ]);
    expect(stderr.text()).toContain("kind cluster flux-hub already exists: not creating it\n");
    expect(stderr.text()).toContain("==> [2/8] Create kind cluster flux-production\n");
    const kubeconfig = join(tools.cwd, ".fleet/kubeconfigs/staging.yaml");
    expect(readFileSync(kubeconfig, "utf8")).toContain("server: https://flux-staging-control-plane:6443");
    expect(statSync(kubeconfig).mode & 0o777).toBe(0o600);
    expect(statSync(join(tools.cwd, ".fleet")).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(tools.cwd, ".fleet/.gitignore"), "utf8")).toMatch(/^\*$/m);
  });

  it("finishes the job on a rerun after a failed step", async () => {
    tools = createFakeTools(["docker", "kind", "kubectl"], { FAKE_FAIL: "kind create cluster --name flux-production" });
    const options = { cwd: tools.cwd, stdout: createOutput(), stderr: createOutput() };
    await expect(fleetUp(TWO, { ...options, env: tools.env })).rejects.toThrow(
      /Step 3 of 9 failed: Create kind cluster flux-production; "kind" exited with code 1/,
    );
    const rerun = await fleetUp(TWO, { ...options, env: { ...tools.env, FAKE_FAIL: "", FAKE_KIND_CLUSTERS: "flux-hub,flux-staging" } });
    expect(rerun.plan.steps.filter((s) => s.argv[1] === "create").map((s) => s.argv[4])).toEqual(["flux-production"]);
    expect(rerun.plan.steps).toHaveLength(7);
  });
});
