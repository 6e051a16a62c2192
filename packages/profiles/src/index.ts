export { LAYER_NAMES, LAYERS, type LayerName, type ComponentLayerName, type LayerDelivery, type LayerDefinition } from "./layers.ts";
export { deepMerge, isPlainObject, type DeepPartial } from "./deep-merge.ts";
export {
  type Component,
  type HelmComponent,
  type HelmComponentOptions,
  type HelmReleaseExtraSpec,
  type HelmOverrides,
  type ManifestsComponent,
  type ManifestsComponentOptions,
  type ManifestPatch,
  type ManifestsOverrides,
  type OverridesOf,
  defineHelmComponent,
  defineManifests,
  componentFile,
  renderHelmComponent,
  HELM_COMPONENT_OPTION_KEYS,
  HELM_REPOSITORY_OPTION_KEYS,
  HELM_CHART_OPTION_KEYS,
  HELM_VALUES_FOR_KEYS,
  HELM_OVERRIDE_KEYS,
  MANIFESTS_COMPONENT_OPTION_KEYS,
  MANIFEST_PATCH_KEYS,
  MANIFEST_PATCH_TARGET_KEYS,
  MANIFEST_OVERRIDE_KEYS,
} from "./components.ts";
export { type OverlayPatch, renderHelmOverridePatch, renderManifestsOverridePatches, renderOverridePatches } from "./overrides.ts";
export {
  type ReconcileSettings,
  type ClusterProfile,
  type ClusterProfileOptions,
  type ClusterOverrides,
  type ClusterOptions,
  type Cluster,
  DEFAULT_RECONCILE,
  defineClusterProfile,
  defineCluster,
  RECONCILE_KEYS,
  CLUSTER_PROFILE_OPTION_KEYS,
  CLUSTER_OPTION_KEYS,
} from "./cluster.ts";
export {
  type Fleet,
  type FleetAcknowledgement,
  type FleetOptions,
  type HubSettings,
  DEFAULT_HUB,
  defineFleet,
  FLEET_ACKNOWLEDGEMENTS,
  FLEET_OPTION_KEYS,
  HUB_SETTINGS_KEYS,
} from "./fleet.ts";
export {
  type PodinfoValues,
  type IngressNginxValues,
  type CertManagerValues,
  certManager,
  ingressNginx,
  clusterIssuers,
  podinfo,
  seedProfile,
} from "./seed-components.ts";
export { defineChartSchema, type ChartValuesSchema } from "@flux-fleet/charts";
