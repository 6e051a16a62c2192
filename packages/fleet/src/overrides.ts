import { SERVED_FLUX_API_VERSIONS } from "@flux-fleet/models";
import { deepMerge, type DeepPartial } from "./deep-merge.ts";
import type { Component, HelmComponent, HelmOverrides, ManifestsComponent, ManifestsOverrides } from "./components.ts";

/** A per-cluster patch file of an overlay, and the object it targets. */
export interface OverlayPatch {
  /** File name inside `clusters/<cluster>/<layer>/`. */
  file: string;
  target: { kind: string; name: string };
  document: Record<string, unknown>;
}

/**
 * The patch that carries one cluster's overrides of a Helm component, as the seed's
 * `clusters/<cluster>/apps/podinfo-values.yaml`; undefined when the overrides change nothing.
 * Expects checked input: `replicas` and `host` only where the component defines how to set them.
 *
 * @example
 * ```ts
 * renderHelmOverridePatch(podinfo, { version: ">=1.0.0", host: "podinfo.production", test: false });
 * ```
 */
export function renderHelmOverridePatch<Values extends object>(
  component: HelmComponent<string, Values>,
  overrides: HelmOverrides<Values>,
): OverlayPatch | undefined {
  // Overrides are partial values, so they merge as plain records.
  let values: Record<string, unknown> | undefined;
  const mergeValues = (more: DeepPartial<Values> | undefined) => {
    const record = more as Record<string, unknown> | undefined;
    values = values === undefined ? record : deepMerge(values, record);
  };
  if (overrides.host !== undefined) mergeValues(requireValuesFor(component, "host")(overrides.host));
  if (overrides.replicas !== undefined) mergeValues(requireValuesFor(component, "replicas")(overrides.replicas));
  mergeValues(overrides.values);

  const spec: Record<string, unknown> = {};
  if (overrides.version !== undefined) spec["chart"] = { spec: { version: overrides.version } };
  if (overrides.suspend !== undefined) spec["suspend"] = overrides.suspend;
  if (overrides.test !== undefined) spec["test"] = { enable: overrides.test };
  if (values !== undefined) spec["values"] = values;
  if (Object.keys(spec).length === 0) return undefined;

  return {
    file: `${component.name}-values.yaml`,
    target: { kind: "HelmRelease", name: component.name },
    document: { apiVersion: SERVED_FLUX_API_VERSIONS.HelmRelease, kind: "HelmRelease", metadata: { name: component.name }, spec },
  };
}

function requireValuesFor<Values extends object, Key extends "host" | "replicas">(
  component: HelmComponent<string, Values>,
  key: Key,
): NonNullable<NonNullable<HelmComponent<string, Values>["valuesFor"]>[Key]> {
  const translate = component.valuesFor?.[key];
  if (!translate) throw new Error(`component "${component.name}" does not define valuesFor.${key}`);
  return translate;
}

/**
 * The patches that carry one cluster's overrides of a manifests component, one file per patched object.
 * Expects checked input: every target names an object of the component.
 *
 * @example
 * ```ts
 * renderManifestsOverridePatches(clusterIssuers, {
 *   patches: [{ target: { kind: "ClusterIssuer", name: "letsencrypt" }, patch: { spec: { acme: { email: "ops@example.com" } } } }],
 * });
 * ```
 */
export function renderManifestsOverridePatches(component: ManifestsComponent, overrides: ManifestsOverrides): OverlayPatch[] {
  return (overrides.patches ?? []).map(({ target, patch }) => {
    const object = component.objects.find((o) => o.kind === target.kind && o.metadata.name === target.name);
    if (!object) throw new Error(`component "${component.name}" has no ${target.kind} "${target.name}"`);
    return {
      file: `${component.name}-${target.kind.toLowerCase()}-${target.name}.yaml`,
      target,
      document: { apiVersion: object.apiVersion, kind: target.kind, metadata: { name: target.name }, ...patch },
    };
  });
}

/**
 * The patches for one cluster's overrides of any component.
 *
 * @example
 * ```ts
 * renderOverridePatches(ingressNginx, { version: ">=4.10.0", replicas: 2 });
 * ```
 */
export function renderOverridePatches(component: Component, overrides: HelmOverrides | ManifestsOverrides): OverlayPatch[] {
  if (component.type === "helm") {
    const patch = renderHelmOverridePatch(component, overrides as HelmOverrides);
    return patch ? [patch] : [];
  }
  return renderManifestsOverridePatches(component, overrides as ManifestsOverrides);
}
