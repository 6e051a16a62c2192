import { linkSync, mkdirSync, unlinkSync } from "node:fs";
import { mkdir, readdir, realpath, rmdir, unlink } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { UsageError, replaceFile } from "@flux-fleet/validate";
import { createFlusher, eachLimited, flushMode } from "./flush.ts";
import { hashContent } from "./generated-record.ts";
import { asUsageError, commitJournal, JOURNAL_FILE, writeJournal, type Journal } from "./journal.ts";
import { createOwnedTree, RECORD_FILE, STATE_DIR, temporaryPath } from "./owned-paths.ts";
import type { TreePlan } from "./plan-tree.ts";

/** Removes every empty folder in and below `dir`, deepest first: the folders a failed run created. */
async function removeEmptyFolders(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) if (entry.isDirectory()) await removeEmptyFolders(join(dir, entry.name));
  await rmdir(dir).catch(() => undefined);
}

/**
 * Carries out a plan so that an interruption at any moment leaves the old tree, the new tree, or a journal the
 * next run finishes:
 *
 * 1. stage: every new or changed file (and the record) is written to a temporary file next to it, and those files
 *    and their folders are put on the disk (fsync'd one by one, or one syncfs of the file system: see flush.ts);
 *    every file to replace or remove is probed with a hard link, which fails as a rename or unlink would
 *    (read-only folder, immutable or append-only file). A failure here removes what was staged and is a
 *    UsageError naming the file: nothing in the tree changed.
 * 2. journal: `.flux-fleet/journal.json` lists the renames and removals, written atomically and fsync'd.
 * 3. commit: the renames, the removals (of files that still hold what gen wrote), the record last; then the
 *    journal is deleted. Call it with the run lock held.
 *
 * @example
 * ```ts
 * await applyPlan(root, await planTree(root, files));
 * ```
 */
export async function applyPlan(root: string, plan: TreePlan): Promise<void> {
  const tree = await createOwnedTree(root);
  const pid = process.pid;
  const staged = [
    ...plan.changes.flatMap((change) =>
      change.after === undefined ? [] : [{ path: change.path, content: change.after, createOnly: false }],
    ),
    ...plan.placeholders.map((placeholder) => ({ path: placeholder.path, content: placeholder.content, createOnly: true })),
    ...(plan.record.before === plan.record.after ? [] : [{ path: RECORD_FILE, content: plan.record.after, createOnly: false }]),
  ].map((file) => ({ ...file, temp: temporaryPath(file.path, pid) }));
  const removals = plan.changes.flatMap((change) =>
    change.after === undefined && change.before !== undefined ? [{ path: change.path, sha256: hashContent(change.before) }] : [],
  );
  if (staged.length === 0 && removals.length === 0) return;

  const problems = new Set<string>();
  for (const { path } of [...staged, ...removals]) {
    const problem = await tree.problem(path);
    if (problem) problems.add(problem.message);
  }
  if (problems.size > 0) throw new UsageError(`flux-fleet stopped and changed nothing: ${[...problems].sort().join("; ")}.`);

  const leftovers: string[] = [];
  const created: string[] = [];
  const journal: Journal = {
    pid,
    writes: staged.map(({ path, temp, content, createOnly }) => ({
      path,
      temp,
      sha256: hashContent(content),
      ...(createOnly ? { createOnly } : {}),
    })),
    removals,
  };
  // The folders of the staged files (the root for the record): their new entries reach the disk with the files, as do
  // those of the folders this run creates (in their parents).
  const settled = new Set(staged.map((file) => dirname(join(tree.root, file.path))));
  const flusher = createFlusher(flushMode(staged.length + settled.size));
  try {
    const dirs = [...new Set(staged.map((file) => dirname(file.path)).filter((dir) => dir !== "."))].sort();
    // A mkdir takes microseconds: here, not through the thread pool (a trip there costs more CPU than the call).
    for (const dir of [...dirs, STATE_DIR]) {
      const first = mkdirSync(join(tree.root, dir), { recursive: true });
      if (first === undefined) continue;
      created.push(first);
      for (let made = join(tree.root, dir); made.length >= first.length; made = dirname(made)) settled.add(dirname(made));
    }
    await eachLimited(staged, 16, async ({ temp, content }) => {
      leftovers.push(temp);
      await flusher.write(join(tree.root, temp), content);
    });
    const replaced = plan.changes.filter((change) => change.before !== undefined).map((change) => change.path);
    if (plan.record.before !== undefined && plan.record.before !== plan.record.after) replaced.push(RECORD_FILE);
    // A link and an unlink take microseconds: one after the other, here, not through the thread pool.
    for (const path of replaced) {
      const probe = temporaryPath(path, pid, "probe");
      leftovers.push(probe);
      linkSync(join(tree.root, path), join(tree.root, probe));
      unlinkSync(join(tree.root, probe));
    }
    // The staged files and their folder entries reach the disk before the journal that relies on them.
    await flusher.settle(settled);
    leftovers.push(JOURNAL_FILE, temporaryPath(JOURNAL_FILE, pid));
    await writeJournal(tree.root, journal);
  } catch (error) {
    await Promise.all(leftovers.map((path) => unlink(join(tree.root, path)).catch(() => undefined)));
    for (const dir of created.reverse()) if (relative(tree.root, dir) !== STATE_DIR) await removeEmptyFolders(dir);
    throw asUsageError(
      error,
      tree.root,
      (file, why, fix) => `gen could not write ${file} (${why}), so it changed nothing: ${fix}, then run "pnpm gen" again.`,
    );
  }

  try {
    await commitJournal(tree, journal);
  } catch (error) {
    throw asUsageError(
      error,
      tree.root,
      (file, why, fix) =>
        `gen was stopped while it replaced files: ${file} (${why}); ${JOURNAL_FILE} holds the rest: ${fix}, then run "pnpm gen" again to finish it.`,
    );
  }
}

/** The folder of the fleet that `flux-fleet chart add` writes chart values modules into. */
export const FLEET_CHARTS_DIR = "fleet/charts";

/**
 * Writes files (paths relative to the root) inside `fleet/charts/`, each through a durable temporary file and a
 * rename. A path that leaves the folder, also through a symbolic link, is refused before anything is written.
 *
 * @example
 * ```ts
 * await writeFleetChartFiles(root, [{ path: "fleet/charts/redis/20.1.0/values.ts", content }]);
 * ```
 */
export async function writeFleetChartFiles(root: string, files: ReadonlyArray<{ path: string; content: string }>): Promise<void> {
  for (const file of files) {
    const inside = relative(FLEET_CHARTS_DIR, file.path);
    if (isAbsolute(file.path) || inside.startsWith("..") || isAbsolute(inside) || file.path.split(/[\\/]/).includes(".."))
      throw new UsageError(`refusing to write ${file.path}: chart files go under ${FLEET_CHARTS_DIR}/`);
  }
  await mkdir(join(root, FLEET_CHARTS_DIR), { recursive: true });
  const chartsRoot = await realpath(join(root, FLEET_CHARTS_DIR));
  for (const file of files) {
    const dir = dirname(join(root, file.path));
    await mkdir(dir, { recursive: true });
    const real = await realpath(dir);
    if (real !== chartsRoot && !real.startsWith(`${chartsRoot}${sep}`))
      throw new UsageError(`refusing to write ${file.path}: its folder leads outside ${FLEET_CHARTS_DIR}/ through a symbolic link`);
  }
  for (const file of files) {
    const path = join(root, file.path);
    await replaceFile(path, file.content, temporaryPath(path, process.pid), { durable: true });
  }
}
