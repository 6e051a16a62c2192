import { checkChartValues, compileValuesSchema, type ChartValuesSchema, type ValuesProblem } from "@flux-fleet/charts";
import type { Cluster, Component, Fleet, HelmComponent, HelmOverrides } from "@flux-fleet/fleet";
import { deepMerge, isPlainObject, renderHelmOverridePatch } from "@flux-fleet/fleet";
import validRange from "semver/ranges/valid.js";
import validVersion from "semver/functions/valid.js";
import lowerThanRange from "semver/ranges/ltr.js";
import minVersion from "semver/ranges/min-version.js";
import type { Issue, Where } from "@flux-fleet/validate";
import { locate, type RenderContext } from "../fleet/locate.ts";
import { didYouMean } from "./unknown-keys.ts";

/**
 * Checks every Helm component's values against its chart's values schema (`valuesSchema`): the component's
 * defaults once, then each cluster's merged values (defaults, `replicas`/`host` through `valuesFor`, then
 * `values`), each problem reported where it was written. Warns when a chart version moves past the version the
 * schema describes. Each schema is compiled once, however many clusters use it.
 *
 * @example
 * ```ts
 * const issues = checkFleetChartValues(fleet, { root, entry: "fleet/fleet.ts" });
 * ```
 */
export function checkFleetChartValues(fleet: Fleet, context: RenderContext): Issue[] {
  const issues: Issue[] = [];
  const checked = new Set<Component>();
  for (const cluster of fleet.clusters as readonly Cluster[]) {
    for (const component of cluster.profile.components) {
      if (component.type !== "helm" || component.valuesSchema === undefined) continue;
      const helm = component as HelmComponent;
      const componentAt: Where = { ...locate(context, helm.definedAt), component: helm.name };
      if (!checked.has(component)) {
        checked.add(component);
        if (!checkComponent(helm, componentAt, issues)) continue;
      } else if (!usable(helm)) continue;
      checkCluster(cluster, helm, context, issues);
    }
  }
  return issues;
}

function usable(component: HelmComponent): boolean {
  const schema = component.valuesSchema as unknown;
  return isPlainObject(schema) && isPlainObject(schema["schema"]) && typeof schema["version"] === "string";
}

/** The component's own values and chart version against its schema; false when the schema itself is unusable. */
function checkComponent(component: HelmComponent, at: Where, issues: Issue[]): boolean {
  const schema = component.valuesSchema!;
  if (!usable(component)) {
    issues.push({
      severity: "error",
      message: `valuesSchema must be a chart values schema (chart, version and schema), such as the module "flux-fleet chart add" writes into fleet/charts/.`,
      where: { ...at, field: "valuesSchema" },
    });
    return false;
  }
  const chart = component.chart?.name ?? component.name;
  if (schema.chart !== chart) {
    issues.push({
      severity: "error",
      message: `valuesSchema describes the chart ${JSON.stringify(schema.chart)}, but the component installs ${JSON.stringify(chart)}: name the schema of ${JSON.stringify(chart)}.`,
      where: { ...at, field: "valuesSchema" },
    });
    return false;
  }
  try {
    compileValuesSchema(schema);
  } catch (error) {
    issues.push({
      severity: "error",
      message: `The values schema of ${schema.chart} ${schema.version} does not compile (${(error as Error).message}): regenerate it with "flux-fleet chart add".`,
      where: { ...at, field: "valuesSchema" },
    });
    return false;
  }
  if (component.values !== undefined)
    for (const problem of check(schema, component.values))
      issues.push({ severity: "error", message: problem.message, where: { ...at, field: `values.${problem.path}` } });
  const drift = driftMessage(component, schema, component.chart?.version);
  if (drift) issues.push({ severity: "warning", message: drift, where: { ...at, field: "chart.version" } });
  return true;
}

function check(schema: ChartValuesSchema<object>, values: unknown): ValuesProblem[] {
  return checkChartValues(schema, values, { didYouMean });
}

