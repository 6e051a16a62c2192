import { mkdir, readFile } from "node:fs/promises";
import { availableParallelism, freemem } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import type { KustomizeLimits, KustomizeProgram } from "./kustomize.ts";
import { replaceFile } from "../replace-file.ts";
import { parseYamlDocuments } from "../yaml-emitter.ts";
import type { BuildOutcome } from "../spoke-view/spoke-model.ts";
import type { KustomizationDir } from "./kustomization-closure.ts";

export type { BuildOutcome };

export interface BuildStats {
  directories: number;
  /** Directories only built as the base of another (kustomize builds them as part of it). */
  covered: number;
  distinct: number;
  built: number;
  cached: number;
}

export interface BuildOptions {
  root: string;
  /** Folder for build results keyed by content digest; none disables the cache. */
  cacheDir?: string | undefined;
  concurrency?: number;
  /** Time and memory bounds of each kustomize child; default {@link kustomizeLimits}. */
  limits?: KustomizeLimits;
  /** Called after each real kustomize run. */
  onBuilt?: (done: number, total: number) => void;
  /**
   * Outcomes by content digest shared between calls (diff reads two revisions at once): a digest one call
   * builds or reads from the cache, the other takes from it instead of building it again.
   */
  shared?: Map<string, Promise<BuildOutcome>>;
}

async function readCached(file: string): Promise<unknown[] | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as unknown[];
  } catch {
    return undefined;
  }
}

async function writeCached(file: string, documents: unknown[]): Promise<void> {
  await replaceFile(file, JSON.stringify(documents), `${file}.${process.pid}.tmp`);
}

/**
 * Builds every kustomization directory with real kustomize, once per distinct content digest (directories
 * that read the same files build to the same output), several at a time, reusing results cached by
 * digest and kustomize binary. Directories that read files outside the tree are always built.
 *
 * @example
 * ```ts
 * const { outcomes, stats } = await buildKustomizations(closeKustomizations(tree), { root, cacheDir: ".fleet/cache" });
 * ```
 */
