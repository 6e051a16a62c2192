import { REDACTED, Redacted } from "./redacted.ts";

/**
 * What a step's command reads on stdin, when not the terminal: a JSON document (e.g. a Secret manifest for
 * `kubectl apply -f -`). {@link Redacted} values inside it reach the child but print as `***`.
 */
export interface JsonStdin {
  kind: "json";
  value: unknown;
}

/** A step's stdin source. */
export type StdinSource = JsonStdin;

/**
 * Where a step's stdout goes when not the terminal: a file, created (with its folder, mode 0700) with the
 * given mode, e.g. `0o600` for a kubeconfig.
 */
export interface FileStdout {
  kind: "file";
  /** Relative to the runner's working directory. */
  path: string;
  mode: number;
}

/** A step's stdout target. */
export type StdoutTarget = FileStdout;

/**
 * One command of a plan. `argv` runs without a shell; `pipeTo`, when set, is a second command reading the
 * first one's stdout (`argv | pipeTo`).
 *
 * @example
 * ```ts
 * const step: PlanStep = { description: "Delete kind cluster flux-hub", argv: ["kind", "delete", "cluster", "--name", "flux-hub"] };
 * ```
 */
export interface PlanStep {
  description: string;
  argv: readonly string[];
  pipeTo?: readonly string[];
  stdin?: StdinSource;
  stdout?: StdoutTarget;
  /** Extra environment variables for the command (both commands of a pipe). */
  env?: Readonly<Record<string, string | Redacted>>;
}

/**
 * An ordered list of steps that {@link runPlan} executes, or {@link formatPlan} prints for a dry run.
 *
 * @example
 * ```ts
 * const plan: Plan = { title: "fleet down", steps: [] };
 * ```
 */
export interface Plan {
  title: string;
  steps: PlanStep[];
}

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quotes one word for a POSIX shell, only when needed.
 *
 * @example
 * ```ts
 * shellQuote("--path=./hub"); // "--path=./hub"
 * shellQuote("it's"); // "'it'\\''s'"
 * ```
 */
export function shellQuote(word: string): string {
  if (word !== "" && SAFE_WORD.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * One step as a shell command line, secrets shown as `***`: environment assignments, the command, then
 * `| second command`, `> file` or a `<<'EOF'` here-document for JSON stdin.
 *
 * @example
 * ```ts
 * formatCommand({ description: "", argv: ["kind", "get", "kubeconfig"], stdout: { kind: "file", path: "a.yaml", mode: 0o600 } });
 * // "kind get kubeconfig > a.yaml"
 * ```
 */
export function formatCommand(step: PlanStep): string {
  const env = Object.entries(step.env ?? {}).map(([key, value]) => `${key}=${value instanceof Redacted ? REDACTED : shellQuote(value)} `);
  let line = env.join("") + step.argv.map(shellQuote).join(" ");
  if (step.pipeTo !== undefined) line += ` | ${step.pipeTo.map(shellQuote).join(" ")}`;
  if (step.stdout !== undefined) line += ` > ${shellQuote(step.stdout.path)}`;
  if (step.stdin !== undefined) line += ` <<'EOF'\n${JSON.stringify(step.stdin.value)}\nEOF`;
  return line;
}

/**
 * A dry run's output: the plan as a commented shell script, steps numbered in order, secrets as `***`.
 * It ends with a newline and holds nothing that {@link runPlan} would not run.
 *
 * @example
 * ```ts
 * formatPlan({ title: "fleet down", steps: [{ description: "Delete kind cluster flux-hub", argv: ["kind", "delete", "cluster", "--name", "flux-hub"] }] });
 * // "# fleet down: 1 step\n# 1. Delete kind cluster flux-hub\nkind delete cluster --name flux-hub\n"
 * ```
 */
export function formatPlan(plan: Plan): string {
  const count = `${plan.steps.length} ${plan.steps.length === 1 ? "step" : "steps"}`;
  const lines = [`# ${plan.title}: ${count}`];
  plan.steps.forEach((step, index) => {
    lines.push(`# ${index + 1}. ${step.description}`, formatCommand(step));
  });
  return `${lines.join("\n")}\n`;
}
