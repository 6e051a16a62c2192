/**
 * The four layers of a spoke, reconciled in this order, each waiting for the one before it.
 *
 * @example
 * ```ts
 * LAYER_NAMES[0]; // "tenants"
 * ```
 */
export const LAYER_NAMES = ["tenants", "infra-controllers", "infra-configs", "apps"] as const;

export type LayerName = (typeof LAYER_NAMES)[number];

/** The layers components can belong to; the tenants layer is rendered from the fleet's tenants. */
export type ComponentLayerName = Exclude<LayerName, "tenants">;

/**
 * How a layer reaches its spoke:
 * - `spoke`: the hub's Kustomization applies the layer's objects to the spoke through `kubeConfig`.
 * - `hub-helm`: the layer's HelmReleases live on the hub, in the spoke's namespace; the hub's
 *   Kustomization patches each one with the spoke's `kubeConfig` and a tenant identity, so that
 *   helm-controller installs the charts on the spoke.
 */
export type LayerDelivery = "spoke" | "hub-helm";

export interface LayerDefinition {
  name: LayerName;
  dependsOn?: LayerName;
  delivery: LayerDelivery;
  /** Which kind of tenant owns the namespaces this layer deploys to, and whose identity it uses. */
  identity: "cluster-admins" | "app-operators";
  /** Whether the hub sets `targetNamespace` to the spoke's namespace. */
  targetNamespace: boolean;
  /** Whether the hub substitutes `${CLUSTER_NAME}` in the layer (postBuild). */
  substituteClusterName: boolean;
}

/**
 * The seed's layers: tenants → infra-controllers → infra-configs → apps.
 *
 * @example
 * ```ts
 * LAYERS.apps.identity; // "app-operators"
 * ```
 */
export const LAYERS = {
  tenants: { name: "tenants", delivery: "spoke", identity: "cluster-admins", targetNamespace: false, substituteClusterName: true },
  "infra-controllers": {
    name: "infra-controllers",
    dependsOn: "tenants",
    delivery: "hub-helm",
    identity: "cluster-admins",
    targetNamespace: true,
    substituteClusterName: false,
  },
  "infra-configs": {
    name: "infra-configs",
    dependsOn: "infra-controllers",
    delivery: "spoke",
    identity: "cluster-admins",
    targetNamespace: true,
    substituteClusterName: false,
  },
  apps: {
    name: "apps",
    dependsOn: "infra-configs",
    delivery: "hub-helm",
    identity: "app-operators",
    targetNamespace: true,
    substituteClusterName: false,
  },
} as const satisfies Record<LayerName, LayerDefinition>;
