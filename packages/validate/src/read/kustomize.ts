import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import { findExecutable } from "@flux-fleet/models";
import { UsageError } from "../errors.ts";
import { formatSize } from "./document-source.ts";

/** A kustomize program: standalone `kustomize build`, or kubectl's built-in `kubectl kustomize`. */
export interface KustomizeProgram {
  command: string;
  args: readonly string[];
  /** How it is described in messages: `kustomize` or `kubectl kustomize`. */
  label: string;
  /** Path, size and modification time of the binary: changes when it is upgraded (a cache key). */
  identity: string;
}

// In order of preference: a standalone kustomize, else kubectl's built-in one.
const KUSTOMIZE_PROGRAMS = [
  { binary: "kustomize", args: ["build", "--load-restrictor=LoadRestrictionsNone"], label: "kustomize" },
  { binary: "kubectl", args: ["kustomize", "--load-restrictor=LoadRestrictionsNone"], label: "kubectl kustomize" },
] as const;

async function identify(path: string): Promise<string> {
  const { size, mtimeMs } = await stat(path);
  return `${path}:${size}:${Math.trunc(mtimeMs)}`;
}

/**
 * The kustomize to build with, as Flux's kustomize-controller does (no load restrictions): `kustomize`
 * when on PATH, else `kubectl kustomize`; a UsageError naming both when neither is there. Looks at PATH
 * only, without running anything.
 *
 * @example
 * ```ts
 * const program = await findKustomize(); // { label: "kubectl kustomize", … }
 * ```
 */
export async function findKustomize(path = process.env["PATH"] ?? ""): Promise<KustomizeProgram> {
  for (const { binary, args, label } of KUSTOMIZE_PROGRAMS) {
    const command = findExecutable(binary, path);
    if (command) return { command, args, label, identity: await identify(command) };
  }
  throw new UsageError(
    "Neither kustomize nor kubectl is on PATH: install kubectl (it has kustomize built in) or kustomize v5, then run again.",
  );
}

/** Limits of one kustomize child: wall-clock time and resident memory. */
export interface KustomizeLimits {
  /** Milliseconds before the child is killed; default 120 s, or `FLUX_FLEET_KUSTOMIZE_TIMEOUT` (seconds). */
  timeoutMs: number;
  /** Bytes of resident memory above which the child is killed; default 1 GiB, or `FLUX_FLEET_KUSTOMIZE_MEMORY` (MiB). */
  maxRssBytes: number;
}

const MIB = 1024 * 1024;

function positiveNumber(value: string | undefined): number | undefined {
  const number = value === undefined || value.trim() === "" ? Number.NaN : Number(value);
  return Number.isFinite(number) && number > 0 ? number : undefined;
}

/**
 * The limits of every kustomize child: 120 s and 1 GiB unless `FLUX_FLEET_KUSTOMIZE_TIMEOUT` (seconds) or
 * `FLUX_FLEET_KUSTOMIZE_MEMORY` (MiB) say otherwise.
 *
 * @example
 * ```ts
 * kustomizeLimits({}); // { timeoutMs: 120000, maxRssBytes: 1073741824 }
 * ```
 */
export function kustomizeLimits(env: NodeJS.ProcessEnv = process.env): KustomizeLimits {
  return {
    timeoutMs: (positiveNumber(env["FLUX_FLEET_KUSTOMIZE_TIMEOUT"]) ?? 120) * 1000,
    maxRssBytes: (positiveNumber(env["FLUX_FLEET_KUSTOMIZE_MEMORY"]) ?? 1024) * MIB,
  };
}

/** The resident memory of a process (Linux: /proc/<pid>/status), or undefined where that cannot be read. */
function residentBytes(pid: number): number | undefined {
  try {
    const kib = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kib === undefined ? undefined : Number(kib) * 1024;
  } catch {
    return undefined;
  }
}

const WATCH_INTERVAL_MS = 100;
const MAX_OUTPUT_BYTES = 256 * MIB;

/**
 * Builds one kustomization directory and returns the YAML it prints; a failed build throws with
 * kustomize's own message. The child runs with a time limit and a memory bound (Go's `GOMEMLIMIT`, and a
 * watchdog that kills it when its resident memory passes the bound); either failure names the directory.
 *
 * @example
 * ```ts
 * const yaml = await kustomizeBuild("clusters/staging/apps");
 * ```
 */
export async function kustomizeBuild(
  dir: string,
  program?: KustomizeProgram,
  limits: KustomizeLimits = kustomizeLimits(),
): Promise<string> {
  const { command, args, label } = program ?? (await findKustomize());
  const what = `${label} build ${dir}`;
  // kustomize is a short-lived Go program: without garbage collection until it nears its soft limit it spends
  // a third less CPU, which matters when hundreds of overlays are built. The soft limit sits below the
  // watchdog's bound so Go collects before it is killed. A user's own GOGC/GOMEMLIMIT win.
  const env = { GOGC: "off", GOMEMLIMIT: `${Math.max(1, Math.floor((limits.maxRssBytes * 3) / 4 / MIB))}MiB`, ...process.env };
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args, dir], { env, stdio: ["ignore", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let size = 0;
    let stopped: string | undefined;
    const stop = (reason: string) => {
      if (stopped) return;
      stopped = reason;
      child.kill("SIGKILL");
    };
    const watch = () => {
      const rss = child.pid === undefined ? undefined : residentBytes(child.pid);
      if (rss !== undefined && rss > limits.maxRssBytes)
        stop(`it used more than ${formatSize(limits.maxRssBytes)} of memory (FLUX_FLEET_KUSTOMIZE_MEMORY, in MiB, raises the bound)`);
    };
    const watchdog = setInterval(watch, WATCH_INTERVAL_MS);
    const timer = setTimeout(
      () => stop(`it ran longer than ${limits.timeoutMs / 1000} s (FLUX_FLEET_KUSTOMIZE_TIMEOUT, in seconds, raises the limit)`),
      limits.timeoutMs,
    );
    child.on("spawn", watch);
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      watch();
      if (size > MAX_OUTPUT_BYTES) stop(`it printed more than ${formatSize(MAX_OUTPUT_BYTES)}`);
      else stdout.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    const finish = (error: Error | undefined) => {
      clearInterval(watchdog);
      clearTimeout(timer);
      if (stopped) reject(new Error(`${what} was stopped: ${stopped}.`));
      else if (error) reject(new Error(`${what} failed: ${error.message}`, { cause: error }));
      else resolve(Buffer.concat(stdout).toString("utf8"));
    };
    child.on("error", finish);
    child.on("close", (code, signal) => {
      if (code === 0 && !stopped) return finish(undefined);
      const message = Buffer.concat(stderr).toString("utf8").trim();
      finish(new Error(message || `exit ${code ?? signal}`));
    });
  });
}
