import { printOrRun, requireTools, resolveCommandOptions, type CommandOptions, type CommandResult } from "./command.ts";
import type { Plan } from "./plan.ts";
import { fleetClusters, validateTopology, type FleetTopology } from "./topology.ts";

/**
 * The fleet-down plan: `kind delete cluster` for exactly the fleet's clusters, hub first (so Flux stops
 * reconciling before its targets disappear), then the spokes. Other kind clusters are never touched, and
 * kind treats deleting a missing cluster as success, so a rerun is harmless.
 *
 * @example
 * ```ts
 * planFleetDown(createFleetTopology({ spokes: ["staging"] })).steps.map((s) => s.argv.at(-1)); // ["flux-hub", "flux-staging"]
 * ```
 */
export function planFleetDown(topology: FleetTopology): Plan {
  validateTopology(topology);
  return {
    title: "fleet down",
    steps: fleetClusters(topology).map((cluster) => ({
      description: `Delete kind cluster ${cluster}`,
      argv: ["kind", "delete", "cluster", "--name", cluster],
    })),
  };
}

/**
 * `fleet down`: checks docker and kind, then deletes the fleet's kind clusters. The kubeconfig files under
 * `.fleet/` are left in place (they point at clusters that no longer exist and are overwritten by the next
 * `fleet up`).
 *
 * @example
 * ```ts
 * await fleetDown(topology, { dryRun: true });
 * ```
 */
export async function fleetDown(topology: FleetTopology, options: CommandOptions = {}): Promise<CommandResult> {
  const common = resolveCommandOptions(options);
  const plan = planFleetDown(topology);
  const prerequisites = await requireTools(["docker", "kind"], common);
  return printOrRun(plan, prerequisites, common);
}
