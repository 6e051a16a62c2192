import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { formatValidation, summarizeValidation } from "../validate/format-report.ts";
import { readCachedReport, validationKey, writeCachedReport } from "../validate/report-cache.ts";
import { readRepositoryTree } from "../validate/repository-tree.ts";
import type { ValidationReport } from "../validate/validate-repository.ts";
import { readKustomizationInputs } from "../validate/kustomization-closure.ts";
import type { ClusterFacts } from "../validate/spoke-model.ts";
import { parseRecordedCrds, RECORD_FILE } from "../write/generated-record.ts";
import type { Issue } from "../errors.ts";
import type { CrdFile } from "@flux-fleet/schemas";
import { UsageError } from "../errors.ts";
import { isPlainObject } from "@flux-fleet/profiles";

/** Where validate caches kustomize builds and its last report, relative to the root (git-ignored). */
export const CACHE_DIR = ".fleet/cache";

export interface ValidateOptions {
  root: string;
  json?: boolean;
  /** Rebuild every kustomization instead of reusing cached builds. */
  noCache?: boolean;
  out?: (text: string) => void;
  /** Progress for long runs (a TTY); called with a line to overwrite. */
  progress?: (text: string) => void;
}

export interface ValidateResult {
  exitCode: number;
  report: ValidationReport;
}

/**
 * Validates the generated repository on disk: YAML, kustomize builds, strict schemas and the spokes' Flux
 * semantics. Exit code 1 when any error is found.
 *
 * @example
 * ```ts
 * const { exitCode } = await validate({ root: process.cwd() });
 * ```
 */
export async function validate(options: ValidateOptions): Promise<ValidateResult> {
  const out = options.out ?? ((text: string) => process.stdout.write(text));
  const tree = await readRepositoryTree(options.root);
  if (tree.size === 0)
    throw new UsageError(`There is nothing to validate in ${options.root}: no deploy/, clusters/ or hub/ files. Run "pnpm gen" first.`);
  const record = await readRecord(options.root);
  const clusters = recordedClusters(record);
  const shards = recordedShards(record);
  const cacheDir = options.noCache ? undefined : join(options.root, CACHE_DIR);
  // Refuses remote and outside references, and reads what the kustomizations read outside the tree.
  const inputs = readKustomizationInputs(options.root, tree);
  // Nothing changed since the last run (files, record, kustomize, flux-fleet itself): its report stands.
  const key = cacheDir ? await validationKey(inputs.files, record, inputs.closures) : undefined;
  let report = cacheDir && key ? await readCachedReport(cacheDir, key) : undefined;
  const fromCache = report !== undefined;
  if (!report) {
    const { validateTree } = await import("../validate/validate-repository.ts");
    const { crds, issues } = await readRecordedCrds(options.root, record);
    report = await validateTree(tree, {
      root: options.root,
      cacheDir: cacheDir ? join(cacheDir, "kustomize") : undefined,
      clusters,
      shards,
      inputs,
      crds,
      onBuilt: options.progress ? (done, total) => options.progress?.(`kustomize build ${done}/${total}`) : undefined,
    });
    report.issues.unshift(...issues);
    if (cacheDir && key) await writeCachedReport(cacheDir, key, report);
  }
  const errors = report.issues.filter((issue) => issue.severity === "error").length;
  if (options.json) out(`${JSON.stringify({ summary: summarizeValidation(report), errors, ...report }, null, 2)}\n`);
  else out(formatValidation(report, { fromCache }));
  return { exitCode: errors > 0 ? 1 : 0, report };
}

const RESTORE = `restore it with "git checkout ${RECORD_FILE}" or run "pnpm gen" to write it again`;

/** gen's record, or undefined when there is none; a folder or an unreadable file is a user error. */
async function readRecord(root: string): Promise<string | undefined> {
  try {
    return await readFile(join(root, RECORD_FILE), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "EISDIR") throw new UsageError(`${RECORD_FILE} is a folder, not the record gen writes: remove it, then ${RESTORE}.`);
    throw new UsageError(`${RECORD_FILE} cannot be read (${code ?? (error as Error).message}): ${RESTORE}.`, { cause: error });
  }
}

