import { findExecutable } from "@flux-fleet/models";
import coerce from "semver/functions/coerce.js";
import compareSemver from "semver/functions/compare.js";
import { captureCommand, type Environment } from "./runner.ts";

/** The programs the lifecycle commands drive. */
export type ToolName = "docker" | "kind" | "kubectl" | "flux";

/** How a tool is found, asked for its version, and installed. */
export interface ToolSpec {
  name: ToolName;
  /** Arguments that print the version without needing a cluster. */
  versionArgs: readonly string[];
  /** The oldest version the commands are known to work with (the seed's scripts name docker 25, kind 0.22, kubectl 1.29; Flux 2.3 serves the `helm.toolkit.fluxcd.io/v2` API the generated repository uses). */
  minimumVersion: string;
  installUrl: string;
  /** What to do when the tool is there but its version command fails. */
  failureHint: string;
  versionPattern: RegExp;
}

/**
 * The four tools, their version commands and install pages.
 *
 * @example
 * ```ts
 * TOOLS.kind.installUrl; // "https://kind.sigs.k8s.io/docs/user/quick-start/#installation"
 * ```
 */
export const TOOLS = {
  docker: {
    name: "docker",
    // The server version, not the client's: kind needs a running engine, and this fails when there is none.
    versionArgs: ["version", "--format", "{{.Server.Version}}"],
    minimumVersion: "25.0.0",
    installUrl: "https://docs.docker.com/engine/install/",
    failureHint: "start the Docker engine (kind runs each cluster node as a container)",
    versionPattern: /(\d+\.\d+\.\d+)/,
  },
  kind: {
    name: "kind",
    versionArgs: ["version"],
    minimumVersion: "0.22.0",
    installUrl: "https://kind.sigs.k8s.io/docs/user/quick-start/#installation",
    failureHint: "reinstall it",
    versionPattern: /kind\s+v(\d+\.\d+\.\d+)/,
  },
  kubectl: {
    name: "kubectl",
    versionArgs: ["version", "--client"],
    minimumVersion: "1.29.0",
    installUrl: "https://kubernetes.io/docs/tasks/tools/#kubectl",
    failureHint: "reinstall it",
    // Matches both `Client Version: v1.32.0` and the older `Client Version: version.Info{… GitVersion:"v1.27.0" …}`.
    versionPattern: /Client Version:[^\n]*?v(\d+\.\d+\.\d+)/,
  },
  flux: {
    name: "flux",
    versionArgs: ["version", "--client"],
    minimumVersion: "2.3.0",
    installUrl: "https://fluxcd.io/flux/installation/#install-the-flux-cli",
    failureHint: "reinstall it",
    versionPattern: /flux(?::|\s+version)\s*v?(\d+\.\d+\.\d+)/,
  },
} as const satisfies Record<ToolName, ToolSpec>;

/** The state of one tool. */
export type ToolStatus = "ok" | "missing" | "failed" | "outdated";

/**
 * The result of checking one tool; `message` is the line to print.
 *
 * @example
 * ```ts
 * const check: ToolCheck = { tool: "kind", status: "missing", message: "kind: not found on PATH — install it: …" };
 * ```
 */
export interface ToolCheck {
  tool: ToolName;
  status: ToolStatus;
  /** Where the executable was found. */
  path?: string;
  /** The version it reported, without a leading `v`. */
  version?: string;
  message: string;
}

/**
 * What {@link checkPrerequisites} found: every check in the order asked, and the ones that stop a command.
 *
 * @example
 * ```ts
 * const report = await checkPrerequisites(["kind"]);
 * if (!report.ok) console.error(report.problems.map((p) => p.message).join("\n"));
 * ```
 */
export interface PrerequisiteReport {
  ok: boolean;
  checks: ToolCheck[];
  problems: ToolCheck[];
}

/**
 * Options of {@link checkPrerequisites}.
 *
 * @example
 * ```ts
 * const options: PrerequisiteOptions = { path: "/usr/local/bin:/usr/bin" };
 * ```
 */
export interface PrerequisiteOptions {
  /** The PATH searched; default `env.PATH`. */
  path?: string;
  /** The environment the version commands run with (their `PATH` is replaced by `path`); default `process.env`. */
  env?: Environment;
  /** How long a version command may take before it counts as failed; default 20 s (`docker version` waits for the engine). */
  timeoutMs?: number;
}

