import type { Cluster, Component, Fleet, HelmComponent, ManifestsComponent } from "@flux-fleet/fleet";
import { HELM_OVERRIDE_KEYS, LAYERS, MANIFEST_OVERRIDE_KEYS, MANIFEST_PATCH_KEYS, MANIFEST_PATCH_TARGET_KEYS } from "@flux-fleet/fleet";
import type { Tenant } from "@flux-fleet/tenants";
import { type Issue, type Where, pinningProblem, HUB_SIDE_KINDS } from "@flux-fleet/validate";
import { indexFleet, type FleetIndex } from "../fleet/fleet-index.ts";
import { locate, type RenderContext } from "../fleet/locate.ts";
import {
  checkDns1123Label,
  checkDns1123Subdomain,
  checkFluxDuration,
  checkSemverRange,
  checkType,
  describeValue,
  type RuleResult,
} from "./rules.ts";
import { checkFleetShape } from "./check-shape.ts";
import { checkShards } from "./check-shards.ts";
import { checkAccess } from "./check-access.ts";
import { checkNotifications } from "./check-notifications.ts";
import { checkPlainValue } from "./check-values.ts";
import { checkComponentFile, checkManifestObjectNames, checkPlacement } from "./check-manifests.ts";
import { unknownKeyMessage } from "./unknown-keys.ts";
import { checkFleetChartValues } from "./check-chart-values.ts";

/**
 * Checks a loaded fleet for everything that would make its repository wrong, before anything is rendered:
 * names, duplicates, tenancy, durations, chart versions and every per-cluster override. Every problem is
 * reported, not only the first.
 *
 * @example
 * ```ts
 * const issues = checkFleet(fleet, { root, entry: "fleet/fleet.ts" });
 * ```
 */
export function checkFleet(fleet: Fleet, context: RenderContext): Issue[] {
  return checkAndIndexFleet(fleet, context).issues;
}

/**
 * {@link checkFleet}, also handing on the fleet's index (absent when the fleet's shape is too broken to index), so
 * that the renderer works from the same lookups the checks saw instead of building them again.
 */
export function checkAndIndexFleet(fleet: Fleet, context: RenderContext): { issues: Issue[]; index?: FleetIndex } {
  const shape = checkFleetShape(fleet, context);
  if (!shape.sound) return { issues: shape.issues };
  const issues: Issue[] = [...shape.issues];
  const index = indexFleet(fleet);
  checkTenants(fleet, context, issues);
  const wellFormed = checkComponents(fleet, index, context, issues);
  checkClusters(fleet, index, context, wellFormed, issues);
  issues.push(...checkFleetChartValues(fleet, context));
  issues.push(...checkShards(fleet, context), ...checkAccess(fleet, context), ...checkNotifications(fleet, context));
  return { issues, index };
}

/** Every part of a value that YAML cannot carry to the spoke, reported at its path under `field`. */
function checkValues(issues: Issue[], where: Where, field: string, value: unknown, options?: { models: boolean }): void {
  for (const problem of checkPlainValue(value, field, options))
    issues.push({ severity: "error", message: problem.message, where: { ...where, field: problem.path } });
}

function report(issues: Issue[], where: Where, result: RuleResult, severity: Issue["severity"] = "error"): void {
  if (result !== undefined) issues.push({ severity, message: result, where });
}

function tenantWhere(context: RenderContext, tenant: Tenant): Where {
  return { ...locate(context, tenant.definedAt), tenant: tenant.name };
}

