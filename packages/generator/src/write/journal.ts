import { lstatSync, renameSync, unlinkSync } from "node:fs";
import { lstat, readdir, readFile, rmdir, unlink } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { isMapping } from "@flux-fleet/schemas";
import { UsageError, replaceFile, OWNED_DIRS } from "@flux-fleet/validate";
import { createFlusher, eachLimited, flushMode, fsyncPath } from "./flush.ts";
import { hashContent, isSha256 } from "./generated-record.ts";
import {
  createOwnedTree,
  isOwnedPath,
  isTemporaryPath,
  isWriterPath,
  readIfExists,
  RECORD_FILE,
  stagedPath,
  STATE_DIR,
  temporaryPath,
  type OwnedTree,
} from "./owned-paths.ts";

/** The journal of a run, relative to the root: present only while a run replaces files (or after it was interrupted). */
export const JOURNAL_FILE = `${STATE_DIR}/journal.json`;

const JOURNAL_COMMENT =
  "Written by flux-fleet gen while it replaces files: if you see this, a gen was interrupted, and the next pnpm gen finishes it.";

/** A staged file: its new content waits in `temp`, next to `path`, until the run renames it into place. */
export interface JournalWrite {
  path: string;
  temp: string;
  /** SHA-256 of the staged content, to tell a finished rename from one still to do. */
  sha256: string;
  /** A bootstrap placeholder: only created when nothing is there. */
  createOnly?: boolean;
}

/** A stale generated file to remove, with the hash it must still have. */
export interface JournalRemoval {
  path: string;
  sha256: string;
}

/**
 * What a run is about to do, written (fsync'd, renamed into place) once every new file is staged and before
 * anything in the tree changes: from then on the run can be finished by whoever finds the journal. The record is
 * the last write.
 */
export interface Journal {
  pid: number;
  writes: JournalWrite[];
  removals: JournalRemoval[];
}

const WHY: Record<string, { what: string; fix: string }> = {
  ENOSPC: { what: "no space left on the device", fix: "free some space" },
  EDQUOT: { what: "the disk quota is used up", fix: "free some space" },
  EACCES: { what: "permission denied", fix: "make it writable" },
  EPERM: {
    what: "not permitted: the file or its folder is read-only, immutable or append-only",
    fix: "make it writable (chmod, chattr -i)",
  },
  EROFS: { what: "the file system is read-only", fix: "mount it read-write" },
  EMFILE: { what: "too many open files", fix: "raise the open-file limit (ulimit -n)" },
};

/** The generated path an error of the writer is about (a temporary file stands for the file it stages). */
function pathOf(root: string, error: NodeJS.ErrnoException): string {
  const path = error.path === undefined ? "the tree" : relative(root, error.path);
  return stagedPath(path);
}

function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return (
    error instanceof Error &&
    typeof (error as NodeJS.ErrnoException).code === "string" &&
    (error as NodeJS.ErrnoException).syscall !== undefined
  );
}

/**
 * A failed file operation of the writer as a UsageError: `message` gets the generated path it concerns, what
 * happened (`ENOSPC: no space left on the device`) and what to do. Anything else is a bug and is thrown as it is.
 */
export function asUsageError(error: unknown, root: string, message: (file: string, why: string, fix: string) => string): unknown {
  if (!isSystemError(error) || error.code === undefined) return error;
  const why = WHY[error.code] ?? { what: error.message, fix: "fix that" };
  return new UsageError(message(pathOf(root, error), `${error.code}: ${why.what}`, why.fix), { cause: error });
}

export async function writeJournal(root: string, journal: Journal): Promise<void> {
  const path = join(root, JOURNAL_FILE);
  await replaceFile(path, `${JSON.stringify({ comment: JOURNAL_COMMENT, ...journal }, null, 2)}\n`, temporaryPath(path, journal.pid), {
    durable: true,
  });
  await fsyncPath(join(root, STATE_DIR));
}

