import { afterEach, describe, expect, it } from "vitest";
import { createFakeTools, createOutput, type FakeTools } from "../test/fake-tools.ts";
import { fleetDown, planFleetDown } from "./fleet-down.ts";
import { formatCommand, formatPlan } from "./plan.ts";
import { createFleetTopology } from "./topology.ts";

describe("fleet down", () => {
  it("deletes the hub and both spokes, nothing else", () => {
    expect(planFleetDown(createFleetTopology({ spokes: ["staging", "production"] })).steps.map(formatCommand)).toEqual([
      "kind delete cluster --name flux-hub",
      "kind delete cluster --name flux-staging",
      "kind delete cluster --name flux-production",
    ]);
  });

  it("deletes all six clusters of a five-spoke fleet", () => {
    const topology = createFleetTopology({ spokes: ["staging", "production", "qa", "edge-eu", "edge-us"] });
    expect(planFleetDown(topology).steps.map((step) => step.argv)).toEqual([
      ["kind", "delete", "cluster", "--name", "flux-hub"],
      ["kind", "delete", "cluster", "--name", "flux-staging"],
      ["kind", "delete", "cluster", "--name", "flux-production"],
      ["kind", "delete", "cluster", "--name", "flux-qa"],
      ["kind", "delete", "cluster", "--name", "flux-edge-eu"],
      ["kind", "delete", "cluster", "--name", "flux-edge-us"],
    ]);
  });

  it("follows custom kind cluster names", () => {
    const topology = {
      hub: { name: "hub", kindCluster: "lab-hub" },
      spokes: [{ name: "a", kindCluster: "lab-a", namespace: "a", kubeconfigSecret: "k" }],
    };
    expect(planFleetDown(topology).steps.map((s) => s.argv[4])).toEqual(["lab-hub", "lab-a"]);
  });

  let tools: FakeTools | undefined;
  afterEach(() => tools?.cleanup());

  it("prints the plan in a dry run and runs it otherwise", async () => {
    tools = createFakeTools(["docker", "kind"], { FAKE_KIND_CLUSTERS: "flux-hub,flux-staging,flux-production,someone-elses" });
    const topology = createFleetTopology({ spokes: ["staging", "production"] });
    const stdout = createOutput();
    const dry = await fleetDown(topology, { dryRun: true, env: tools.env, stdout, stderr: createOutput() });
    expect(stdout.text()).toBe(formatPlan(dry.plan));
    expect(tools.calls().filter((call) => call[1] === "delete")).toEqual([]);
    const real = await fleetDown(topology, { cwd: tools.cwd, env: tools.env, stdout, stderr: createOutput() });
    expect(real.ran).toBe(true);
    expect(
      tools
        .calls()
        .filter((call) => call[1] === "delete")
        .map((call) => call.at(-1)),
    ).toEqual(["flux-hub", "flux-staging", "flux-production"]);
  });
});