function checkTenants(fleet: Fleet, context: RenderContext, issues: Issue[]): void {
  const admins = fleet.tenants.filter((tenant) => tenant.kind === "cluster-admins");
  if (admins.length !== 1) {
    issues.push({
      severity: "error",
      message:
        admins.length === 0
          ? 'The fleet has no cluster-admins tenant: add one with defineClusterAdmins({ name: "sre-team" }) to tenants; it owns the Flux identities on every spoke.'
          : `The fleet has ${admins.length} cluster-admins tenants (${admins.map((t) => JSON.stringify(t.name)).join(", ")}): keep one, and give other teams defineAppOperators.`,
      where: { file: context.entry, field: "tenants" },
    });
  }
  const owners = new Map<string, Tenant>();
  const identities = new Map<string, Tenant>();
  const clusterNames = new Set(fleet.clusters.map((cluster) => cluster.name));
  for (const tenant of fleet.tenants) {
    const where = tenantWhere(context, tenant);
    report(issues, { ...where, field: "name" }, checkDns1123Label(tenant.name, "a tenant name"));
    report(issues, { ...where, field: "serviceAccountName" }, checkDns1123Subdomain(tenant.serviceAccountName, "a ServiceAccount name"));
    const sharing = identities.get(tenant.serviceAccountName);
    if (sharing && sharing !== tenant) {
      report(
        issues,
        { ...where, field: "serviceAccountName" },
        `Tenant "${tenant.name}" uses the identity "${tenant.serviceAccountName}" that tenant "${sharing.name}" already uses: give each tenant its own serviceAccountName, or one could deploy into the other's namespaces.`,
      );
    }
    identities.set(tenant.serviceAccountName, tenant);
    tenant.namespaces.forEach((namespace, i) => {
      const field = `namespaces[${i}]`;
      report(issues, { ...where, field }, checkDns1123Label(namespace, "a namespace"));
      const owner = owners.get(namespace);
      if (owner)
        report(
          issues,
          { ...where, field },
          `Namespace "${namespace}" is already owned by tenant "${owner.name}": a namespace belongs to one tenant.`,
        );
      else owners.set(namespace, tenant);
      if (clusterNames.has(namespace)) {
        report(
          issues,
          { ...where, field },
          `Namespace "${namespace}" is also the name of a cluster, whose Flux identities live in the namespace of that name on the spoke: rename one of them.`,
        );
      }
    });
  }
}

function componentWhere(context: RenderContext, component: Component): Where {
  return { ...locate(context, component.definedAt), component: component.name };
}

/** Checks each component once; returns the manifests components whose objects are well-formed. */
function checkComponents(fleet: Fleet, index: FleetIndex, context: RenderContext, issues: Issue[]): Set<Component> {
  const wellFormed = new Set<Component>();
  const layerObjects = new Map<string, Component>();
  const byName = new Map<string, Component>();
  const filesByLayer = new Map<string, Component>();
  const hubObjects = new Map<string, Component>();
  for (const profile of new Set(fleet.clusters.map((cluster) => cluster.profile))) {
    const profileWhere = { ...locate(context, profile.definedAt), field: "reconcile" };
    for (const [key, value] of Object.entries(profile.reconcile))
      report(issues, { ...profileWhere, field: `reconcile.${key}` }, checkFluxDuration(value));
    for (const component of profile.components as readonly Component[]) {
      const seen = byName.get(component.name);
      if (seen === component) continue;
      const where = componentWhere(context, component);
      if (seen) {
        report(
          issues,
          { ...where, field: "name" },
          `Two different components are called "${component.name}" (profiles share components by name): rename one.`,
        );
        continue;
      }
      byName.set(component.name, component);
      const fileKey = `${component.layer}/${component.file ?? `${component.name}.yaml`}`;
      const fileOwner = filesByLayer.get(fileKey);
      if (fileOwner)
        report(
          issues,
          { ...where, field: "file" },
          `Components "${fileOwner.name}" and "${component.name}" both write deploy/${fileKey}: set a different file.`,
        );
      filesByLayer.set(fileKey, component);
      report(issues, { ...where, field: "file" }, checkComponentFile(component.file, component.layer, component.name));
      if (component.type === "helm") checkHelmComponent(component as HelmComponent, index, where, hubObjects, issues);
      else if (checkManifestsComponent(component, where, issues)) {
        wellFormed.add(component);
        checkManifestObjectNames(component, where, layerObjects, issues);
      }
    }
  }
  return wellFormed;
}

