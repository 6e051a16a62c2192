import { lstatSync, realpathSync } from "node:fs";
import { readFile, realpath } from "node:fs/promises";
import { join } from "node:path";
import { OWNED_DIRS } from "@flux-fleet/validate";

/** The file, at the repository root, in which the generator records the files it wrote. */
export const RECORD_FILE = "flux-fleet.generated.json";

/** The folder, at the repository root, of gen's lock and journal (git-ignored). */
export const STATE_DIR = ".flux-fleet";

const TEMPORARY = /\.flux-fleet-\d+(-[a-z]+)?\.tmp$/;

/** The temporary file next to `path` that a run with this pid stages the new content in (or probes with). */
export function temporaryPath(path: string, pid: number, purpose?: "probe"): string {
  return `${path}.flux-fleet-${pid}${purpose ? `-${purpose}` : ""}.tmp`;
}

/** The file a temporary file stages (or probes); any other path as it is. */
export function stagedPath(path: string): string {
  return path.replace(TEMPORARY, "");
}

/** Whether a file name is one of the writer's temporary files. */
export function isTemporaryPath(path: string): boolean {
  return TEMPORARY.test(path);
}

/** `deploy/, clusters/, hub/, .github/workflows/` */
export function describeOwnedDirs(): string {
  return OWNED_DIRS.map((dir) => `${dir}/`).join(", ");
}

/**
 * Whether a path, as written (relative, "/"-separated, no "." or ".." or empty segment), names a file inside one of
 * the folders the writer owns. Says nothing about the disk: see {@link createOwnedTree}.
 */
export function isOwnedPath(path: string): boolean {
  if (path.includes("\\") || path.includes("\0")) return false;
  const segments = path.split("/");
  if (segments.some((segment) => segment === "" || segment === "." || segment === "..")) return false;
  return OWNED_DIRS.some((dir) => path.startsWith(`${dir}/`));
}

/** A path the writer may touch: an owned file, the record, a file of its state folder, or a temporary file of those. */
export function isWriterPath(path: string): boolean {
  if (isOwnedPath(path)) return true;
  const base = stagedPath(path);
  return base === RECORD_FILE || (base.startsWith(`${STATE_DIR}/`) && !base.slice(STATE_DIR.length + 1).includes("/"));
}

/** A file's text, or undefined when there is none. */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

export type EntryKind = "file" | "directory" | "symlink" | "other" | undefined;

/** What is at `path` (lstat, not followed), undefined when nothing is. */
function entryKind(path: string): EntryKind {
  try {
    const stat = lstatSync(path);
    return stat.isSymbolicLink() ? "symlink" : stat.isFile() ? "file" : stat.isDirectory() ? "directory" : "other";
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw error;
  }
}

// The lstat runs here: it takes microseconds, and a trip through the thread pool costs more CPU than the call.
export function kindOf(path: string): Promise<EntryKind> {
  try {
    return Promise.resolve(entryKind(path));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/** Why the writer may not touch a path: it leaves the owned folders, or a link or a file is in the way. */
export interface PathProblem {
  reason: "outside" | "link" | "in-the-way";
  /** One clause naming the path on disk at fault: `clusters/production is a symbolic link, …`. */
  message: string;
}

/** The disk below a repository root, as the writer sees it: every folder on the way to a path is checked once. */
export interface OwnedTree {
  /** The repository root, resolved with realpath. */
  root: string;
  /**
   * Why the writer may not write or delete the file at `path` (owned, relative), or undefined when it may: every
   * folder from the root down must be a real folder (lstat, never followed) whose realpath is where it should be,
   * and the path itself must be a regular file or missing.
   */
  problem(path: string): Promise<PathProblem | undefined>;
  /** {@link OwnedTree.problem} and, when there is none, what is at `path` now: one lstat for both. */
  inspect(path: string): Promise<{ problem: PathProblem | undefined; kind: EntryKind }>;
  /** Whether `dir` and every folder above it are real folders inside the root. */
  isRealFolder(dir: string): Promise<boolean>;
  /** What is at `path` now (lstat, not followed). */
  kind(path: string): Promise<EntryKind>;
  /** Forgets what was seen, after the writer created or removed folders. */
  forget(): void;
}

/**
 * @example
 * ```ts
 * const tree = await createOwnedTree(root);
 * await tree.problem("clusters/production/apps/podinfo.yaml"); // "clusters/production is a symbolic link…" or undefined
 * ```
 */
export async function createOwnedTree(root: string): Promise<OwnedTree> {
  const real = await realpath(root);
  let dirs = new Map<string, Promise<PathProblem | undefined | "missing">>();

  // undefined: a real folder; "missing": nothing there (nor below); otherwise the problem.
  const checkDir = (dir: string): Promise<PathProblem | undefined | "missing"> => {
    let pending = dirs.get(dir);
    if (!pending) {
      pending = (async () => {
        const slash = dir.lastIndexOf("/");
        if (slash > 0) {
          const parent = await checkDir(dir.slice(0, slash));
          if (parent !== undefined) return parent;
        }
        const absolute = join(real, dir);
        const kind = await kindOf(absolute);
        if (kind === undefined) return "missing";
        if (kind === "symlink")
          return { reason: "link", message: `${dir} is a symbolic link, and gen never writes or deletes through one` };
        if (kind !== "directory") return { reason: "in-the-way", message: `${dir} is a file where flux-fleet needs a folder` };
        const resolved = realpathSync.native(absolute);
        if (resolved !== absolute) return { reason: "link", message: `${dir} resolves to ${resolved}, outside the repository` };
        return undefined;
      })();
      dirs.set(dir, pending);
    }
    return pending;
  };

  const inspect = async (path: string): Promise<{ problem: PathProblem | undefined; kind: EntryKind }> => {
    if (!isWriterPath(path))
      return {
        problem: { reason: "outside", message: `${path} is outside the folders gen owns (${describeOwnedDirs()})` },
        kind: undefined,
      };
    const slash = path.lastIndexOf("/");
    if (slash > 0) {
      const dir = await checkDir(path.slice(0, slash));
      // Nothing below a missing folder: no need to look.
      if (dir === "missing") return { problem: undefined, kind: undefined };
      if (dir !== undefined) return { problem: dir, kind: undefined };
    }
    const kind = await kindOf(join(real, path));
    if (kind === "symlink")
      return { problem: { reason: "link", message: `${path} is a symbolic link, and gen never writes or deletes through one` }, kind };
    if (kind === "directory" || kind === "other")
      return { problem: { reason: "in-the-way", message: `${path} is a folder or special file where flux-fleet writes a file` }, kind };
    return { problem: undefined, kind };
  };

  return {
    root: real,
    async problem(path) {
      return (await inspect(path)).problem;
    },
    inspect,
    isRealFolder: async (dir) => (await checkDir(dir)) === undefined,
    kind: (path) => kindOf(join(real, path)),
    forget() {
      dirs = new Map();
    },
  };
}