export async function buildKustomizations(
  dirs: readonly KustomizationDir[],
  options: BuildOptions,
): Promise<{ outcomes: Map<string, BuildOutcome>; stats: BuildStats }> {
  // The module that runs kustomize is loaded by the commands that build, not by everything that imports this
  // package (gen checks what it rendered without kustomize).
  const { findKustomize, kustomizeBuild, kustomizeLimits } = await import("./kustomize.ts");
  const byDigest = new Map<string, KustomizationDir[]>();
  const outcomes = new Map<string, BuildOutcome>();
  for (const dir of dirs) {
    // Refused before kustomize runs: it would reach the network or outside the repository, or expand input
    // that did not parse (an alias bomb) or is too large.
    const [refusal] = dir.refusals;
    if (refusal || dir.unreadable.length > 0) {
      outcomes.set(dir.dir, {
        ok: false,
        error: refusal
          ? `Not built with kustomize: ${refusal.file} ${refusal.field ? `has ${refusal.field}, which validate refuses` : "is behind a symbolic link that leaves the repository"} (see its error).`
          : `Not built with kustomize: ${dir.unreadable.join(", ")} cannot be read safely (see ${dir.unreadable.length > 1 ? "their errors" : "its error"}).`,
      });
      continue;
    }
    const key = dir.missing.length > 0 ? `uncacheable:${dir.dir}` : dir.digest;
    byDigest.set(key, [...(byDigest.get(key) ?? []), dir]);
  }
  let program: Promise<KustomizeProgram> | undefined;
  const getProgram = () => (program ??= findKustomize());
  let cacheKey: string | undefined;
  if (options.cacheDir) await mkdir(options.cacheDir, { recursive: true });

  const stats: BuildStats = { directories: dirs.length, covered: 0, distinct: byDigest.size, built: 0, cached: 0 };
  const pending: Array<[string, KustomizationDir[]]> = [];
  // What this call owes the other callers of `shared`, and what it takes from them.
  const owed = new Map<string, { resolve: (outcome: BuildOutcome) => void; reject: (error: unknown) => void }>();
  const borrowed: Array<[KustomizationDir[], Promise<BuildOutcome>]> = [];
  const settle = (digest: string, members: readonly KustomizationDir[], outcome: BuildOutcome) => {
    for (const member of members) outcomes.set(member.dir, outcome);
    owed.get(digest)?.resolve(outcome);
    owed.delete(digest);
  };
  for (const [digest, members] of byDigest) {
    if (!options.shared || digest.startsWith("uncacheable:")) continue;
    const existing = options.shared.get(digest);
    if (existing) {
      borrowed.push([members, existing]);
      byDigest.delete(digest);
      continue;
    }
    const outcome = new Promise<BuildOutcome>((resolve, reject) => owed.set(digest, { resolve, reject }));
    // A call that fails rejects what it owed; nobody may be waiting for it, which is no unhandled rejection.
    outcome.catch(() => undefined);
    options.shared.set(digest, outcome);
  }
  try {
    // The cache key includes the kustomize binary, so only look it up when a cache exists.
    if (options.cacheDir && byDigest.size > 0)
      cacheKey = createHash("sha256")
        .update((await getProgram()).identity)
        .digest("hex")
        .slice(0, 16);
    await Promise.all(
      [...byDigest].map(async ([digest, members]) => {
        const cacheFile =
          options.cacheDir && cacheKey && !digest.startsWith("uncacheable:")
            ? join(options.cacheDir, `${cacheKey}-${digest}.json`)
            : undefined;
        const cached = cacheFile ? await readCached(cacheFile) : undefined;
        if (cached) {
          stats.cached++;
          settle(digest, members, { ok: true, documents: cached });
        } else pending.push([digest, members]);
      }),
    );

    const total = pending.length;
    // Resolved before any build, so a missing kustomize is one clear error rather than one per directory.
    const kustomize = total > 0 ? await getProgram() : undefined;
    // Far more builds than cores: the checks hold this thread while the builds run, and a finished build is
    // only replaced when the thread is free, so all of a run's builds start at once (up to a bound).
    const limits = options.limits ?? kustomizeLimits();
    const concurrency = Math.max(
      1,
      options.concurrency ?? buildConcurrency({ cores: availableParallelism(), freeBytes: freemem(), maxRssBytes: limits.maxRssBytes }),
    );
    let next = 0;
    const worker = async () => {
      while (next < pending.length) {
        const [digest, members] = pending[next++]!;
        const representative = members[0]!;
        let outcome: BuildOutcome;
        try {
          const text = await kustomizeBuild(join(options.root, representative.dir), kustomize, limits);
          const { documents, problems } = parseYamlDocuments(text);
          outcome =
            problems.length > 0
              ? { ok: false, error: `kustomize printed YAML that does not parse: ${problems[0]?.message}` }
              : { ok: true, documents };
          if (outcome.ok && options.cacheDir && cacheKey && !digest.startsWith("uncacheable:")) {
            await writeCached(join(options.cacheDir, `${cacheKey}-${digest}.json`), documents);
          }
        } catch (error) {
          outcome = { ok: false, error: (error as Error).message.replace(`${join(options.root)}/`, "") };
        }
        stats.built++;
        options.onBuilt?.(stats.built, total);
        settle(digest, members, outcome);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  } catch (error) {
    // The other callers must not wait for builds this call will never finish.
    for (const { reject } of owed.values()) reject(error);
    throw error;
  }
  for (const [members, outcome] of borrowed) {
    stats.cached++;
    const settled = await outcome;
    for (const member of members) outcomes.set(member.dir, settled);
  }
  return { outcomes, stats };
}

/**
 * How many kustomize builds run at once: four per core (the checks hold this thread while builds run, so more
 * builds than cores keep the cores busy), but never more than the free memory holds at each build's memory bound,
 * so that a run on a small CI machine slows down instead of swapping or being killed.
 *
 * @example
 * ```ts
 * buildConcurrency({ cores: 2, freeBytes: 3 * 2 ** 30, maxRssBytes: 2 ** 30 }); // 3
 * ```
 */
export function buildConcurrency(machine: { cores: number; freeBytes: number; maxRssBytes: number }): number {
  const byMemory = Math.floor(machine.freeBytes / machine.maxRssBytes);
  return Math.max(1, Math.min(machine.cores * 4, byMemory));
}
