import { describe, expect, it } from "vitest";
import { LifecycleError } from "./errors.ts";
import { createFleetTopology, fleetClusters, kindClusterName, kubeContext, validateTopology, type FleetTopology } from "./topology.ts";

describe("topology", () => {
  it("names kind clusters with a prefix, flux- by default", () => {
    expect(kindClusterName("flux-", "staging")).toBe("flux-staging");
    expect(kindClusterName("dev-", "hub")).toBe("dev-hub");
    expect(kubeContext("flux-hub")).toBe("kind-flux-hub");
  });

  it("builds the seed's topology from spoke names", () => {
    expect(createFleetTopology({ spokes: ["staging", "production"] })).toEqual({
      hub: { name: "hub", kindCluster: "flux-hub" },
      spokes: [
        { name: "staging", kindCluster: "flux-staging", namespace: "staging", kubeconfigSecret: "cluster-kubeconfig" },
        { name: "production", kindCluster: "flux-production", namespace: "production", kubeconfigSecret: "cluster-kubeconfig" },
      ],
    });
  });

  it("keeps overridden spoke fields and the prefix", () => {
    const topology = createFleetTopology({
      hub: "central",
      prefix: "lab-",
      spokes: [{ name: "edge", namespace: "edge-eu", kubeconfigSecret: "edge-kubeconfig" }],
    });
    expect(topology.hub).toEqual({ name: "central", kindCluster: "lab-central" });
    expect(topology.spokes[0]).toEqual({
      name: "edge",
      kindCluster: "lab-edge",
      namespace: "edge-eu",
      kubeconfigSecret: "edge-kubeconfig",
    });
    expect(fleetClusters(topology)).toEqual(["lab-central", "lab-edge"]);
  });

  const base = (): FleetTopology => createFleetTopology({ spokes: ["staging", "production"] });
  it.each<[string, (t: FleetTopology) => void, RegExp]>([
    ["an invalid spoke name", (t) => (t.spokes[0]!.name = "Prod_1"), /Spoke name "Prod_1" is not a valid DNS-1123 label/],
    [
      "a cluster used twice",
      (t) => (t.spokes[1]!.kindCluster = "flux-hub"),
      /Kind cluster "flux-hub" of spoke "production" is already used by hub "hub"/,
    ],
    [
      "a shared namespace",
      (t) => (t.spokes[1]!.namespace = "staging"),
      /Spokes "staging" and "production" share the hub namespace "staging"/,
    ],
    ["the flux-system namespace", (t) => (t.spokes[0]!.namespace = "flux-system"), /uses the hub namespace "flux-system"/],
    [
      "a duplicated spoke",
      (t) => (t.spokes[1] = { ...t.spokes[0]!, kindCluster: "flux-other", namespace: "other" }),
      /Spoke "staging" appears twice/,
    ],
    ["no spokes", (t) => (t.spokes = []), /The fleet has no spokes/],
    ["a bad secret name", (t) => (t.spokes[0]!.kubeconfigSecret = "Kube Config"), /Kubeconfig secret "Kube Config" of spoke "staging"/],
  ])("rejects %s", (_, mutate, message) => {
    const topology = base();
    mutate(topology);
    expect(() => validateTopology(topology)).toThrow(LifecycleError);
    expect(() => validateTopology(topology)).toThrow(message);
  });
});