function parseJournal(content: string): Journal {
  const wrong = (what: string) =>
    new UsageError(
      `${JOURNAL_FILE} is not a journal gen writes (${what}): gen cannot finish the run that left it; check the tree with "git status", then delete ${JOURNAL_FILE} and run "pnpm gen" again.`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    throw wrong((error as Error).message);
  }
  if (!isMapping(parsed)) throw wrong("not an object");
  const { pid, writes, removals } = parsed;
  if (!Number.isSafeInteger(pid) || (pid as number) <= 0) throw wrong(`pid is ${JSON.stringify(pid)}`);
  if (!Array.isArray(writes) || !Array.isArray(removals)) throw wrong("writes and removals must be lists");
  const journal: Journal = { pid: pid as number, writes: [], removals: [] };
  for (const entry of writes as unknown[]) {
    if (!isMapping(entry)) throw wrong(`a write is ${JSON.stringify(entry)}`);
    const { path, temp, sha256, createOnly } = entry;
    if (typeof path !== "string" || !(isOwnedPath(path) || path === RECORD_FILE)) throw wrong(`a write names ${JSON.stringify(path)}`);
    if (temp !== temporaryPath(path, journal.pid)) throw wrong(`the write of ${path} stages in ${JSON.stringify(temp)}`);
    if (!isSha256(sha256)) throw wrong(`the write of ${path} has hash ${JSON.stringify(sha256)}`);
    if (createOnly !== undefined && typeof createOnly !== "boolean")
      throw wrong(`the write of ${path} has createOnly ${JSON.stringify(createOnly)}`);
    journal.writes.push({ path, temp, sha256, ...(createOnly ? { createOnly } : {}) });
  }
  for (const entry of removals as unknown[]) {
    if (!isMapping(entry)) throw wrong(`a removal is ${JSON.stringify(entry)}`);
    const { path, sha256 } = entry;
    if (typeof path !== "string" || !isOwnedPath(path)) throw wrong(`a removal names ${JSON.stringify(path)}`);
    if (!isSha256(sha256)) throw wrong(`the removal of ${path} has hash ${JSON.stringify(sha256)}`);
    journal.removals.push({ path, sha256 });
  }
  return journal;
}

/** Removes the folders below an owned folder that `path`'s removal left empty. */
export async function removeEmptyParents(root: string, path: string): Promise<void> {
  for (let dir = dirname(path); dir !== "." && !(OWNED_DIRS as readonly string[]).includes(dir) && dir.includes("/"); dir = dirname(dir)) {
    try {
      await rmdir(join(root, dir));
    } catch {
      return;
    }
  }
}

/** Whether a regular file is at `path` (an lstat that fails counts as none). */
function isFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Carries out a journal: renames each staged file into place (the record last), removes the stale files that still
 * hold what gen wrote, removes the folders they leave empty, fsyncs the folders it changed and deletes the journal.
 * Idempotent, so that a run interrupted at any point (also while finishing another) is finished by the next one:
 * a write whose temporary file is gone must already be in place. Every path is checked again (no link, no `..`).
 */
export async function commitJournal(tree: OwnedTree, journal: Journal): Promise<void> {
  const { root } = tree;
  const problems: string[] = [];
  for (const { path } of [...journal.writes, ...journal.removals]) {
    const problem = await tree.problem(path);
    if (problem) problems.push(problem.message);
  }
  if (problems.length > 0)
    throw new UsageError(
      `gen cannot finish the run in ${JOURNAL_FILE}: ${problems.sort().join("; ")}. Fix that, then run "pnpm gen" again.`,
    );
  // Chosen before anything changes: a wrong FLUX_FLEET_FLUSH stops the run here, not halfway through.
  const flusher = createFlusher(flushMode(journal.writes.length + journal.removals.length));
  const touched = new Set<string>();
  const record = journal.writes.filter((write) => write.path === RECORD_FILE);
  const place = async (write: JournalWrite): Promise<void> => {
    const target = join(root, write.path);
    touched.add(dirname(target));
    // lstat and rename take microseconds on a local disk: done here, not through the thread pool.
    const staged = isFile(join(root, write.temp));
    if (staged) {
      if (write.createOnly && (await tree.kind(write.path)) !== undefined) unlinkSync(join(root, write.temp));
      else renameSync(join(root, write.temp), target);
      return;
    }
    const current = await readIfExists(target);
    if (write.createOnly ? current === undefined : current === undefined || hashContent(current) !== write.sha256)
      throw new UsageError(
        `gen cannot finish the run in ${JOURNAL_FILE}: the new ${write.path} is neither staged (${write.temp}) nor in place. Check the tree with "git status", then delete ${JOURNAL_FILE} and run "pnpm gen" again.`,
      );
  };
  await eachLimited(
    journal.writes.filter((write) => write.path !== RECORD_FILE),
    16,
    place,
  );
  await eachLimited(journal.removals, 16, async ({ path, sha256 }) => {
    const current = await readIfExists(join(root, path));
    // Changed since the journal was written: someone's work, which gen never deletes.
    if (current === undefined || hashContent(current) !== sha256) return;
    await unlink(join(root, path));
    touched.add(dirname(join(root, path)));
  });
  for (const { path } of journal.removals) await removeEmptyParents(root, path);
  for (const write of record) await place(write);
  // The renames and removals reach the disk before the journal that holds them is deleted.
  await flusher.settle(touched, { bestEffort: true });
  await unlink(join(root, JOURNAL_FILE));
  await fsyncPath(join(root, STATE_DIR));
}

