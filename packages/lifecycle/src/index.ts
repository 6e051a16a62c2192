// What the flux-fleet CLI and fleet repositories import: the topology, the five commands with their options and
// results, and what the generator's workflows share with them. Plans, runners and parsers stay internal.
export { LifecycleError, PlanStepError, PrerequisiteError, type LifecycleErrorContext } from "./errors.ts";
export { Redacted } from "./redacted.ts";
export {
  type FleetTopology,
  type FleetSpoke,
  type FleetTopologyInput,
  createFleetTopology,
  kubeContext,
  validateTopology,
} from "./topology.ts";
export { type Environment, type OutputStream } from "./runner.ts";
export { type CommandOptions, type CommandResult } from "./command.ts";
export { type FleetUpOptions, type FleetUpResult, DEFAULT_KUBERNETES_VERSION, kindNodeImage, fleetUp } from "./fleet-up.ts";
export { fleetDown } from "./fleet-down.ts";
export { type FluxUpOptions, type BootstrapGithubOptions, type FluxBootstrapOptions, fluxUp, fluxBootstrap } from "./flux-up.ts";
export { type SpokeStatus, type FleetStatus, type FleetStatusOptions, type FleetStatusResult, fleetStatus } from "./fleet-status.ts";
