export { LifecycleError, PlanStepError, PrerequisiteError, type LifecycleErrorContext } from "./errors.ts";
export { REDACTED, Redacted, redactUrl, revealDeep } from "./redacted.ts";
export {
  type FleetTopology,
  type FleetSpoke,
  type FleetTopologyInput,
  DEFAULT_KIND_CLUSTER_PREFIX,
  DEFAULT_KUBECONFIG_SECRET,
  kindClusterName,
  kubeContext,
  createFleetTopology,
  fleetClusters,
  validateTopology,
} from "./topology.ts";
export {
  type Plan,
  type PlanStep,
  type StdinSource,
  type JsonStdin,
  type StdoutTarget,
  type FileStdout,
  formatPlan,
  formatCommand,
  shellQuote,
} from "./plan.ts";
export { type OutputStream, type Environment, type RunPlanOptions, type CapturedOutput, runPlan, captureCommand } from "./runner.ts";
export {
  type ToolName,
  type ToolSpec,
  type ToolStatus,
  type ToolCheck,
  type PrerequisiteReport,
  type PrerequisiteOptions,
  TOOLS,
  checkPrerequisites,
  formatPrerequisites,
  findExecutable,
  parseToolVersion,
  compareVersions,
} from "./prerequisites.ts";
export { type CommandOptions, type CommandResult } from "./command.ts";
export {
  type FleetUpPlanOptions,
  type FleetUpOptions,
  type FleetUpResult,
  DEFAULT_KUBERNETES_VERSION,
  DEFAULT_STATE_DIR,
  DEFAULT_KIND_WAIT,
  kindNodeImage,
  kubeconfigPath,
  parseKindClusters,
  planFleetUp,
  fleetUp,
} from "./fleet-up.ts";
export { planFleetDown, fleetDown } from "./fleet-down.ts";
export {
  type FluxUpPlanOptions,
  type FluxUpOptions,
  type BootstrapGithubOptions,
  type FluxBootstrapOptions,
  FLUX_SYSTEM,
  validateRepositoryUrl,
  resolveRepositoryOptions,
  planFluxUp,
  fluxUp,
  bootstrapGithubArgv,
  fluxBootstrap,
} from "./flux-up.ts";
export {
  type Readiness,
  type FluxGetRow,
  type StatusKind,
  type SpokeStatus,
  type FleetStatus,
  type FleetStatusOptions,
  type FleetStatusResult,
  parseFluxGet,
  spokeStatus,
  planFleetStatus,
  formatFleetStatus,
  fleetStatus,
} from "./fleet-status.ts";
export {
  type WorkflowOptions,
  ACTIONS,
  WORKFLOW_DEFAULTS,
  WORKFLOW_SCRIPTS,
  WORKFLOW_HEADER,
  pnpmScriptsIn,
  pnpmScriptsCalled,
  renderWorkflows,
} from "./workflows.ts";
export { type PromotionJob, CREATE_PULL_REQUEST_ACTION, renderPromoteWorkflow } from "./promote-workflow.ts";