/** The cluster facts of gen's record, checked: a record that is not what gen writes is a user error naming the field. */
function recordedClusters(content: string | undefined): Map<string, ClusterFacts> {
  if (content === undefined) return new Map();
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    throw new UsageError(`${RECORD_FILE} is not valid JSON (${(error as Error).message}): ${RESTORE}.`, { cause: error });
  }
  const wrong = (field: string, value: unknown, expected: string) =>
    new UsageError(
      `${RECORD_FILE} is not what gen writes: ${field} is ${JSON.stringify(value) ?? String(value)}, not ${expected}; ${RESTORE}.`,
    );
  if (!isPlainObject(parsed)) throw wrong("the record", parsed, "an object");
  const { clusters = {}, files = {} } = parsed as { clusters?: unknown; files?: unknown };
  if (!isPlainObject(files)) throw wrong("files", files, "an object");
  for (const [path, hash] of Object.entries(files)) if (typeof hash !== "string") throw wrong(`files["${path}"]`, hash, "a SHA-256");
  if (!isPlainObject(clusters)) throw wrong("clusters", clusters, "an object");
  const facts = new Map<string, ClusterFacts>();
  for (const [name, value] of Object.entries(clusters)) {
    if (!isPlainObject(value)) throw wrong(`clusters.${name}`, value, "an object");
    const { production, pinning, kubeconfigSecret, shard, configMap } = value;
    if (typeof production !== "boolean") throw wrong(`clusters.${name}.production`, production, "true or false");
    if (pinning !== "warn" && pinning !== "strict") throw wrong(`clusters.${name}.pinning`, pinning, '"warn" or "strict"');
    if (typeof kubeconfigSecret !== "string" || kubeconfigSecret === "")
      throw wrong(`clusters.${name}.kubeconfigSecret`, kubeconfigSecret, "a Secret name");
    if (shard !== undefined && (typeof shard !== "string" || shard === "")) throw wrong(`clusters.${name}.shard`, shard, "a shard name");
    if (configMap !== undefined && (typeof configMap !== "string" || configMap === ""))
      throw wrong(`clusters.${name}.configMap`, configMap, "a ConfigMap name");
    facts.set(name, {
      production,
      pinning,
      kubeconfigSecret,
      ...(shard === undefined ? {} : { shard }),
      ...(configMap === undefined ? {} : { configMap }),
    });
  }
  return facts;
}

/**
 * The hub's shards as gen recorded them; none when the record lists none (a fleet without shards). Without a
 * record at all, undefined: validate cannot tell which shards have controllers.
 */
function recordedShards(content: string | undefined): string[] | undefined {
  if (content === undefined) return undefined;
  const parsed = JSON.parse(content) as { hub?: { shards?: unknown } };
  const shards = parsed.hub?.shards ?? [];
  if (!Array.isArray(shards) || shards.some((shard) => typeof shard !== "string"))
    throw new UsageError(
      `${RECORD_FILE} is not what gen writes: hub.shards is ${JSON.stringify(shards)}, not a list of shard names; ${RESTORE}.`,
    );
  return shards as string[];
}

/**
 * The CRDs gen recorded that the fleet ships, read again. A file that is gone or no longer what gen validated with
 * is an error: validate would otherwise check with a schema the fleet did not name.
 */
async function readRecordedCrds(root: string, record: string | undefined): Promise<{ crds: CrdFile[]; issues: Issue[] }> {
  const recorded = parseRecordedCrds(record);
  if (recorded.size === 0) return { crds: [], issues: [] };
  const { readCrdFiles } = await import("@flux-fleet/schemas");
  const crds: CrdFile[] = [];
  const issues: Issue[] = [];
  for (const [reference, sha256] of recorded) {
    try {
      const [crd] = readCrdFiles([reference], root);
      if (crd && crd.sha256 !== sha256) {
        issues.push({
          severity: "error",
          message: `The CRD file "${reference}" changed since gen validated with it: run "pnpm gen" and commit the result.`,
          where: { generated: RECORD_FILE },
        });
      }
      if (crd) crds.push(crd);
    } catch (error) {
      issues.push({
        severity: "error",
        message: `${(error as Error).message}: run "pnpm gen" (or install the packages) again.`,
        where: { generated: RECORD_FILE },
      });
    }
  }
  return { crds, issues };
}