/** What an interrupted run left behind: its journal, and temporary files in the owned folders and at the root. */
export interface Leftovers {
  journal: boolean;
  /** Temporary files, relative to the root, sorted. */
  temporaries: string[];
}

/** Finds what an interrupted run left, without changing anything (gen --check reports it). */
export async function findLeftovers(root: string): Promise<Leftovers> {
  const tree = await createOwnedTree(root);
  const temporaries: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(join(tree.root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    await Promise.all(
      entries.map(async (entry) => {
        const path = dir === "" ? entry.name : `${dir}/${entry.name}`;
        // Never below a symbolic link: Dirent reports the link itself.
        if (entry.isDirectory() && dir !== "") await walk(path);
        else if (entry.isFile() && isTemporaryPath(entry.name) && isWriterPath(path)) temporaries.push(path);
      }),
    );
  };
  // An owned folder behind a symbolic link is not searched: planTree reports the link.
  await Promise.all(OWNED_DIRS.map(async (dir) => ((await tree.isRealFolder(dir)) ? walk(dir) : undefined)));
  await walk("");
  if (await tree.isRealFolder(STATE_DIR)) await walk(STATE_DIR);
  const journal = await lstat(join(tree.root, JOURNAL_FILE)).then(
    (stat) => stat.isFile(),
    () => false,
  );
  return { journal, temporaries: [...new Set(temporaries)].sort() };
}

/**
 * Repairs what an interrupted run left, before a run plans: finishes its journal (roll forward: every file it
 * needs was staged and fsync'd before the journal was written), then removes temporary files left by runs
 * interrupted before they wrote one (roll back: the tree was not changed yet), and the folders they leave empty.
 * Returns the one line to tell the user, or undefined when there was nothing to repair. Call with the run lock held.
 *
 * @example
 * ```ts
 * const repaired = await repairInterruptedRun(root);
 * if (repaired) out(`${repaired}\n`);
 * ```
 */
export async function repairInterruptedRun(root: string): Promise<string | undefined> {
  const leftovers = await findLeftovers(root);
  if (!leftovers.journal && leftovers.temporaries.length === 0) return undefined;
  const tree = await createOwnedTree(root);
  let finished: Journal | undefined;
  if (leftovers.journal) {
    finished = parseJournal(await readFile(join(tree.root, JOURNAL_FILE), "utf8"));
    try {
      await commitJournal(tree, finished);
    } catch (error) {
      throw asUsageError(
        error,
        tree.root,
        (file, why, fix) =>
          `gen could not finish the interrupted run in ${JOURNAL_FILE}: ${file} (${why}): ${fix}, then run "pnpm gen" again.`,
      );
    }
  }
  const { temporaries } = await findLeftovers(root);
  for (const path of temporaries) {
    await unlink(join(tree.root, path)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
    });
    await removeEmptyParents(tree.root, path);
  }
  const removed = temporaries.length > 0 ? `removed ${temporaries.length} temporary file${temporaries.length === 1 ? "" : "s"}` : "";
  if (finished)
    return `Repaired an interrupted gen (pid ${finished.pid}): finished its ${finished.writes.length} writes and ${finished.removals.length} removals from ${JOURNAL_FILE}${removed ? ` and ${removed}` : ""}.`;
  return `Repaired an interrupted gen: ${removed} it left before changing the tree.`;
}