/** One cluster's merged values; only problems that this cluster's overrides bring in (the defaults are checked once). */
function checkCluster(cluster: Cluster, component: HelmComponent, context: RenderContext, issues: Issue[]): void {
  const overrides = (cluster.overrides as Record<string, unknown>)[component.name];
  if (!isPlainObject(overrides)) return;
  const at: Where = { ...locate(context, cluster.definedAt), cluster: cluster.name, component: component.name };
  const field = `overrides.${component.name}`;
  const schema = component.valuesSchema!;
  const drift = driftMessage(component, schema, overrides["version"]);
  if (drift) issues.push({ severity: "warning", message: drift, where: { ...at, field: `${field}.version` } });
  let patchValues: unknown;
  try {
    // The values the cluster's patch carries, as gen writes them: valuesFor translations, then values on top.
    patchValues = renderHelmOverridePatch(component, overrides as HelmOverrides)?.document["spec"];
  } catch {
    return; // the fleet checks report overrides that cannot be rendered
  }
  const values = isPlainObject(patchValues) ? patchValues["values"] : undefined;
  if (values === undefined) return;
  let merged: unknown;
  try {
    merged = deepMerge((component.values ?? {}) as Record<string, unknown>, values as Record<string, unknown>);
  } catch {
    return;
  }
  for (const problem of check(schema, merged)) {
    const origin = originOf(problem, overrides, component);
    if (origin === undefined) continue;
    issues.push({ severity: "error", message: problem.message, where: { ...at, field: `${field}.${origin}` } });
  }
}

/** Which of the cluster's override fields wrote the refused value: `values.<path>`, or `replicas` / `host` through valuesFor. */
function originOf(problem: ValuesProblem, overrides: Record<string, unknown>, component: HelmComponent): string | undefined {
  const { segments } = problem;
  if (has(overrides["values"], segments)) return `values.${problem.path}`;
  for (const key of ["replicas", "host"] as const) {
    const translate = component.valuesFor?.[key];
    // A mistyped replicas or host is reported by the fleet checks already, not again through what it translates to.
    const input = overrides[key];
    if (typeof translate !== "function" || (key === "replicas" ? !Number.isInteger(input) : typeof input !== "string")) continue;
    try {
      if (has((translate as (input: unknown) => unknown)(input), segments)) return `${key} (valuesFor.${key} sets ${problem.path})`;
    } catch {
      continue;
    }
  }
  return undefined;
}

function has(value: unknown, segments: readonly string[]): boolean {
  let node = value;
  for (const segment of segments) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isPlainObject(node) && Object.hasOwn(node, segment)) node = node[segment];
    else return false;
  }
  return node !== undefined;
}

/**
 * A warning when the chart version (exact or a range) no longer includes the version the values schema describes:
 * values are then checked, and typed, against another version's schema.
 */
function driftMessage(component: HelmComponent, schema: ChartValuesSchema<object>, version: unknown): string | undefined {
  if (typeof version !== "string" || validRange(version) === null) return undefined;
  const described = validVersion(schema.version, { loose: true });
  // Only a version above the schema's: an older pin is usually a subset of the newer values, and the pinning rules cover it.
  if (described === null || !lowerThanRange(described, version, { includePrerelease: true })) return undefined;
  const lowest = validVersion(version) ?? minVersion(version)?.version ?? "<version>";
  // Charts that tag their versions with a "v" (cert-manager) keep it in the command.
  const target = schema.version.startsWith("v") && !lowest.startsWith("v") ? `v${lowest}` : lowest;
  const repository = schema.repository ?? component.repository?.url ?? "<repository-url>";
  return `Chart ${schema.chart} ${JSON.stringify(version)} is past the version its values schema describes (${schema.version}), so values are checked against ${schema.version}'s schema: refresh it with "flux-fleet chart add ${repository} ${schema.chart} --version ${target}" and point valuesSchema at the new module.`;
}
