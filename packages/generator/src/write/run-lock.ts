import { mkdir, open, rmdir, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { isMapping } from "@flux-fleet/schemas";
import { UsageError } from "@flux-fleet/validate";
import { kindOf, readIfExists, STATE_DIR } from "./owned-paths.ts";

/** The lock file, relative to the root: held by the one gen that may write the repository. */
export const LOCK_FILE = `${STATE_DIR}/lock`;

/** Who holds the lock, as the lock file says. */
export interface LockOwner {
  pid: number;
  hostname: string;
  /** When that gen started, as an ISO 8601 time. */
  started: string;
}

export interface RunLock {
  /** One line for the user when the lock was taken over from a gen that is no longer running. */
  tookOver: string | undefined;
  /** Removes the lock (and the state folder when it is empty). */
  release(): Promise<void>;
}

function parseOwner(content: string): LockOwner | undefined {
  try {
    const parsed: unknown = JSON.parse(content);
    if (!isMapping(parsed)) return undefined;
    const { pid, hostname, started } = parsed;
    if (!Number.isSafeInteger(pid) || (pid as number) <= 0 || typeof hostname !== "string" || typeof started !== "string") return undefined;
    return { pid: pid as number, hostname, started };
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  // Our own pid in a lock we did not take is a dead gen whose pid was reused by us.
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the repository's run lock: `.flux-fleet/lock`, created exclusively (O_EXCL) and holding the owner's pid,
 * host and start time. A lock held by a running gen is a UsageError naming its pid; a lock whose pid no longer
 * runs on this host is stale: it is taken over, and `tookOver` says so.
 *
 * @example
 * ```ts
 * const lock = await acquireRunLock(root);
 * try { await applyPlan(root, plan); } finally { await lock.release(); }
 * ```
 */
export async function acquireRunLock(root: string): Promise<RunLock> {
  const dir = join(root, STATE_DIR);
  const path = join(root, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, hostname: hostname(), started: new Date().toISOString() };
  let tookOver: string | undefined;
  for (let attempt = 0; ; attempt++) {
    const kind = await kindOf(dir);
    if (kind !== undefined && kind !== "directory")
      throw new UsageError(`${STATE_DIR} is not a folder (gen keeps its lock and journal there): remove it, then run "pnpm gen" again.`);
    // Not recursive: a --root that does not exist is an error, never a folder gen creates.
    await mkdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT")
        throw new UsageError(`There is no folder ${root}: run flux-fleet inside a fleet repository, or pass --root.`);
      if (error.code !== "EEXIST") throw error;
    });
    try {
      const handle = await open(path, "wx");
      try {
        await handle.writeFile(`${JSON.stringify(me)}\n`);
        await handle.sync();
      } catch (error) {
        await handle.close();
        await unlink(path);
        throw new UsageError(`gen could not write its lock ${LOCK_FILE} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, {
          cause: error,
        });
      }
      await handle.close();
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // The folder was removed by a gen that just released the lock: make it again.
      if (code === "ENOENT" && attempt < 5) continue;
      if (code !== "EEXIST") throw error;
    }
    let content = await readIfExists(path);
    // A gen that has just created the lock may not have written it yet.
    for (let wait = 0; content === "" && wait < 20; wait++) {
      await sleep(25);
      content = await readIfExists(path);
    }
    if (content === undefined && attempt < 5) continue;
    if (content === "") {
      // Still empty: its gen was stopped between creating and writing it.
      if ((await readIfExists(path)) === "") await unlink(path).catch(() => undefined);
      tookOver = `Took over ${LOCK_FILE}, left empty by a gen that was stopped while it created it.`;
      continue;
    }
    const owner = content === undefined ? undefined : parseOwner(content);
    if (!owner)
      throw new UsageError(
        `${LOCK_FILE} is not a lock gen writes (${JSON.stringify(content?.slice(0, 80))}): if no gen is running in this repository, delete it and run "pnpm gen" again.`,
      );
    if (owner.hostname !== me.hostname || isRunning(owner.pid) || attempt >= 5) {
      const where = owner.hostname === me.hostname ? `pid ${owner.pid}` : `pid ${owner.pid} on host ${owner.hostname}`;
      throw new UsageError(
        `Another gen is running in this repository (${where}, started ${owner.started}; it holds ${LOCK_FILE}): wait for it to finish and run "pnpm gen" again; if it is not running, delete ${LOCK_FILE}.`,
      );
    }
    // Stale: remove it only if it is still the lock we read, then take it as any gen would.
    if ((await readIfExists(path)) === content) await unlink(path).catch(() => undefined);
    tookOver = `Took over ${LOCK_FILE} from gen pid ${owner.pid} (started ${owner.started}), which is no longer running.`;
  }
  return {
    tookOver,
    async release() {
      if (parseOwner((await readIfExists(path)) ?? "")?.pid === me.pid) await unlink(path);
      await rmdir(dir).catch(() => undefined);
    },
  };
}
