import { fleetDown, fleetStatus, fleetUp, fluxBootstrap, fluxUp } from "@flux-fleet/lifecycle";
import { loadFleet } from "../load-fleet.ts";
import { fleetTopology } from "./topology.ts";

/** The lifecycle commands: `fleet up|down|status` and `flux up|bootstrap`. */
export type LifecycleCommand = "fleet up" | "fleet down" | "fleet status" | "flux up" | "flux bootstrap";

export interface LifecycleOptions {
  root: string;
  entry?: string | undefined;
  /** Seconds the fleet may take to load; default 30. */
  loadTimeout?: number | undefined;
  dryRun?: boolean | undefined;
  kubernetesVersion?: string | undefined;
  repositoryUrl?: string | undefined;
  branch?: string | undefined;
  json?: boolean | undefined;
}

/**
 * Runs a lifecycle command for the fleet's own clusters, derived from the fleet definition.
 *
 * @example
 * ```ts
 * await runLifecycle("fleet up", { root, dryRun: true });
 * ```
 */
export async function runLifecycle(command: LifecycleCommand, options: LifecycleOptions): Promise<number> {
  const { fleet } = await loadFleet(options);
  const topology = fleetTopology(fleet);
  const common = { dryRun: options.dryRun ?? false, cwd: options.root };
  switch (command) {
    case "fleet up":
      await fleetUp(topology, { ...common, ...(options.kubernetesVersion ? { kubernetesVersion: options.kubernetesVersion } : {}) });
      return 0;
    case "fleet down":
      await fleetDown(topology, common);
      return 0;
    case "fleet status": {
      const result = await fleetStatus(topology, { ...common, json: options.json ?? false });
      return result.status?.ready === false ? 1 : 0;
    }
    case "flux up":
      await fluxUp(topology, {
        ...common,
        ...(options.repositoryUrl ? { repositoryUrl: options.repositoryUrl } : {}),
        ...(options.branch ? { branch: options.branch } : {}),
      });
      return 0;
    case "flux bootstrap":
      await fluxBootstrap(topology, { ...common, ...(options.branch ? { branch: options.branch } : {}) });
      return 0;
  }
}
