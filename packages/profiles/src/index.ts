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
} from "./cluster.ts";
export { type Fleet, type FleetOptions, type HubSettings, DEFAULT_HUB, defineFleet } from "./fleet.ts";
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
