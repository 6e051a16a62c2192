import { describe, expect, it } from "vitest";
import { defineChartSchema } from "@flux-fleet/charts";
import { defineCluster, defineClusterProfile, defineFleet, defineHelmComponent, type Component } from "@flux-fleet/fleet";
import { defineAppOperators, defineClusterAdmins } from "@flux-fleet/tenants";
import { checkFleetChartValues } from "./check-chart-values.ts";

const context = { root: "/repo", entry: "fleet/fleet.ts" };
const schema = defineChartSchema<{ replicaCount?: number; image?: { tag?: string } }>({
  chart: "app",
  version: "1.2.0",
  source: "inferred",
  repository: "https://charts.example.com",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      replicaCount: { type: "number" },
      image: { type: "object", additionalProperties: false, properties: { tag: { type: "string" } } },
    },
  },
});

function check(component: Component, clusters: Array<{ name: string; overrides: object }>): string[] {
  const profile = defineClusterProfile({ name: "p", components: [component] });
  const fleet = defineFleet({
    tenants: [defineClusterAdmins({ name: "sre", namespaces: ["infra"] }), defineAppOperators({ name: "dev", namespaces: ["app"] })],
    clusters: clusters.map(({ name, overrides }) => defineCluster({ name, profile, overrides: overrides as never })),
  });
  return checkFleetChartValues(fleet, context).map(
    (issue) => `${issue.severity} ${issue.where.cluster ?? "-"} ${issue.where.field ?? ""}: ${issue.message}`,
  );
}

const app = (options: { values?: object; version?: string; valuesSchema?: unknown } = {}) =>
  defineHelmComponent({
    name: "app",
    layer: "apps",
    namespace: "app",
    repository: { url: "https://charts.example.com", interval: "1h" },
    chart: options.version === undefined ? {} : { version: options.version },
    interval: "1h",
    valuesSchema: (options.valuesSchema ?? schema) as typeof schema,
    values: options.values,
    valuesFor: { replicas: (replicaCount) => ({ replicaCount }) },
  });

describe("checkFleetChartValues", () => {
  it("checks the component's defaults once, at the component, however many clusters use it", () => {
    const result = check(app({ values: { image: { tga: "1" } } }), [
      { name: "a", overrides: {} },
      { name: "b", overrides: { app: { replicas: 2 } } },
    ]);
    expect(result).toEqual([
      'error - values.image.tga: Unknown key "tga" in app 1.2.0\'s image (did you mean "tag"?): the chart does not read it; rename it.',
    ]);
  });

  it("reports a cluster's value at the override that wrote it, not the defaults' problems again", () => {
    const result = check(app(), [{ name: "a", overrides: { app: { values: { image: { tag: 7 } } } } }]);
    expect(result).toEqual(["error a overrides.app.values.image.tag: 7 is not a string, as app 1.2.0's value image.tag must be."]);
  });

  it("points a value that valuesFor produced at the override it came from", () => {
    const bad = defineHelmComponent({
      ...app(),
      valuesFor: { replicas: (replicaCount) => ({ replicaCount: String(replicaCount) }) as never },
    });
    expect(check(bad, [{ name: "a", overrides: { app: { replicas: 2 } } }])).toEqual([
      'error a overrides.app.replicas (valuesFor.replicas sets replicaCount): "2" is not a number, as app 1.2.0\'s value replicaCount must be.',
    ]);
  });

  it.each([
    ["an exact version above the schema's", "1.3.0", "1.3.0"],
    ["a range wholly above it", "2.x", "2.0.0"],
  ])("warns about %s, naming the refresh command", (_what, version, target) => {
    expect(check(app({ version }), [{ name: "a", overrides: {} }])).toEqual([
      `warning - chart.version: Chart app ${JSON.stringify(version)} is past the version its values schema describes (1.2.0), so values are checked against 1.2.0's schema: refresh it with "flux-fleet chart add https://charts.example.com app --version ${target}" and point valuesSchema at the new module.`,
    ]);
  });

  it.each(["1.2.0", "1.x", ">=1.0.0", "1.0.0"])("does not warn about %s, which includes or precedes the schema's version", (version) => {
    expect(check(app({ version }), [{ name: "a", overrides: {} }])).toEqual([]);
  });

  it("refuses a schema of another chart, and something that is not a schema", () => {
    expect(check(app({ valuesSchema: { ...schema, chart: "other" } }), [{ name: "a", overrides: {} }])).toEqual([
      'error - valuesSchema: valuesSchema describes the chart "other", but the component installs "app": name the schema of "app".',
    ]);
    expect(check(app({ valuesSchema: "app.json" }), [{ name: "a", overrides: {} }])[0]).toMatch(
      /^error - valuesSchema: valuesSchema must be a chart values schema/,
    );
  });
});
