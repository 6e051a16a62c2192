import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CrdFile } from "@flux-fleet/schemas";
import {
  CACHE_DIR,
  formatValidation,
  summarizeValidation,
  validateRepository,
  type ClusterFacts,
  type Issue,
  type ValidationReport,
} from "@flux-fleet/validate";
import { parseRecord, readRecordFile, RECORD_FILE } from "../write/generated-record.ts";

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
 * The generator's code (src/ in this workspace, dist/ when installed): it reads the record into the facts validate
 * checks with, so the report cache is keyed by it too.
 */
const GENERATOR_CODE = fileURLToPath(new URL("../", import.meta.url));

/**
 * Validates the generated repository on disk with @flux-fleet/validate (YAML, kustomize builds, strict schemas and
 * the spokes' Flux semantics), with the facts gen recorded, and prints the report. Exit code 1 when any error is found.
 *
 * @example
 * ```ts
 * const { exitCode } = await validate({ root: process.cwd() });
 * ```
 */
export async function validate(options: ValidateOptions): Promise<ValidateResult> {
  const out = options.out ?? ((text: string) => process.stdout.write(text));
  const record = await readRecordFile(options.root);
  const parsed = parseRecord(record);
  // A production cluster whose fleet acknowledges chart ranges is not warned about them again.
  const clusters = new Map<string, ClusterFacts>(
    [...parsed.clusters].map(([name, { unpinnedAcknowledged, ...facts }]) => [
      name,
      unpinnedAcknowledged ? { ...facts, checkPinning: false } : facts,
    ]),
  );
  const { report, fromCache } = await validateRepository(options.root, {
    facts: {
      clusters,
      shards: parsed.shards,
      editIn: parsed.editIn,
      crds: () => readRecordedCrds(options.root, parsed.crds),
      key: record,
    },
    cacheDir: options.noCache ? undefined : join(options.root, CACHE_DIR),
    code: [GENERATOR_CODE],
    onBuilt: options.progress ? (done, total) => options.progress?.(`kustomize build ${done}/${total}`) : undefined,
  });
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
