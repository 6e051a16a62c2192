import { createFleetTopology, type FleetTopology } from "@flux-fleet/lifecycle";
import type { Fleet } from "@flux-fleet/fleet";

/**
 * The fleet as local tooling sees it: kind cluster `flux-<hub>` and one `flux-<spoke>` per spoke, each
 * spoke's namespace on the hub and the kubeconfig Secret its generated objects reference.
 *
 * @example
 * ```ts
 * fleetTopology(fleet).spokes.map((spoke) => spoke.kindCluster); // ["flux-staging", "flux-production"]
 * ```
 */
export function fleetTopology(fleet: Fleet): FleetTopology {
  return createFleetTopology({
    hub: fleet.hub.name,
    spokes: fleet.clusters.map((cluster) => ({ name: cluster.name, namespace: cluster.name, kubeconfigSecret: cluster.kubeconfigSecret })),
  });
}