/**
 * Compares tool versions (`"0.22.0"`, `"1.29"`, `"v2.9.2"`) with semver, missing parts counting as 0: negative,
 * zero or positive.
 *
 * @example
 * ```ts
 * compareVersions("0.20.0", "0.22.0") < 0; // true
 * ```
 */
export function compareVersions(a: string, b: string): number {
  const left = coerce(a);
  const right = coerce(b);
  if (left === null || right === null) throw new Error(`compareVersions: "${left === null ? a : b}" is not a version`);
  return compareSemver(left, right);
}

/**
 * The version in a tool's version output, without a leading `v`, or `undefined` when not recognised.
 *
 * @example
 * ```ts
 * parseToolVersion("kind", "kind v0.33.0 go1.25.3 linux/amd64"); // "0.33.0"
 * parseToolVersion("flux", "flux: v2.9.2"); // "2.9.2"
 * ```
 */
export function parseToolVersion(tool: ToolName, output: string): string | undefined {
  return TOOLS[tool].versionPattern.exec(output)?.[1];
}

function firstLine(text: string): string {
  return (
    text
      .split("\n")
      .map((line) => line.trim())
      .find((line) => line !== "") ?? ""
  );
}

async function checkTool(tool: ToolName, path: string, env: Environment, timeoutMs: number): Promise<ToolCheck> {
  const spec = TOOLS[tool];
  const executable = findExecutable(tool, path);
  if (executable === undefined) {
    return { tool, status: "missing", message: `${tool}: not found on PATH — install it: ${spec.installUrl}` };
  }
  const command = [tool, ...spec.versionArgs].join(" ");
  const output = await captureCommand([executable, ...spec.versionArgs], { env: { ...env, PATH: path }, timeoutMs });
  if (output.exitCode !== 0) {
    const detail = firstLine(output.stderr) || firstLine(output.stdout) || output.error?.message || `exit code ${output.exitCode}`;
    return {
      tool,
      status: "failed",
      path: executable,
      message: `${tool}: found at ${executable} but "${command}" failed (${detail}) — ${spec.failureHint}: ${spec.installUrl}`,
    };
  }
  const version = parseToolVersion(tool, output.stdout);
  if (version === undefined) {
    return {
      tool,
      status: "ok",
      path: executable,
      message: `${tool}: found at ${executable} (version not recognised in "${firstLine(output.stdout)}")`,
    };
  }
  if (compareVersions(version, spec.minimumVersion) < 0) {
    return {
      tool,
      status: "outdated",
      path: executable,
      version,
      message: `${tool}: v${version} is older than the v${spec.minimumVersion} this needs — upgrade it: ${spec.installUrl}`,
    };
  }
  return { tool, status: "ok", path: executable, version, message: `${tool}: v${version} (${executable})` };
}

/**
 * Looks up each tool on `path`, runs its version command (`docker version --format {{.Server.Version}}`,
 * `kind version`, `kubectl version --client`, `flux version --client`) and reports what is missing, broken
 * or older than needed, each with an install hint. The tools are checked concurrently; the report keeps the
 * order asked.
 *
 * @example
 * ```ts
 * const report = await checkPrerequisites(["docker", "kind", "kubectl"], { path: process.env.PATH });
 * report.problems[0]?.message; // e.g. "kind: not found on PATH — install it: https://kind.sigs.k8s.io/docs/user/quick-start/#installation"
 * ```
 */
export async function checkPrerequisites(tools: readonly ToolName[], options: PrerequisiteOptions = {}): Promise<PrerequisiteReport> {
  const env = options.env ?? process.env;
  const path = options.path ?? env["PATH"] ?? "";
  const unique = [...new Set(tools)];
  const checks = await Promise.all(unique.map((tool) => checkTool(tool, path, env, options.timeoutMs ?? 20_000)));
  const problems = checks.filter((check) => check.status !== "ok");
  return { ok: problems.length === 0, checks, problems };
}

/**
 * The report as lines for the terminal, problems marked `✗`.
 *
 * @example
 * ```ts
 * formatPrerequisites(await checkPrerequisites(["kind"])); // "✓ kind: v0.33.0 (/usr/local/bin/kind)\n"
 * ```
 */
export function formatPrerequisites(report: PrerequisiteReport): string {
  return report.checks.map((check) => `${check.status === "ok" ? "✓" : "✗"} ${check.message}\n`).join("");
}
