import { join } from "node:path";
import type { CrdText } from "@flux-fleet/schemas";
import { UsageError, type Issue } from "../errors.ts";
import type { ParseCache } from "../read/document-source.ts";
import { readKustomizationInputs } from "../read/kustomization-closure.ts";
import { readRepositoryTree } from "../read/repository-tree.ts";
import type { ClusterFacts, EditIn } from "../spoke-view/spoke-model.ts";
import { validateTree, type ValidationReport } from "./validate-tree.ts";

/**
 * What a repository's YAML does not show and the checks use: the generator passes what its record says. A
 * hand-written repository has none of it; the checks then name no fleet file and skip what needs them.
 *
 * @example
 * ```ts
 * const facts: RepositoryFacts = { clusters: new Map([["production", { production: true, pinning: "warn", kubeconfigSecret: "cluster-kubeconfig" }]]) };
 * ```
 */
export interface RepositoryFacts {
  /** Cluster facts (production, pinning, kubeconfig Secret, shard), by cluster name. */
  clusters?: ReadonlyMap<string, ClusterFacts> | undefined;
  /** The hub's shards: a shard label naming another is an error; undefined skips that check. */
  shards?: readonly string[] | undefined;
  /** The fleet file to edit instead of each file of the tree; messages name none without it. */
  editIn?: EditIn | undefined;
  /**
   * The CRDs the repository ships (objects of their kinds are validated, not skipped), with the problems of
   * reading them, which lead the report. Called only when the report is not taken from the cache.
   */
  crds?: (() => Promise<{ crds: readonly CrdText[]; issues: readonly Issue[] }>) | undefined;
  /** Changes whenever the facts above do (the generator gives its record's text): the report cache is keyed by it. */
  key?: string | undefined;
}

/**
 * Options of {@link validateRepository}.
 *
 * @example
 * ```ts
 * const options: ValidateRepositoryOptions = { cacheDir: join(root, CACHE_DIR), onBuilt: (done, total) => console.error(`${done}/${total}`) };
 * ```
 */
export interface ValidateRepositoryOptions {
  facts?: RepositoryFacts;
  /**
   * Where kustomize builds, parsed files and the last report are kept between runs (`<root>/.fleet/cache`, see
   * {@link CACHE_DIR}, is the CLI's; git-ignore it). Without it nothing is cached and nothing is written.
   */
  cacheDir?: string | undefined;
  /**
   * Folders of the caller's code that shapes the facts it passes (the generator gives its own): the cache is keyed
   * by their files too, beside this package's and the packages it runs.
   */
  code?: readonly string[];
  /** Called after each real kustomize run, for progress. */
  onBuilt?: ((done: number, total: number) => void) | undefined;
}

/**
 * What {@link validateRepository} found, and whether it is the report of an earlier run with the same inputs.
 *
 * @example
 * ```ts
 * const { report, fromCache } = await validateRepository(root);
 * ```
 */
export interface RepositoryValidation {
  report: ValidationReport;
  fromCache: boolean;
}

/**
 * Validates the repository under `root` end to end, whoever wrote it: reads the files under deploy/, clusters/
 * and hub/, builds every kustomization with real kustomize (refusing remote and outside references), applies
 * Flux's semantics to what each spoke receives and runs every check on that spoke view. With a `cacheDir`, an
 * unchanged repository's report is taken from the last run and only what changed is parsed and built again.
 * A UsageError when there is nothing to validate or no kustomize on PATH.
 *
 * @example
 * ```ts
 * const { report } = await validateRepository("/path/to/repository");
 * process.stdout.write(formatValidation(report)); // "… 0 errors, 0 warnings, 0 skipped"
 * ```
 */
export async function validateRepository(root: string, options: ValidateRepositoryOptions = {}): Promise<RepositoryValidation> {
  const { facts = {}, cacheDir, code = [] } = options;
  const tree = await readRepositoryTree(root);
  if (tree.size === 0)
    throw new UsageError(`There is nothing to validate in ${root}: no deploy/, clusters/ or hub/ files. Run "pnpm gen" first.`);
  // Refuses remote and outside references, and reads what the kustomizations read outside the tree.
  // With the cache, the files an earlier run parsed are taken from its store on a miss (only what changed is parsed).
  const parseCache: ParseCache | undefined = cacheDir ? new Map() : undefined;
  const inputs = readKustomizationInputs(root, tree, parseCache);
  // The cache's modules (and through them the one that runs kustomize) are loaded only by a run that has a cache.
  const cache =
    cacheDir === undefined ? undefined : { dir: cacheDir, ...(await import("./report-cache.ts")), ...(await import("./parse-store.ts")) };
  // Nothing changed since the last run (files, facts, kustomize, the code of validate): its report stands.
  const key = cache && (await cache.validationKey(inputs.files, facts.key, inputs.closures, code));
  const cached = cache && key ? await cache.readCachedReport(cache.dir, key) : undefined;
  if (cached) return { report: cached, fromCache: true };

  if (cache && parseCache) await cache.loadParseStore(cache.dir, await cache.codeIdentity(code), parseCache);
  const { crds, issues } = (await facts.crds?.()) ?? { crds: [], issues: [] };
  const report = await validateTree(tree, {
    root,
    cacheDir: cacheDir ? join(cacheDir, "kustomize") : undefined,
    clusters: facts.clusters,
    shards: facts.shards,
    editIn: facts.editIn,
    inputs,
    crds,
    onBuilt: options.onBuilt,
  });
  report.issues.unshift(...issues);
  if (cache && key) await cache.writeCachedReport(cache.dir, key, report);
  if (cache && parseCache) await cache.saveParseStore(cache.dir, await cache.codeIdentity(code), parseCache, inputs.files);
  return { report, fromCache: false };
}
