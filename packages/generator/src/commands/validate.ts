import { join } from "node:path";
import { formatValidation, summarizeValidation } from "../validate/format-report.ts";
import { codeIdentity, readCachedReport, validationKey, writeCachedReport } from "../validate/report-cache.ts";
import { loadParseStore, saveParseStore } from "../validate/parse-store.ts";
import type { ParseCache } from "../validate/document-source.ts";
import { readRepositoryTree } from "../validate/repository-tree.ts";
import type { ValidationReport } from "../validate/validate-repository.ts";
import { readKustomizationInputs } from "../validate/kustomization-closure.ts";
import type { ClusterFacts } from "../spoke-view/spoke-model.ts";
import { parseRecord, readRecordFile, RECORD_FILE } from "../write/generated-record.ts";
import type { Issue } from "../errors.ts";
import type { CrdFile } from "@flux-fleet/schemas";
import { UsageError } from "../errors.ts";

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
  const record = await readRecordFile(options.root);
  const parsed = parseRecord(record);
  // A production cluster whose fleet acknowledges chart ranges is not warned about them again.
  const clusters = new Map<string, ClusterFacts>(
    [...parsed.clusters].map(([name, { unpinnedAcknowledged, ...facts }]) => [
      name,
      unpinnedAcknowledged ? { ...facts, checkPinning: false } : facts,
    ]),
  );
  const shards = parsed.shards;
  const cacheDir = options.noCache ? undefined : join(options.root, CACHE_DIR);
  // Refuses remote and outside references, and reads what the kustomizations read outside the tree.
  // With the cache, the files an earlier run parsed are taken from its store on a miss (only what changed is parsed).
  const parseCache: ParseCache | undefined = cacheDir ? new Map() : undefined;
  const inputs = readKustomizationInputs(options.root, tree, parseCache);
  // Nothing changed since the last run (files, record, kustomize, flux-fleet itself): its report stands.
  const key = cacheDir ? await validationKey(inputs.files, record, inputs.closures) : undefined;
  let report = cacheDir && key ? await readCachedReport(cacheDir, key) : undefined;
  const fromCache = report !== undefined;
  if (!report) {
    const { validateTree } = await import("../validate/validate-repository.ts");
    if (cacheDir && parseCache) await loadParseStore(cacheDir, await codeIdentity(), parseCache);
    const { crds, issues } = await readRecordedCrds(options.root, parsed.crds);
    report = await validateTree(tree, {
      root: options.root,
      cacheDir: cacheDir ? join(cacheDir, "kustomize") : undefined,
      clusters,
      shards,
      editIn: parsed.editIn,
      inputs,
      crds,
      onBuilt: options.progress ? (done, total) => options.progress?.(`kustomize build ${done}/${total}`) : undefined,
    });
    report.issues.unshift(...issues);
    if (cacheDir && key) await writeCachedReport(cacheDir, key, report);
    if (cacheDir && parseCache) await saveParseStore(cacheDir, await codeIdentity(), parseCache, inputs.files);
  }
  const errors = report.issues.filter((issue) => issue.severity === "error").length;
  if (options.json) out(`${JSON.stringify({ summary: summarizeValidation(report), errors, ...report }, null, 2)}\n`);
  else out(formatValidation(report, { fromCache }));
  return { exitCode: errors > 0 ? 1 : 0, report };
}

/**
 * The CRDs gen recorded that the fleet ships, read again. A file that is gone or no longer what gen validated with
 * is an error: validate would otherwise check with a schema the fleet did not name.
 */
async function readRecordedCrds(root: string, recorded: ReadonlyMap<string, string>): Promise<{ crds: CrdFile[]; issues: Issue[] }> {
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
