import { describe, expect, it } from "vitest";
import {
  defineCluster,
  defineClusterProfile,
  defineFleet,
  defineHelmComponent,
  defineManifests,
  seedProfile,
  type Component,
} from "@flux-fleet/fleet";
import { defineAppOperators, defineClusterAdmins, type Tenant } from "@flux-fleet/tenants";
import { checkFleet } from "./check-fleet.ts";

const context = { root: "/repo", entry: "fleet/fleet.ts" };
const sreTeam = defineClusterAdmins({ name: "sre-team", namespaces: ["cert-manager", "ingress-nginx"] });
const devTeam = defineAppOperators({ name: "dev-team", namespaces: ["podinfo"] });

function messages(options: {
  tenants?: Tenant[];
  components?: Component[];
  production?: boolean;
  pinning?: "warn" | "strict";
  overrides?: object;
  acknowledge?: readonly "unpinned-charts"[];
}) {
  const profile = defineClusterProfile({
    name: "p",
    components: [...seedProfile.components, ...(options.components ?? [])],
    pinning: options.pinning,
  });
  const cluster = defineCluster({ name: "prod", profile, production: options.production, overrides: options.overrides as never });
  const fleet = defineFleet({ tenants: options.tenants ?? [sreTeam, devTeam], clusters: [cluster], acknowledge: options.acknowledge });
  return checkFleet(fleet, context).map((issue) => `${issue.severity} ${issue.where.field ?? ""}: ${issue.message}`);
}

const app = (namespace: string, layer: "apps" | "infra-controllers" = "apps") =>
  defineHelmComponent({
    name: "app",
    layer,
    namespace,
    repository: { url: "https://charts.example.com", interval: "1h" },
    chart: {},
    interval: "5m",
  });

describe("checkFleet", () => {
  it("accepts the seed fleet", () => {
    expect(messages({})).toEqual([]);
  });

  it("keeps apps out of the cluster admins' namespaces", () => {
    expect(messages({ components: [app("cert-manager")] })).toEqual([
      'error namespace: Component "app" is in the apps layer but its namespace "cert-manager" belongs to cluster-admins tenant "sre-team": apps run with a restricted identity, so move the namespace to an app-operators tenant or the component to an infra layer.',
    ]);
  });

  it("keeps infra components out of app teams' namespaces", () => {
    expect(messages({ components: [app("podinfo", "infra-controllers")] })[0]).toMatch(
      /^error namespace: Component "app" is in the infra-controllers layer but its namespace "podinfo" belongs to app-operators tenant "dev-team"/,
    );
  });

  it.each([
    ["no cluster admins", [devTeam], /^error tenants: The fleet has no cluster-admins tenant/],
    [
      "two cluster admins",
      [sreTeam, defineClusterAdmins({ name: "ops", serviceAccountName: "flux-ops" }), devTeam],
      /^error tenants: The fleet has 2 cluster-admins tenants \("sre-team", "ops"\)/,
    ],
    [
      "a namespace owned twice",
      [sreTeam, devTeam, defineAppOperators({ name: "web", namespaces: ["podinfo"], serviceAccountName: "flux-web" })],
      /^error namespaces\[0\]: Namespace "podinfo" is already owned by tenant "dev-team"/,
    ],
    [
      "a shared identity",
      [sreTeam, devTeam, defineAppOperators({ name: "web", namespaces: ["web"] })],
      /^error serviceAccountName: Tenant "web" uses the identity "flux-restricted" that tenant "dev-team" already uses/,
    ],
    [
      "a namespace named like a cluster",
      [sreTeam, defineAppOperators({ name: "dev-team", namespaces: ["podinfo", "prod"] })],
      /^error namespaces\[1\]: Namespace "prod" is also the name of a cluster/,
    ],
  ])("reports %s", (_name, tenants, expected) => {
    expect(messages({ tenants })).toContainEqual(expect.stringMatching(expected));
  });

  it("warns about chart ranges on production clusters, and refuses them with strict pinning", () => {
    const pinned = { "cert-manager": { version: "1.14.4" }, "ingress-nginx": { version: "4.10.0" } };
    const overrides = { ...pinned, podinfo: { version: ">=6.0.0" } };
    expect(messages({ production: true, overrides })).toEqual([
      expect.stringMatching(/^warning overrides.podinfo.version: Production cluster "prod" follows the range ">=6.0.0"/),
    ]);
    expect(messages({ production: true, pinning: "strict", overrides })).toEqual([
      expect.stringMatching(/^error overrides.podinfo.version/),
    ]);
    expect(messages({ production: true, pinning: "strict", overrides: { ...pinned, podinfo: { version: "6.6.2" } } })).toEqual([]);
    expect(messages({ production: true, overrides: pinned })).toEqual([
      'warning overrides.podinfo.version (podinfo\'s default): Production cluster "prod" follows the latest chart: pin an exact chart version and promote it from staging.',
    ]);
    expect(messages({ production: false, pinning: "strict", overrides })).toEqual([]);
  });

  it("stops warning about chart ranges the fleet acknowledges, but still refuses them with strict pinning", () => {
    const overrides = { "cert-manager": { version: "1.x" }, "ingress-nginx": { version: ">=4.10.0" }, podinfo: { version: ">=6.0.0" } };
    expect(messages({ production: true, overrides, acknowledge: ["unpinned-charts"] })).toEqual([]);
    expect(messages({ production: true, pinning: "strict", overrides, acknowledge: ["unpinned-charts"] })).toHaveLength(3);
  });

  it("refuses plain manifests in a layer whose objects are applied on the hub", () => {
    const configMap = defineManifests({
      name: "settings",
      layer: "apps",
      objects: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "values" } }],
    });
    const deployment = defineManifests({
      name: "web",
      layer: "apps",
      objects: [{ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" } }],
    });
    expect(messages({ components: [configMap] })).toEqual([]);
    expect(messages({ components: [deployment] })).toEqual([
      'error objects[0]: Deployment "web" would be applied to the hub, not the spoke: the apps layer ships only HelmReleases and their sources; move it to infra-configs or wrap it in a chart.',
    ]);
  });

  it("refuses two components that create the same HelmRepository on the hub", () => {
    const other = defineHelmComponent({
      name: "podinfo-canary",
      layer: "apps",
      namespace: "podinfo",
      repository: { type: "oci", url: "oci://ghcr.io/x", interval: "1h", name: "podinfo" },
      chart: { name: "podinfo" },
      interval: "5m",
    });
    expect(messages({ components: [other] })).toEqual([
      'error repository.name: HelmRepository/podinfo is also created by component "podinfo": both land in each spoke\'s namespace on the hub; give one another name.',
    ]);
  });

  it("checks repository URLs against the repository type", () => {
    const wrong = defineHelmComponent({
      name: "app",
      layer: "apps",
      namespace: "podinfo",
      repository: { type: "oci", url: "https://ghcr.io/x", interval: "1h" },
      chart: {},
      interval: "5m",
    });
    expect(messages({ components: [wrong] })).toEqual(['error repository.url: "https://ghcr.io/x" is not a oci:// URL.']);
  });
});
