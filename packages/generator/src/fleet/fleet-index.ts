import { LAYER_NAMES, shardOf, type Cluster, type Component, type ComponentLayerName, type Fleet } from "@flux-fleet/fleet";
import type { ClusterAdminsTenant, Tenant } from "@flux-fleet/tenants";

/** Lookups over a fleet that several render and check steps need. */
export interface FleetIndex {
  /** Every component some cluster runs, by name, first definition wins. */
  components: Map<string, Component>;
  /** The components of each layer's base, in order of first appearance across the clusters' profiles. */
  componentsByLayer: Map<ComponentLayerName, Component[]>;
  /** Which tenant owns each namespace (first owner wins; duplicates are a check's business). */
  namespaceOwners: Map<string, Tenant>;
  admins: ClusterAdminsTenant | undefined;
  /** The shard of each spoke, by cluster name; absent for spokes of the main controllers. */
  shards: Map<string, string>;
}

export function indexFleet(fleet: Fleet): FleetIndex {
  const components = new Map<string, Component>();
  const componentsByLayer = new Map<ComponentLayerName, Component[]>();
  for (const layer of LAYER_NAMES) if (layer !== "tenants") componentsByLayer.set(layer, []);
  const profiles = new Set(fleet.clusters.map((cluster) => cluster.profile));
  for (const profile of profiles) {
    for (const component of profile.components as readonly Component[]) {
      if (components.has(component.name)) continue;
      components.set(component.name, component);
      componentsByLayer.get(component.layer)?.push(component);
    }
  }
  const namespaceOwners = new Map<string, Tenant>();
  for (const tenant of fleet.tenants) {
    for (const namespace of tenant.namespaces) if (!namespaceOwners.has(namespace)) namespaceOwners.set(namespace, tenant);
  }
  const admins = fleet.tenants.find((tenant): tenant is ClusterAdminsTenant => tenant.kind === "cluster-admins");
  const shards = new Map<string, string>();
  for (const cluster of fleet.clusters as readonly Cluster[]) {
    let shard: string | undefined;
    try {
      shard = shardOf(cluster, fleet.hub);
    } catch {
      // The fleet checks report an assignShard that throws, before anything is rendered.
    }
    if (shard !== undefined) shards.set(cluster.name, shard);
  }
  return { components, componentsByLayer, namespaceOwners, admins, shards };
}
