import {
  CLUSTER_OPTION_KEYS,
  CLUSTER_PROFILE_OPTION_KEYS,
  FLEET_ACKNOWLEDGEMENTS,
  FLEET_OPTION_KEYS,
  HELM_CHART_OPTION_KEYS,
  HELM_COMPONENT_OPTION_KEYS,
  HELM_REPOSITORY_OPTION_KEYS,
  HELM_VALUES_FOR_KEYS,
  HUB_SETTINGS_KEYS,
  MANIFESTS_COMPONENT_OPTION_KEYS,
  RECONCILE_KEYS,
  type Fleet,
} from "@flux-fleet/fleet";
import { APP_OPERATORS_OPTION_KEYS, CLUSTER_ADMINS_OPTION_KEYS } from "@flux-fleet/tenants";
import type { DefinitionSite } from "@flux-fleet/models";
import { isMapping } from "@flux-fleet/schemas";
import type { Issue, Where } from "@flux-fleet/validate";
import { locate, type RenderContext } from "../fleet/locate.ts";
import { checkDns1123Label, describeValue } from "./rules.ts";
import { unknownKeyMessage, unknownKeysOf } from "./unknown-keys.ts";

type Loose = Record<string, unknown> & { definedAt?: DefinitionSite };

function nameOf(value: Loose): string | undefined {
  return typeof value["name"] === "string" ? value["name"] : undefined;
}

/**
 * The structure of the fleet before any other check reads it: every list entry is an object made by its
 * `define*` helper, and no call or nested option holds a key the helper does not know. `sound` is false when
 * the structure is so broken (a `null` cluster, a profile without components) that the other checks and
 * the renderer cannot read the fleet: only these problems are reported then.
 */
