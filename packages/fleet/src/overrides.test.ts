import { describe, expect, it } from "vitest";
import { clusterIssuers, ingressNginx, podinfo, seedProfile } from "./seed-components.ts";
import { renderHelmOverridePatch, renderManifestsOverridePatches } from "./overrides.ts";
import { defineCluster } from "./cluster.ts";
import { certManager } from "./seed-components.ts";

describe("renderHelmOverridePatch", () => {
  it("writes the seed's podinfo patch for production", () => {
    expect(renderHelmOverridePatch(podinfo, { version: ">=1.0.0", host: "podinfo.production", test: false })).toEqual({
      file: "podinfo-values.yaml",
      target: { kind: "HelmRelease", name: "podinfo" },
      document: {
        apiVersion: "helm.toolkit.fluxcd.io/v2",
        kind: "HelmRelease",
        metadata: { name: "podinfo" },
        spec: {
          chart: { spec: { version: ">=1.0.0" } },
          test: { enable: false },
          values: { ingress: { hosts: [{ host: "podinfo.production", paths: [{ path: "/", pathType: "ImplementationSpecific" }] }] } },
        },
      },
    });
  });

  it("translates replicas through the chart's own values and merges explicit values over them", () => {
    const patch = renderHelmOverridePatch(ingressNginx, { replicas: 2, values: { controller: { service: { type: "LoadBalancer" } } } });
    expect(patch?.document["spec"]).toEqual({ values: { controller: { replicaCount: 2, service: { type: "LoadBalancer" } } } });
  });

  it("lets explicit values win over replicas and host", () => {
    const patch = renderHelmOverridePatch(podinfo, { replicas: 2, values: { replicaCount: 3 } });
    expect(patch?.document["spec"]).toEqual({ values: { replicaCount: 3 } });
  });

  it("writes suspend for an incident", () => {
    expect(renderHelmOverridePatch(podinfo, { suspend: true })?.document["spec"]).toEqual({ suspend: true });
  });

  it("returns nothing when the overrides change nothing", () => {
    expect(renderHelmOverridePatch(podinfo, {})).toBeUndefined();
  });

  it("refuses a host for a chart that does not say how to set one", () => {
    expect(() => renderHelmOverridePatch(certManager, { host: "x" })).toThrow('component "cert-manager" does not define valuesFor.host');
  });
});

describe("renderManifestsOverridePatches", () => {
  it("patches one object of a manifests component, keeping its apiVersion", () => {
    const [patch] = renderManifestsOverridePatches(clusterIssuers, {
      patches: [{ target: { kind: "ClusterIssuer", name: "letsencrypt" }, patch: { spec: { acme: { email: "ops@example.com" } } } }],
    });
    expect(patch).toEqual({
      file: "cluster-issuers-clusterissuer-letsencrypt.yaml",
      target: { kind: "ClusterIssuer", name: "letsencrypt" },
      document: {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: "letsencrypt" },
        spec: { acme: { email: "ops@example.com" } },
      },
    });
  });
});

describe("defineCluster", () => {
  it("fills the seed's defaults and records where it was defined", () => {
    const cluster = defineCluster({ name: "staging", profile: seedProfile });
    expect(cluster.kubeconfigSecret).toBe("cluster-kubeconfig");
    expect(cluster.production).toBe(false);
    expect(cluster.overrides).toEqual({});
    expect(seedProfile.reconcile).toEqual({ interval: "1h", retryInterval: "3m", timeout: "5m" });
  });

  it("type-checks override keys and values against the profile", () => {
    defineCluster({
      name: "typed",
      profile: seedProfile,
      overrides: {
        podinfo: { host: "a.example.com", values: { ingress: { className: "nginx" } } },
        // @ts-expect-error: no component of the seed profile is called "redis"
        redis: { version: "1.x" },
      },
    });
    defineCluster({
      name: "typed",
      profile: seedProfile,
      // @ts-expect-error: replicas is a number
      overrides: { "ingress-nginx": { replicas: "two" } },
    });
    expect(seedProfile.components.map((c) => c.name)).toEqual(["cert-manager", "ingress-nginx", "cluster-issuers", "podinfo"]);
  });
});
