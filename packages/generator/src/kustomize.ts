import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { UsageError } from "./errors.ts";

const run = promisify(execFile);

/** A kustomize program: standalone `kustomize build`, or kubectl's built-in `kubectl kustomize`. */
export interface KustomizeProgram {
  command: string;
  args: readonly string[];
  /** How it is described in messages: `kustomize` or `kubectl kustomize`. */
  label: string;
}

async function answers(command: string, args: string[]): Promise<boolean> {
  try {
    await run(command, args, { timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

let found: Promise<KustomizeProgram> | undefined;

/**
 * The kustomize to build with, as Flux's kustomize-controller does (no load restrictions): `kustomize`
 * when on PATH, else `kubectl kustomize`; a UsageError naming both when neither is there.
 *
 * @example
 * ```ts
 * const program = await findKustomize(); // { label: "kubectl kustomize", … }
 * ```
 */
export function findKustomize(): Promise<KustomizeProgram> {
  found ??= (async () => {
    if (await answers("kustomize", ["version"])) {
      return { command: "kustomize", args: ["build", "--load-restrictor=LoadRestrictionsNone"], label: "kustomize" };
    }
    if (await answers("kubectl", ["version", "--client"])) {
      return { command: "kubectl", args: ["kustomize", "--load-restrictor=LoadRestrictionsNone"], label: "kubectl kustomize" };
    }
    found = undefined;
    throw new UsageError("Neither kustomize nor kubectl is on PATH: install kubectl (it has kustomize built in) or kustomize v5, then run again.");
  })();
  return found;
}

/**
 * Builds one kustomization directory and returns the YAML it prints; a failed build throws with
 * kustomize's own message.
 *
 * @example
 * ```ts
 * const yaml = await kustomizeBuild("clusters/staging/apps");
 * ```
 */
export async function kustomizeBuild(dir: string, program?: KustomizeProgram): Promise<string> {
  const { command, args, label } = program ?? (await findKustomize());
  try {
    const { stdout } = await run(command, [...args, dir], { maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`${label} build ${dir} failed: ${stderr || (error as Error).message}`, { cause: error });
  }
}