function checkHelmComponent(
  component: HelmComponent,
  index: FleetIndex,
  where: Where,
  hubObjects: Map<string, Component>,
  issues: Issue[],
): void {
  report(issues, { ...where, field: "name" }, checkDns1123Label(component.name, "a HelmRelease name"));
  if (typeof component.name === "string" && component.name.length > 53) {
    report(
      issues,
      { ...where, field: "name" },
      `"${component.name}" is longer than the 53 characters Helm allows for a release name: shorten it.`,
    );
  }
  const layer = LAYERS[component.layer];
  if (!layer || layer.delivery !== "hub-helm") {
    report(
      issues,
      { ...where, field: "layer" },
      `A Helm component must be in the infra-controllers or apps layer, whose HelmReleases the hub installs onto the spoke; got ${describeValue(component.layer)}.`,
    );
  }
  report(issues, { ...where, field: "namespace" }, checkDns1123Label(component.namespace, "a namespace"));
  const owner = index.namespaceOwners.get(component.namespace);
  if (!owner) {
    report(
      issues,
      { ...where, field: "namespace" },
      `Namespace "${component.namespace}" is owned by no tenant: add it to the namespaces of a tenant (cluster admins for infra layers, app operators for apps).`,
    );
  } else if (layer && owner.kind !== layer.identity) {
    report(
      issues,
      { ...where, field: "namespace" },
      layer.identity === "app-operators"
        ? `Component "${component.name}" is in the apps layer but its namespace "${component.namespace}" belongs to cluster-admins tenant "${owner.name}": apps run with a restricted identity, so move the namespace to an app-operators tenant or the component to an infra layer.`
        : `Component "${component.name}" is in the ${component.layer} layer but its namespace "${component.namespace}" belongs to app-operators tenant "${owner.name}": infra layers run as the cluster admins, so move the namespace to the cluster-admins tenant.`,
    );
  }
  report(issues, { ...where, field: "interval" }, checkFluxDuration(component.interval));
  report(issues, { ...where, field: "repository.interval" }, checkFluxDuration(component.repository?.interval));
  if (component.chart?.interval !== undefined)
    report(issues, { ...where, field: "chart.interval" }, checkFluxDuration(component.chart.interval));
  if (component.chart?.version !== undefined)
    report(issues, { ...where, field: "chart.version" }, checkSemverRange(component.chart.version));
  if (component.values !== undefined) {
    report(issues, { ...where, field: "values" }, checkType(component.values, "object"));
    checkValues(issues, where, "values", component.values);
  }
  if (component.spec !== undefined) checkValues(issues, where, "spec", component.spec);
  const url = component.repository?.url;
  const wantsOci = component.repository?.type === "oci";
  if (typeof url !== "string" || !(wantsOci ? /^oci:\/\/\S+$/ : /^https?:\/\/\S+$/).test(url)) {
    report(
      issues,
      { ...where, field: "repository.url" },
      `${describeValue(url)} is not a ${wantsOci ? "oci://" : "http(s)://"} URL${wantsOci ? "" : ' (set repository.type: "oci" for an OCI registry)'}.`,
    );
  }
  const repositoryName = component.repository?.name ?? component.name;
  for (const key of [`HelmRepository/${repositoryName}`, `HelmRelease/${component.name}`]) {
    const other = hubObjects.get(key);
    if (other)
      report(
        issues,
        { ...where, field: key.startsWith("HelmRepository") ? "repository.name" : "name" },
        `${key} is also created by component "${other.name}": both land in each spoke's namespace on the hub; give one another name.`,
      );
    hubObjects.set(key, component);
  }
}

/** True when every object has apiVersion, kind and metadata.name strings (and can be placed). */
function checkManifestsComponent(component: ManifestsComponent, where: Where, issues: Issue[]): boolean {
  report(issues, { ...where, field: "name" }, checkDns1123Subdomain(component.name, "a component name"));
  const layer = LAYERS[component.layer];
  if (!layer || component.layer === ("tenants" as string)) {
    report(
      issues,
      { ...where, field: "layer" },
      `${describeValue(component.layer)} is not a component layer: use infra-controllers, infra-configs or apps.`,
    );
    return false;
  }
  if (!Array.isArray(component.objects)) {
    report(issues, { ...where, field: "objects" }, checkType(component.objects, "array"));
    return false;
  }
  let wellFormed = true;
  component.objects.forEach((object: ManifestsComponent["objects"][number], i) => {
    const field = `objects[${i}]`;
    const name = object?.metadata?.name;
    if (typeof object?.apiVersion !== "string" || typeof object?.kind !== "string" || typeof name !== "string") {
      report(issues, { ...where, field }, "Every object needs apiVersion, kind and metadata.name strings.");
      wellFormed = false;
      return;
    }
    checkValues(issues, where, field, object, { models: true });
    if (layer.delivery === "hub-helm" && !HUB_SIDE_KINDS.has(object.kind)) {
      report(
        issues,
        { ...where, field },
        `${object.kind} "${name}" would be applied to the hub, not the spoke: the ${component.layer} layer ships only HelmReleases and their sources; move it to infra-configs or wrap it in a chart.`,
      );
    }
  });
  return wellFormed;
}

