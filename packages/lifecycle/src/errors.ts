import { UserError } from "@flux-fleet/models";

/** Where a lifecycle problem happened, as far as it is known. */
export interface LifecycleErrorContext {
  cause?: unknown;
  /** The kind cluster concerned, e.g. `flux-staging`. */
  cluster?: string;
  /** A file concerned, e.g. `.fleet/kubeconfigs/staging.yaml`. */
  file?: string;
}

/**
 * A problem the user can fix (a missing flag, a bad topology, a failed command): the CLI prints its message
 * without a stack and exits non-zero.
 *
 * @example
 * ```ts
 * throw new LifecycleError('No repository URL: pass --repository-url or set FLEET_REPO_URL.');
 * ```
 */
export class LifecycleError extends UserError {
  readonly cluster: string | undefined;
  readonly file: string | undefined;

  constructor(message: string, context: LifecycleErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.name = "LifecycleError";
    this.cluster = context.cluster;
    this.file = context.file;
  }
}

/**
 * A plan step that could not start or exited non-zero; names the step, its position and the command.
 *
 * @example
 * ```ts
 * try { await runPlan(plan); } catch (error) { if (error instanceof PlanStepError) console.error(error.stepIndex); }
 * ```
 */
export class PlanStepError extends LifecycleError {
  /** Zero-based position of the failed step in its plan. */
  readonly stepIndex: number;
  /** The failed step's description. */
  readonly step: string;
  /** Exit code of the failed command, `undefined` when it could not start or was killed by a signal. */
  readonly exitCode: number | undefined;

  constructor(message: string, details: { stepIndex: number; step: string; exitCode: number | undefined } & LifecycleErrorContext) {
    super(message, details);
    this.name = "PlanStepError";
    this.stepIndex = details.stepIndex;
    this.step = details.step;
    this.exitCode = details.exitCode;
  }
}

/**
 * Tools a command needs are missing, broken or too old; the message lists each with how to fix it.
 *
 * @example
 * ```ts
 * const report = await checkPrerequisites(["kind"]);
 * if (!report.ok) throw new PrerequisiteError(report.problems.map((p) => p.message));
 * ```
 */
export class PrerequisiteError extends LifecycleError {
  /** One line per missing or unusable tool. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Missing prerequisites:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "PrerequisiteError";
    this.problems = problems;
  }
}
