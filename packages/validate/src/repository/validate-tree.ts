import type { CrdText } from "@flux-fleet/schemas";
import type { Issue } from "../errors.ts";
import type { ClusterFacts } from "../spoke-view/spoke-model.ts";
import { checkSpokeView } from "../checks/check-spoke-view.ts";
import { formatSize, MAX_FILE_BYTES } from "../read/document-source.ts";
import { readKustomizationInputs, type KustomizationInputs } from "../read/kustomization-closure.ts";
import { buildKustomizations, type BuildStats } from "../read/kustomize-builds.ts";
import { checkPatchTargets } from "../checks/patch-targets.ts";
import type { RepositoryTree } from "../read/repository-tree.ts";
import type { SkippedObject } from "../checks/schema-checks.ts";

export interface ValidationReport {
  issues: Issue[];
  skipped: SkippedObject[];
  stats: BuildStats & { files: number; objects: number; spokes: number };
}

export interface ValidateTreeOptions {
  root: string;
  cacheDir?: string | undefined;
  /** Cluster facts recorded by gen (production, pinning, kubeconfig Secret), by cluster name. */
  clusters?: ReadonlyMap<string, ClusterFacts>;
  /** The CRDs the fleet ships (its components' `crds`): objects of their kinds are validated, not skipped. */
  crds?: readonly CrdText[];
  /** The fleet file to edit instead of a generated file (recorded by gen); messages name none without it. */
  editIn?: (path: string) => string | undefined;
  /** The hub's shards (recorded by gen): a shard label naming another is an error; undefined skips that check. */
  shards?: readonly string[] | undefined;
  /** `false` leaves the CRDs' CEL rules out (default `true`): only `pnpm bench` does, to measure their cost. */
  celRules?: boolean;
  /** What the kustomizations read, from {@link readKustomizationInputs}; read here when not given. */
  inputs?: KustomizationInputs;
  onBuilt?: (done: number, total: number) => void;
}

function isYaml(path: string): boolean {
  return path.endsWith(".yaml") || path.endsWith(".yml");
}

/**
 * Validates a generated repository: parses every YAML file, builds every kustomization with real
 * kustomize, validates every object Flux would apply against the strict schemas, and checks each spoke's
 * Flux semantics. Problems are collected across the whole tree.
 *
 * @example
 * ```ts
 * const report = await validateTree(await readRepositoryTree(root), { root, cacheDir: ".fleet/cache/kustomize" });
 * ```
 */
export async function validateTree(generated: RepositoryTree, options: ValidateTreeOptions): Promise<ValidationReport> {
  const issues: Issue[] = [];
  const { documentsOf, closures, files: tree } = options.inputs ?? readKustomizationInputs(options.root, generated);
  // The fleet file to edit, as gen recorded it (a hand-kept file, or a tree without a record, names none).
  const editIn = options.editIn ?? (() => undefined);
  const refused = new Set<string>();
  for (const { file, field, message } of closures.flatMap((closure) => closure.refusals)) {
    if (refused.has(`${file}\0${field}`)) continue;
    refused.add(`${file}\0${field}`);
    issues.push({ severity: "error", message, where: { generated: file, ...(field ? { field } : {}), file: editIn(file) } });
  }
  // kustomize runs in the background while the files are parsed.
  // A base is built as part of every overlay that includes it: building it alone proves nothing more.
  const covered = new Set(closures.flatMap((closure) => closure.includes));
  const building = buildKustomizations(
    closures.filter((closure) => !covered.has(closure.dir)),
    { root: options.root, cacheDir: options.cacheDir, onBuilt: options.onBuilt },
  );

  const parsed = new Map<string, unknown[]>();
  for (const path of tree.keys()) {
    if (!isYaml(path)) continue;
    const { documents, problems, tooLarge } = documentsOf(path);
    if (tooLarge !== undefined)
      issues.push({
        severity: "error",
        message: `The file is ${formatSize(tooLarge)}, above the ${formatSize(MAX_FILE_BYTES)} validate reads from one file: the API server refuses objects above 1 MiB; split it or keep the data elsewhere.`,
        where: { generated: path },
      });
    for (const problem of problems)
      issues.push({
        severity: "error",
        message: `YAML does not parse (line ${problem.line}): ${problem.message}`,
        where: { generated: path, line: problem.line },
      });
    if (problems.length === 0 && tooLarge === undefined) parsed.set(path, documents);
  }

  const { outcomes, stats } = await building;
  issues.push(...checkPatchTargets(tree, outcomes, documentsOf, editIn));
  const checked = checkSpokeView({
    files: parsed,
    builds: outcomes,
    editIn,
    clusters: options.clusters,
    shards: options.shards,
    crds: options.crds,
    celRules: options.celRules,
  });
  return {
    issues: [...issues, ...checked.issues],
    skipped: checked.skipped,
    stats: {
      ...stats,
      directories: closures.length,
      covered: covered.size,
      files: tree.size,
      objects: checked.objects,
      spokes: checked.spokes,
    },
  };
}