export function checkFleetShape(fleet: Fleet, context: RenderContext): { issues: Issue[]; sound: boolean } {
  const issues: Issue[] = [];
  let sound = true;
  const error = (where: Where, message: string, breaks = false) => {
    issues.push({ severity: "error", message, where });
    if (breaks) sound = false;
  };
  const keys = (value: Loose, known: readonly string[], what: string, where: Where, prefix = "", added?: readonly string[]) => {
    for (const key of unknownKeysOf(value, known, added))
      error({ ...where, field: `${prefix}${key}` }, unknownKeyMessage(key, what, known));
  };
  const fleetWhere: Where = locate(context, (fleet as Fleet & { definedAt?: DefinitionSite }).definedAt);

  keys(fleet as unknown as Loose, FLEET_OPTION_KEYS, "defineFleet option", fleetWhere);
  const hub: unknown = fleet.hub;
  if (!isMapping(hub)) error({ ...fleetWhere, field: "hub" }, `hub must be an object, got ${describeValue(hub)}.`, true);
  else {
    keys(hub, HUB_SETTINGS_KEYS, "hub setting", fleetWhere, "hub.", []);
    for (const list of ["controllerArgs", "tunedControllers"] as const) {
      const value = hub[list];
      if (!Array.isArray(value) || value.some((item) => typeof item !== "string"))
        error({ ...fleetWhere, field: `hub.${list}` }, `must be a list of strings, got ${describeValue(value)}.`, true);
    }
    const sourceRef = hub["sourceRef"];
    if (!isMapping(sourceRef) || typeof sourceRef["kind"] !== "string" || typeof sourceRef["name"] !== "string")
      error(
        { ...fleetWhere, field: "hub.sourceRef" },
        'must be a source reference such as gitRepositoryRef("flux-system", "flux-system") from @flux-fleet/models.',
        true,
      );
    if (typeof hub["name"] !== "string")
      error({ ...fleetWhere, field: "hub.name" }, `must be a string, got ${describeValue(hub["name"])}.`, true);
  }
  if (typeof fleet.fluxNamespace !== "string")
    error({ ...fleetWhere, field: "fluxNamespace" }, `must be a string, got ${describeValue(fleet.fluxNamespace)}.`, true);
  else if (fleet.fluxNamespace !== "${CLUSTER_NAME}") {
    const invalid = checkDns1123Label(fleet.fluxNamespace, "the Flux identities' namespace (or \"${CLUSTER_NAME}\", the spoke's name)");
    if (invalid) error({ ...fleetWhere, field: "fluxNamespace" }, invalid);
  }

  const acknowledge: unknown = fleet.acknowledge;
  if (!Array.isArray(acknowledge))
    error({ ...fleetWhere, field: "acknowledge" }, `must be a list of warnings to acknowledge, got ${describeValue(acknowledge)}.`, true);
  else
    (acknowledge as unknown[]).forEach((item, i) => {
      if (!(FLEET_ACKNOWLEDGEMENTS as readonly unknown[]).includes(item))
        error(
          { ...fleetWhere, field: `acknowledge[${i}]` },
          typeof item === "string"
            ? unknownKeyMessage(item, "acknowledgement", FLEET_ACKNOWLEDGEMENTS)
            : `must be one of ${FLEET_ACKNOWLEDGEMENTS.map((known) => JSON.stringify(known)).join(", ")}, got ${describeValue(item)}.`,
        );
    });

  (fleet.tenants as readonly unknown[]).forEach((tenant, i) => {
    if (!isMapping(tenant) || (tenant["kind"] !== "cluster-admins" && tenant["kind"] !== "app-operators")) {
      error(
        { ...fleetWhere, field: `tenants[${i}]` },
        `is ${describeValue(tenant)}, not a tenant: list tenants made with defineClusterAdmins or defineAppOperators.`,
        true,
      );
      return;
    }
    const where: Where = {
      ...locate(context, tenant["definedAt"] as DefinitionSite | undefined),
      ...(nameOf(tenant) ? { tenant: nameOf(tenant) } : {}),
    };
    const admins = tenant["kind"] === "cluster-admins";
    keys(
      tenant,
      admins ? CLUSTER_ADMINS_OPTION_KEYS : APP_OPERATORS_OPTION_KEYS,
      `${admins ? "defineClusterAdmins" : "defineAppOperators"} option`,
      where,
      "",
      ["definedAt", "kind"],
    );
    const namespaces = tenant["namespaces"];
    if (!Array.isArray(namespaces))
      error({ ...where, field: "namespaces" }, `must be a list of namespaces, got ${describeValue(namespaces)}.`, true);
  });

  const profiles = new Set<Loose>();
  const components = new Set<Loose>();
  (fleet.clusters as readonly unknown[]).forEach((cluster, i) => {
    if (!isMapping(cluster)) {
      error(
        { ...fleetWhere, field: `clusters[${i}]` },
        `is ${describeValue(cluster)}, not a cluster: list clusters made with defineCluster.`,
        true,
      );
      return;
    }
    const where: Where = {
      ...locate(context, cluster["definedAt"] as DefinitionSite | undefined),
      cluster: nameOf(cluster) ?? String(cluster["name"]),
    };
    keys(cluster, CLUSTER_OPTION_KEYS, "defineCluster option", where);
    const profile = cluster["profile"];
    if (!isMapping(profile) || !Array.isArray(profile["components"])) {
      error(
        { ...where, field: "profile" },
        `${isMapping(profile) ? `holds components that are ${describeValue(profile["components"])}, not a list` : `is ${describeValue(profile)}, not a profile`}: give the cluster a profile made with defineClusterProfile, such as seedProfile.`,
        true,
      );
      return;
    }
    profiles.add(profile);
  });

  for (const profile of profiles) {
    const where: Where = locate(context, profile.definedAt);
    keys(profile, CLUSTER_PROFILE_OPTION_KEYS, "defineClusterProfile option", where);
    if (profile["pinning"] !== "warn" && profile["pinning"] !== "strict")
      error({ ...where, field: "pinning" }, `must be "warn" or "strict", got ${describeValue(profile["pinning"])}.`);
    if (isMapping(profile["reconcile"])) keys(profile["reconcile"], RECONCILE_KEYS, "reconcile setting", where, "reconcile.", []);
    else error({ ...where, field: "reconcile" }, `must be an object, got ${describeValue(profile["reconcile"])}.`, true);
    (profile["components"] as unknown[]).forEach((component, i) => {
      if (
        !isMapping(component) ||
        (component["type"] !== "helm" && component["type"] !== "manifests") ||
        typeof component["name"] !== "string"
      ) {
        error(
          { ...where, field: `components[${i}]` },
          `is ${describeValue(component)}, not a component: list components made with defineHelmComponent or defineManifests.`,
          true,
        );
        return;
      }
      components.add(component);
    });
  }

  for (const component of components) {
    const where: Where = { ...locate(context, component.definedAt), component: component["name"] as string };
    if (component["type"] === "manifests") {
      keys(component, MANIFESTS_COMPONENT_OPTION_KEYS, "defineManifests option", where, "", ["definedAt", "type"]);
      continue;
    }
    keys(component, HELM_COMPONENT_OPTION_KEYS, "defineHelmComponent option", where, "", ["definedAt", "type"]);
    const nested = [
      ["repository", HELM_REPOSITORY_OPTION_KEYS, true],
      ["chart", HELM_CHART_OPTION_KEYS, true],
      ["valuesFor", HELM_VALUES_FOR_KEYS, false],
    ] as const;
    for (const [field, known, required] of nested) {
      const value = component[field];
      if (isMapping(value)) keys(value, known, `${field} option`, where, `${field}.`, []);
      else if (required || value !== undefined) error({ ...where, field }, `must be an object, got ${describeValue(value)}.`, true);
    }
    const valuesFor = component["valuesFor"];
    if (isMapping(valuesFor))
      for (const key of HELM_VALUES_FOR_KEYS)
        if (valuesFor[key] !== undefined && typeof valuesFor[key] !== "function")
          error(
            { ...where, field: `valuesFor.${key}` },
            `must be a function from the override to values, got ${describeValue(valuesFor[key])}.`,
            true,
          );
  }
  return { issues, sound };
}
