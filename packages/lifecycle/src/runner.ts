import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { closeSync, fchmodSync, mkdirSync, openSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PlanStepError } from "./errors.ts";
import { formatCommand, shellQuote, type Plan, type PlanStep } from "./plan.ts";
import { Redacted, revealDeep } from "./redacted.ts";

/** Anything with a `write(string)`: `process.stdout`, or a test's collector. */
export interface OutputStream {
  write(chunk: string): unknown;
}

/** An environment as `process.env` holds it. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Options of {@link runPlan}.
 *
 * @example
 * ```ts
 * const options: RunPlanOptions = { cwd: "/repo", env: process.env, log: process.stderr };
 * ```
 */
export interface RunPlanOptions {
  /** Working directory of every command and base of relative stdout files; default `process.cwd()`. */
  cwd?: string;
  /** Environment of every command (`PATH` finds the tools); default `process.env`. */
  env?: Environment;
  /** Where the `==> [i/n] step` progress lines go; default `process.stderr`. */
  log?: OutputStream;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

function waitForExit(child: ChildProcess): Promise<Exit> {
  return new Promise((done) => {
    let settled = false;
    child.once("error", (error) => {
      if (settled) return;
      settled = true;
      done({ code: null, signal: null, error });
    });
    child.once("close", (code, signal) => {
      if (settled) return;
      settled = true;
      done({ code, signal });
    });
  });
}

function commandEnv(base: Environment, extra: PlanStep["env"]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const [key, value] of Object.entries(extra ?? {})) env[key] = value instanceof Redacted ? value.reveal() : value;
  return env;
}

function describeExit(argv: readonly string[], exit: Exit): string {
  const program = argv[0] ?? "";
  if (exit.error !== undefined) {
    const code = (exit.error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? `could not start "${program}": it is not on PATH` : `could not start "${program}": ${exit.error.message}`;
  }
  if (exit.signal !== null) return `"${program}" was killed by ${exit.signal}`;
  return `"${program}" exited with code ${exit.code}`;
}

function failed(exit: Exit): boolean {
  return exit.error !== undefined || exit.code !== 0;
}

function openStdoutFile(cwd: string, step: PlanStep): number | undefined {
  if (step.stdout === undefined) return undefined;
  const path = resolve(cwd, step.stdout.path);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const fd = openSync(path, "w", step.stdout.mode);
  // The mode of openSync applies only when it creates the file; a file left by an older run keeps its mode.
  fchmodSync(fd, step.stdout.mode);
  return fd;
}

async function runStep(step: PlanStep, index: number, total: number, cwd: string, base: Environment): Promise<void> {
  const [program, ...args] = step.argv;
  if (program === undefined)
    throw new PlanStepError(`Step ${index + 1} of ${total} ("${step.description}") has no command.`, {
      stepIndex: index,
      step: step.description,
      exitCode: undefined,
    });
  const env = commandEnv(base, step.env);
  const fd = openStdoutFile(cwd, step);
  try {
    const stdio: StdioOptions = [
      step.stdin === undefined ? "inherit" : "pipe",
      fd ?? (step.pipeTo === undefined ? "inherit" : "pipe"),
      "inherit",
    ];
    const first = spawn(program, args, { cwd, env, stdio });
    const running: Array<{ argv: readonly string[]; exit: Promise<Exit> }> = [{ argv: step.argv, exit: waitForExit(first) }];
    if (step.pipeTo !== undefined) {
      const [secondProgram = "", ...secondArgs] = step.pipeTo;
      const second = spawn(secondProgram, secondArgs, { cwd, env, stdio: ["pipe", "inherit", "inherit"] });
      running.push({ argv: step.pipeTo, exit: waitForExit(second) });
      second.stdin?.on("error", () => undefined);
      if (second.stdin) first.stdout?.pipe(second.stdin);
    }
    if (step.stdin !== undefined && first.stdin !== null) {
      // A child that exits before reading all of stdin must fail through its exit code, not an EPIPE crash.
      first.stdin.on("error", () => undefined);
      first.stdin.end(`${JSON.stringify(revealDeep(step.stdin.value))}\n`);
    }
    const exits = await Promise.all(running.map(async ({ argv, exit }) => ({ argv, exit: await exit })));
    const failure = exits.find(({ exit }) => failed(exit));
    if (failure !== undefined) {
      const command = formatCommand({ ...step, stdin: undefined });
      throw new PlanStepError(
        `Step ${index + 1} of ${total} failed: ${step.description}; ${describeExit(failure.argv, failure.exit)}.\n  command: ${command}`,
        { stepIndex: index, step: step.description, exitCode: failure.exit.code ?? undefined, cause: failure.exit.error },
      );
    }
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Runs a plan's steps in order with `child_process.spawn` (no shell; stdio inherited unless a step pipes,
 * reads JSON stdin or writes a file) and stops at the first failure with a {@link PlanStepError} naming the
 * step. Secrets reach the commands through stdin or their environment, never their arguments.
 *
 * @example
 * ```ts
 * await runPlan(planFleetDown(topology), { cwd: repoRoot });
 * ```
 */
export async function runPlan(plan: Plan, options: RunPlanOptions = {}): Promise<void> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const log = options.log ?? process.stderr;
  const total = plan.steps.length;
  for (const [index, step] of plan.steps.entries()) {
    log.write(`==> [${index + 1}/${total}] ${step.description}\n`);
    await runStep(step, index, total, cwd, env);
  }
}

/**
 * What {@link captureCommand} returns. `exitCode` is `undefined` when the program could not start (then
 * `error` says why) or was killed.
 */
export interface CapturedOutput {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  error?: Error;
}

/**
 * Runs one read-only command and collects its output, for the runner's own questions (`kind get clusters`,
 * `flux get …`, tool versions). A command still running after `timeoutMs` is killed.
 *
 * @example
 * ```ts
 * const { stdout } = await captureCommand(["kind", "get", "clusters"]);
 * ```
 */
export function captureCommand(
  argv: readonly string[],
  options: { cwd?: string; env?: Environment; timeoutMs?: number } = {},
): Promise<CapturedOutput> {
  const [program = "", ...args] = argv;
  return new Promise((done) => {
    const child = spawn(program, args, {
      cwd: options.cwd ?? process.cwd(),
      env: { ...(options.env ?? process.env) },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: options.timeoutMs ?? 0,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    void waitForExit(child).then((exit) => {
      const result: CapturedOutput = { exitCode: exit.code ?? undefined, stdout, stderr };
      if (exit.error !== undefined) result.error = exit.error;
      else if (exit.signal !== null) result.error = new Error(`${argv.map(shellQuote).join(" ")} was killed by ${exit.signal}`);
      done(result);
    });
  });
}