function clusterWhere(context: RenderContext, cluster: Cluster): Where {
  return { ...locate(context, cluster.definedAt), cluster: typeof cluster.name === "string" ? cluster.name : String(cluster.name) };
}

function checkClusters(fleet: Fleet, index: FleetIndex, context: RenderContext, wellFormed: Set<Component>, issues: Issue[]): void {
  const seen = new Map<string, Cluster>();
  const placed = new Set<string>();
  const componentAt = (component: Component) => componentWhere(context, component);
  for (const cluster of fleet.clusters as readonly Cluster[]) {
    const where = clusterWhere(context, cluster);
    report(issues, { ...where, field: "name" }, checkDns1123Label(cluster.name, "a cluster name"));
    const first = seen.get(cluster.name);
    if (first) {
      const at = locate(context, first.definedAt);
      report(
        issues,
        { ...where, field: "name" },
        `Two clusters are called "${cluster.name}" (the other at ${at.file}${at.line ? `:${at.line}` : ""}): cluster names must be unique.`,
      );
    }
    seen.set(cluster.name, cluster);
    report(issues, { ...where, field: "kubeconfigSecret" }, checkDns1123Subdomain(cluster.kubeconfigSecret, "a Secret name"));
    checkOverrides(cluster, index, where, issues);
    if (cluster.production && !acknowledgesUnpinned(fleet, cluster.profile.pinning)) checkPinning(cluster, where, issues);
    if (typeof cluster.name === "string" && cluster.profile.components.every((c) => c.type === "helm" || wellFormed.has(c)))
      checkPlacement(fleet, cluster, componentAt, placed, issues);
  }
}

function checkOverrides(cluster: Cluster, index: FleetIndex, where: Where, issues: Issue[]): void {
  const overrides: unknown = cluster.overrides;
  if (checkType(overrides, "object")) {
    report(issues, { ...where, field: "overrides" }, checkType(overrides, "object"));
    return;
  }
  const profileComponents = new Map(cluster.profile.components.map((c) => [c.name, c]));
  for (const [name, value] of Object.entries(overrides as Record<string, unknown>)) {
    const at = { ...where, component: name, field: `overrides.${name}` };
    const component = profileComponents.get(name);
    if (!component) {
      const known = [...profileComponents.keys()].map((n) => JSON.stringify(n)).join(", ");
      const elsewhere = index.components.has(name) ? ` (it is in another profile, not in "${cluster.profile.name}")` : "";
      report(issues, at, `Unknown component "${name}"${elsewhere}: the profile "${cluster.profile.name}" has ${known}.`);
      continue;
    }
    if (checkType(value, "object")) {
      report(issues, at, checkType(value, "object"));
      continue;
    }
    if (component.type === "helm") checkHelmOverrides(cluster, component as HelmComponent, value as Record<string, unknown>, at, issues);
    else checkManifestsOverrides(component, value as Record<string, unknown>, at, issues);
  }
}

/**
 * Whether the fleet accepts chart ranges on a production cluster of this pinning (`acknowledge: ["unpinned-charts"]`): only where the
 * profile warns about them; a `strict` profile still fails.
 */
export function acknowledgesUnpinned(fleet: Fleet, pinning: "warn" | "strict"): boolean {
  return pinning === "warn" && Array.isArray(fleet.acknowledge) && fleet.acknowledge.includes("unpinned-charts");
}

/** On production clusters the seed recommends exact chart versions, promoted from staging. */
function checkPinning(cluster: Cluster, where: Where, issues: Issue[]): void {
  const overrides = (checkType(cluster.overrides, "object") ? {} : cluster.overrides) as Record<string, { version?: unknown } | undefined>;
  for (const component of cluster.profile.components) {
    if (component.type !== "helm") continue;
    const override = overrides[component.name]?.version;
    const version = override ?? component.chart?.version;
    // A version that is no semver range at all is reported by the override checks.
    if (typeof version === "string" && checkSemverRange(version) !== undefined) continue;
    const problem = pinningProblem(cluster.name, cluster.profile.pinning, version);
    if (!problem) continue;
    const field =
      override !== undefined ? `overrides.${component.name}.version` : `overrides.${component.name}.version (${component.name}'s default)`;
    report(issues, { ...where, component: component.name, field }, problem.message, problem.severity);
  }
}

