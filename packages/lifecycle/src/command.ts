import { PrerequisiteError } from "./errors.ts";
import { formatPlan, type Plan } from "./plan.ts";
import { checkPrerequisites, formatPrerequisites, type PrerequisiteReport, type ToolName } from "./prerequisites.ts";
import { runPlan, type Environment, type OutputStream } from "./runner.ts";

/**
 * Options every lifecycle command takes; the CLI maps its shared flags onto them.
 *
 * @example
 * ```ts
 * const options: CommandOptions = { dryRun: true, cwd: "/repo" };
 * ```
 */
export interface CommandOptions {
  /** Print the plan (and the prerequisite report) instead of running anything (`--dry-run`). */
  dryRun?: boolean;
  /** The repository root: commands run there and `.fleet/` lives there. Default `process.cwd()`. */
  cwd?: string;
  /** Where tools are looked up (`PATH`) and `FLEET_*`/`GITHUB_*` variables are read. Default `process.env`. */
  env?: Environment;
  /** Where the dry-run plan and results go. Default `process.stdout`. */
  stdout?: OutputStream;
  /** Where progress and the prerequisite report go. Default `process.stderr`. */
  stderr?: OutputStream;
}

/**
 * What a lifecycle command did: the plan it built, the prerequisite report, and whether it ran the plan.
 *
 * @example
 * ```ts
 * const { plan, ran } = await fleetDown(topology, { dryRun: true });
 * ```
 */
export interface CommandResult {
  plan: Plan;
  prerequisites: PrerequisiteReport;
  ran: boolean;
}

/** Resolved common options, for the command modules. */
export interface ResolvedCommandOptions {
  dryRun: boolean;
  cwd: string;
  env: Environment;
  stdout: OutputStream;
  stderr: OutputStream;
}

/** Fills in the defaults of {@link CommandOptions}. */
export function resolveCommandOptions(options: CommandOptions): ResolvedCommandOptions {
  return {
    dryRun: options.dryRun ?? false,
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
    stdout: options.stdout ?? process.stdout,
    stderr: options.stderr ?? process.stderr,
  };
}

/**
 * Checks the tools a command needs. In a dry run the report is printed and the command continues; otherwise
 * missing tools stop it with a {@link PrerequisiteError} before anything runs.
 */
export async function requireTools(tools: readonly ToolName[], options: ResolvedCommandOptions): Promise<PrerequisiteReport> {
  const report = await checkPrerequisites(tools, { env: options.env });
  if (options.dryRun) {
    options.stderr.write(`Prerequisites (checked, not required for a dry run):\n${formatPrerequisites(report)}`);
    return report;
  }
  if (!report.ok) throw new PrerequisiteError(report.problems.map((problem) => problem.message));
  return report;
}

/** Prints the plan for a dry run, or runs it. */
export async function printOrRun(plan: Plan, prerequisites: PrerequisiteReport, options: ResolvedCommandOptions): Promise<CommandResult> {
  if (options.dryRun) {
    options.stdout.write(formatPlan(plan));
    return { plan, prerequisites, ran: false };
  }
  await runPlan(plan, { cwd: options.cwd, env: options.env, log: options.stderr });
  return { plan, prerequisites, ran: true };
}
