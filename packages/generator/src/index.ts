// What fleet repositories and tools import: the CLI's entry, one function per command with its options and
// result, and the pure load → check → render → serialize steps for rendering without touching the disk.
export { run } from "./cli.ts";
export { gen, type GenOptions, type GenResult } from "./commands/gen.ts";
export { validate, type ValidateOptions, type ValidateResult } from "./commands/validate.ts";
export { plan, type PlanOptions, type PlanResult } from "./commands/plan.ts";
export { diff, type DiffOptions, type DiffResult } from "./commands/diff.ts";
export { graph, type GraphCommandOptions, type GraphResult } from "./commands/graph.ts";
export type { PlannedSpoke, PlannedLayer, PlannedObject, LayerIdentity, ReleaseChart } from "./plan/spoke-view.ts";
export type { SpokeChange, ObjectChange, FieldChange, BuildError } from "./plan/diff-views.ts";
export { loadFleet, DEFAULT_ENTRY, type LoadedFleet, type LoadFleetOptions } from "./load-fleet.ts";
export { checkFleet } from "./check/check-fleet.ts";
export { renderFleet, type RenderResult } from "./render/render-fleet.ts";
export type { GeneratedFile } from "./render/generated-file.ts";
export type { RenderContext } from "./fleet/locate.ts";
export { serializeFile } from "./serialize.ts";
export { FleetError } from "./errors.ts";
// The Issue type, UsageError and the issue formatting live in @flux-fleet/validate, which owns the repository
// format; re-exported so that imports from the generator keep working.
export { UsageError, formatIssues, type Issue, type Where, type Severity } from "@flux-fleet/validate";
