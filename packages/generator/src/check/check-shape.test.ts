import { describe, expect, it } from "vitest";
import { defineCluster, defineClusterProfile, defineFleet, defineHelmComponent, defineManifests, seedProfile } from "@flux-fleet/fleet";
import { defineAppOperators, defineClusterAdmins } from "@flux-fleet/tenants";
import { checkFleet } from "./check-fleet.ts";

const context = { root: "/repo", entry: "fleet/fleet.ts" };
const tenants = () => [
  defineClusterAdmins({ name: "sre-team", namespaces: ["cert-manager", "ingress-nginx"] }),
  defineAppOperators({ name: "dev-team", namespaces: ["podinfo"] }),
];
const helm = (extra: object) =>
  defineHelmComponent({
    name: "app",
    layer: "apps",
    namespace: "podinfo",
    repository: { url: "https://charts.example.com", interval: "1h" },
    chart: {},
    interval: "5m",
    ...extra,
  } as never);
const withComponents = (...components: unknown[]) =>
  defineClusterProfile({ name: "p", components: [...seedProfile.components, ...components] as never });

function errors(fleet: unknown): string[] {
  return checkFleet(fleet as never, context)
    .filter((issue) => issue.severity === "error")
    .map(
      (issue) =>
        `${issue.where.cluster ?? issue.where.component ?? issue.where.tenant ?? "-"} ${issue.where.field ?? ""}: ${issue.message}`,
    );
}

describe("the fleet's shape", () => {
  it("accepts the seed fleet", () => {
    expect(errors(defineFleet({ tenants: tenants(), clusters: [defineCluster({ name: "a", profile: seedProfile })] }))).toEqual([]);
  });

  it.each([
    ["a null cluster", { clusters: [null] }, "- clusters[0]: is null, not a cluster: list clusters made with defineCluster."],
    [
      "a number as a tenant",
      { tenants: [...tenants(), 5] },
      "- tenants[2]: is number 5, not a tenant: list tenants made with defineClusterAdmins or defineAppOperators.",
    ],
    [
      "a cluster without a profile",
      { clusters: [defineCluster({ name: "a", profile: undefined as never })] },
      "a profile: is nothing, not a profile: give the cluster a profile made with defineClusterProfile, such as seedProfile.",
    ],
    [
      "an undefined component",
      { clusters: [defineCluster({ name: "a", profile: withComponents(undefined) })] },
      "- components[4]: is nothing, not a component: list components made with defineHelmComponent or defineManifests.",
    ],
    [
      "hub arguments that are not a list",
      { hub: { controllerArgs: "--concurrent=5" } },
      '- hub.controllerArgs: must be a list of strings, got "--concurrent=5".',
    ],
  ])("reports %s alone, before any check that would crash on it", (_name, options, expected) => {
    const fleet = defineFleet({
      tenants: tenants(),
      clusters: [defineCluster({ name: "a", profile: seedProfile })],
      ...(options as object),
    });
    expect(errors(fleet)).toEqual([expected]);
  });

  it.each([
    [
      "defineFleet",
      () => defineFleet({ tenants: tenants(), clusters: [], replica: 1 } as never),
      '- replica: Unknown defineFleet option "replica"',
    ],
    [
      "defineCluster",
      () => defineFleet({ tenants: tenants(), clusters: [defineCluster({ name: "a", profile: seedProfile, shardd: "s" } as never)] }),
      'a shardd: Unknown defineCluster option "shardd" (did you mean "shard"?): use one of "name", "profile", "overrides", "kubeconfigSecret", "production", "shard", "access".',
    ],
    [
      "defineHelmComponent's chart",
      () =>
        defineFleet({
          tenants: tenants(),
          clusters: [defineCluster({ name: "a", profile: withComponents(helm({ chart: { verion: "1.0.0" } })) })],
        }),
      'app chart.verion: Unknown chart option "verion" (did you mean "version"?)',
    ],
    [
      "defineManifests",
      () =>
        defineFleet({
          tenants: tenants(),
          clusters: [
            defineCluster({
              name: "a",
              profile: withComponents(defineManifests({ name: "m", layer: "infra-configs", objects: [], object: [] } as never)),
            }),
          ],
        }),
      'm object: Unknown defineManifests option "object" (did you mean "objects"?)',
    ],
    [
      "defineAppOperators",
      () =>
        defineFleet({
          tenants: [tenants()[0]!, defineAppOperators({ name: "dev-team", namespaces: ["podinfo"], rolebindingName: "x" } as never)],
          clusters: [],
        }),
      'dev-team rolebindingName: Unknown defineAppOperators option "rolebindingName" (did you mean "roleBindingName"?)',
    ],
  ])("reports an unknown key of %s with a did-you-mean", (_name, make, expected) => {
    expect(errors(make())[0]).toContain(expected);
  });

  it("reports an acknowledgement it does not know, with a did-you-mean", () => {
    const fleet = defineFleet({ tenants: tenants(), clusters: [], acknowledge: ["unpinned-chart", 3] as never });
    expect(errors(fleet)).toEqual([
      '- acknowledge[0]: Unknown acknowledgement "unpinned-chart" (did you mean "unpinned-charts"?): use one of "unpinned-charts".',
      '- acknowledge[1]: must be one of "unpinned-charts", got number 3.',
    ]);
  });

  it("checks pinning, fluxNamespace and that values are an object", () => {
    const fleet = defineFleet({
      tenants: tenants(),
      fluxNamespace: "Flux_NS",
      clusters: [
        defineCluster({
          name: "a",
          profile: defineClusterProfile({
            name: "p",
            components: [...seedProfile.components, helm({ values: "x" })],
            pinning: "loose" as never,
          }),
        }),
      ],
    });
    expect(errors(fleet)).toEqual([
      '- fluxNamespace: "Flux_NS" is not a valid DNS-1123 label for the Flux identities\' namespace (or "${CLUSTER_NAME}", the spoke\'s name): use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit.',
      '- pinning: must be "warn" or "strict", got "loose".',
      'app values: must be an object, got "x".',
    ]);
  });

  it("checks what a component's valuesFor returns, and reports it throwing", () => {
    const throwing = helm({
      valuesFor: {
        host: () => {
          throw new Error("boom");
        },
        replicas: () => ({ replicaCount: NaN }),
      },
    });
    const fleet = defineFleet({
      tenants: tenants(),
      clusters: [
        defineCluster({
          name: "a",
          profile: withComponents(throwing),
          overrides: { app: { host: "app.example.com", replicas: 2 } },
        }),
      ],
    });
    expect(errors(fleet)).toEqual([
      'a overrides.app.host: Component "app"\'s valuesFor.host threw "boom" for "app.example.com".',
      "a overrides.app.replicas (through valuesFor.replicas).replicaCount: is NaN, which YAML writes as .nan and Kubernetes (JSON) cannot hold: use a finite number, or a string if the chart expects one.",
    ]);
  });
});
