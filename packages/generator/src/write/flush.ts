import type * as ChildProcess from "node:child_process";
import { closeSync, existsSync, openSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { UsageError, fsyncDescriptor, writeNewFile } from "@flux-fleet/validate";

/**
 * How a run gets what it wrote onto the disk before the step that relies on it (the journal, the journal's deletion):
 * `files` fsyncs every file as it is written and every folder at the barrier; `filesystem` writes the files and, at
 * the barrier, flushes each file system they are on once (syncfs(2), through `sync -f`), which writes the same
 * files and folder entries (and whatever else is dirty there) in one pass.
 */
export type FlushMode = "files" | "filesystem";

/**
 * From this many fsyncs on (files plus folders), one flush of the file system costs less: on ext4 (2 cores) an fsync
 * through the thread pool takes ~60 µs of CPU (and waits for the disk one file at a time), starting sync(1) ~2.5 ms.
 * Below it a run changes a few files, and a file system flush would also wait for everything else that is dirty.
 */
export const FILESYSTEM_FLUSH_FROM = 64;

/** coreutils' (and busybox's) sync(1): `sync -f PATH` calls syncfs(2) on the file system holding PATH. */
const SYNC_PROGRAMS = ["/usr/bin/sync", "/bin/sync"] as const;

/** The variable that chooses the mode, for a run that must not flush the whole file system (or for tests). */
export const FLUSH_ENV = "FLUX_FLEET_FLUSH";

let installedSync: { path: string | undefined } | undefined;
function findSyncProgram(): string | undefined {
  installedSync ??= { path: SYNC_PROGRAMS.find((path) => existsSync(path)) };
  return installedSync.path;
}

/**
 * The mode for a step that would take `fsyncs` fsyncs one by one: `filesystem` on Linux (where syncfs exists) from
 * {@link FILESYSTEM_FLUSH_FROM} on, when a sync program is installed; `FLUX_FLEET_FLUSH=files|filesystem` decides
 * instead.
 *
 * @example
 * ```ts
 * flushMode(6_513 + 4_000); // "filesystem" on Linux
 * ```
 */
export function flushMode(fsyncs: number, env: NodeJS.ProcessEnv = process.env): FlushMode {
  const chosen = env[FLUSH_ENV];
  if (chosen === "files" || chosen === "filesystem") return chosen;
  if (chosen !== undefined && chosen !== "")
    throw new UsageError(`${FLUSH_ENV} is ${JSON.stringify(chosen)}: it must be "files" or "filesystem" (or unset, to let gen choose)`);
  return process.platform === "linux" && fsyncs >= FILESYSTEM_FLUSH_FROM && findSyncProgram() !== undefined ? "filesystem" : "files";
}

/** What a barrier did: the mode it ended in (a failed file system flush falls back to fsyncing each) and how many syncfs calls. */
export interface FlushReport {
  mode: FlushMode;
  fileSystems: number;
}

/** The files a step writes and the barrier that puts them, and the folders' entries, on the disk. */
export interface Flusher {
  readonly mode: FlushMode;
  /** Creates `path` (never over an existing file) with `content`; in `files` mode fsync'd before this returns. */
  write(path: string, content: string): Promise<void>;
  /**
   * Puts every file written so far and the entries of `dirs` (which hold every folder written to) on the disk.
   * `bestEffort` ignores a folder that is gone or fails (after the renames of a commit, where the journal still holds
   * the work).
   */
  settle(dirs: Iterable<string>, options?: { bestEffort?: boolean }): Promise<FlushReport>;
}

/**
 * Runs `task` on every item with at most `limit` at a time (a run stages thousands of files). After a failure no
 * new task starts, and it returns (throwing the first error) only once every started task has ended, so that the
 * caller can clean up after all of them.
 */
export async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      try {
        await task(items[next++] as T);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}

/** The fsync of a file or a folder (a folder's: so that the renames and removals in it survive a power loss). */
export async function fsyncPath(path: string): Promise<void> {
  const fd = openSync(path, "r");
  try {
    await fsyncDescriptor(fd);
  } catch (error) {
    (error as NodeJS.ErrnoException).path ??= path;
    throw error;
  } finally {
    closeSync(fd);
  }
}

/** The fsync of each path, 16 at a time (the thread pool does the waiting). */
function fsyncEach(paths: readonly string[], bestEffort: boolean): Promise<void> {
  return eachLimited(paths, 16, (path) => (bestEffort ? fsyncPath(path).catch(() => undefined) : fsyncPath(path)));
}

/**
 * One syncfs per file system the folders are on (a folder's st_dev tells them apart: a mount inside the tree is
 * flushed too). How many it flushed, or undefined when a flush failed or could not start: the caller then fsyncs
 * each file and folder, which names the one at fault.
 */
function syncFileSystems(dirs: readonly string[], bestEffort: boolean, program: string | undefined): number | undefined {
  if (program === undefined) return undefined;
  const byDevice = new Map<number, string>();
  for (const dir of dirs) {
    let dev: number;
    try {
      dev = statSync(dir).dev;
    } catch (error) {
      if (bestEffort) continue;
      throw error;
    }
    if (!byDevice.has(dev)) byDevice.set(dev, dir);
  }
  // Loaded only here: gen never starts another process otherwise.
  const { spawnSync } = createRequire(import.meta.url)("node:child_process") as typeof ChildProcess;
  for (const dir of byDevice.values()) {
    const result = spawnSync(program, ["-f", dir], { stdio: "ignore" });
    if (result.error !== undefined || result.status !== 0) return undefined;
  }
  return byDevice.size;
}

/**
 * @example
 * ```ts
 * const flusher = createFlusher(flushMode(files.length + dirs.length));
 * for (const file of files) await flusher.write(file.temp, file.content);
 * await flusher.settle(dirs); // now the journal may name them
 * ```
 */
export function createFlusher(mode: FlushMode, { syncProgram = findSyncProgram() }: { syncProgram?: string | undefined } = {}): Flusher {
  const written: string[] = [];
  return {
    mode,
    async write(path, content) {
      await writeNewFile(path, content, { fsync: mode === "files" });
      if (mode === "filesystem") written.push(path);
    },
    async settle(dirs, { bestEffort = false } = {}) {
      const folders = [...new Set(dirs)];
      if (mode === "filesystem") {
        const fileSystems = syncFileSystems(folders, bestEffort, syncProgram);
        if (fileSystems !== undefined) return { mode, fileSystems };
        await fsyncEach(written, bestEffort);
      }
      await fsyncEach(folders, bestEffort);
      return { mode: "files", fileSystems: 0 };
    },
  };
}