function unknownKeys(value: Record<string, unknown>, allowed: readonly string[], at: Where, issues: Issue[], what = "override"): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) report(issues, { ...at, field: `${at.field}.${key}` }, unknownKeyMessage(key, what, allowed));
  }
}

function checkHelmOverrides(cluster: Cluster, component: HelmComponent, value: Record<string, unknown>, at: Where, issues: Issue[]): void {
  unknownKeys(value, HELM_OVERRIDE_KEYS, at, issues);
  const field = (key: string) => ({ ...at, field: `${at.field}.${key}` });
  if (value["version"] !== undefined) report(issues, field("version"), checkSemverRange(value["version"]));
  if (value["values"] !== undefined) {
    report(issues, field("values"), checkType(value["values"], "object"));
    checkValues(issues, at, `${at.field}.values`, value["values"]);
  }
  if (value["test"] !== undefined) report(issues, field("test"), checkType(value["test"], "boolean"));
  if (value["suspend"] !== undefined) report(issues, field("suspend"), checkType(value["suspend"], "boolean"));
  if (value["replicas"] !== undefined) {
    report(issues, field("replicas"), checkType(value["replicas"], "integer"));
    if (!component.valuesFor?.replicas)
      report(issues, field("replicas"), `Component "${component.name}" does not say how to set replicas: set them through values instead.`);
  }
  if (value["host"] !== undefined) {
    report(issues, field("host"), checkDns1123Subdomain(value["host"], "an ingress host"));
    if (!component.valuesFor?.host)
      report(
        issues,
        field("host"),
        `Component "${component.name}" does not say how to set an ingress host: set it through values instead.`,
      );
  }
  for (const key of ["host", "replicas"] as const) {
    const translate = component.valuesFor?.[key];
    if (value[key] === undefined || typeof translate !== "function") continue;
    // The component's own function turns the override into values: what it returns must be writable too.
    let values: unknown;
    try {
      values = (translate as (input: unknown) => unknown)(value[key]);
    } catch (error) {
      report(
        issues,
        field(key),
        `Component "${component.name}"'s valuesFor.${key} threw "${(error as Error).message}" for ${describeValue(value[key])}.`,
      );
      continue;
    }
    if (checkType(values, "object"))
      report(
        issues,
        field(key),
        `Component "${component.name}"'s valuesFor.${key} must return values (an object), but returned ${describeValue(values)}.`,
      );
    else checkValues(issues, at, `${at.field}.${key} (through valuesFor.${key})`, values);
  }
}

function checkManifestsOverrides(component: ManifestsComponent, value: Record<string, unknown>, at: Where, issues: Issue[]): void {
  unknownKeys(value, MANIFEST_OVERRIDE_KEYS, at, issues);
  const patches = value["patches"];
  if (patches === undefined) return;
  if (!Array.isArray(patches)) {
    report(issues, { ...at, field: `${at.field}.patches` }, checkType(patches, "array"));
    return;
  }
  patches.forEach((patch: { target?: { kind?: unknown; name?: unknown }; patch?: unknown }, i) => {
    const field = `${at.field}.patches[${i}]`;
    if (checkType(patch, "object")) {
      report(issues, { ...at, field }, checkType(patch, "object"));
      return;
    }
    unknownKeys(patch, MANIFEST_PATCH_KEYS, { ...at, field }, issues, "patch option");
    const target = patch.target;
    if (!checkType(target, "object"))
      unknownKeys(
        target as Record<string, unknown>,
        MANIFEST_PATCH_TARGET_KEYS,
        { ...at, field: `${field}.target` },
        issues,
        "target option",
      );
    const found = component.objects.some((o) => o.kind === target?.kind && o.metadata.name === target?.name);
    if (!found) {
      const known = component.objects.map((o) => `${o.kind} "${o.metadata.name}"`).join(", ");
      report(
        issues,
        { ...at, field: `${field}.target` },
        `Component "${component.name}" has no ${describeValue(target?.kind)} named ${describeValue(target?.name)}: it has ${known}.`,
      );
    }
    report(issues, { ...at, field: `${field}.patch` }, checkType(patch.patch, "object"));
    if (!checkType(patch.patch, "object")) checkValues(issues, at, `${field}.patch`, patch.patch);
  });
}
