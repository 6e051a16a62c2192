import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { plural, UsageError } from "../errors.ts";
import { buildErrors, diffViews, type BuildError, type FieldChange, type SpokeChange } from "../plan/diff-views.ts";
import { readFleetView } from "../plan/spoke-view.ts";
import { buildCacheDir } from "./plan.ts";

export interface DiffOptions {
  root: string;
  /**
   * The git revision to compare with; default: where HEAD branched from the default branch (the merge base with
   * `origin/HEAD`, else `origin/main`, `main`, `origin/master` or `master`), else `HEAD`.
   */
  base?: string | undefined;
  json?: boolean | undefined;
  /** Rebuild every kustomization instead of reusing validate's cached builds. */
  noCache?: boolean | undefined;
  out?: (text: string) => void;
}

export interface DiffResult {
  exitCode: number;
  /** The commit compared with. */
  base: string;
  spokes: SpokeChange[];
  /** Layers that did not build: they are left out of the comparison, and the exit code is 1. */
  errors: BuildError[];
}

/** How long one git command may take before diff gives up on it. */
const GIT_TIMEOUT_MS = 60_000;

function git(args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      [...args],
      { cwd, timeout: GIT_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`git ${args.join(" ")}: ${stderr.trim() || error.message}`, { cause: error }));
        else resolve(stdout);
      },
    );
  });
}

/** The commit a revision names, or a UsageError saying how to name one. */
async function resolveCommit(root: string, ref: string): Promise<string> {
  try {
    await git(["rev-parse", "--git-dir"], root);
  } catch {
    throw new UsageError(`${root} is not in a git repository: diff compares with a committed revision, so run it in a clone.`);
  }
  if (ref.startsWith("-"))
    throw new UsageError(`--base "${ref}" is not a git revision: give a branch, tag or commit, such as HEAD or main.`);
  try {
    return (await git(["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`], root)).trim();
  } catch {
    throw new UsageError(
      `--base "${ref}" is not a commit of the repository at ${root}: give a branch, tag or commit, such as HEAD or main.`,
    );
  }
}

/** Writes the committed files of `commit` (the part under `root`) into a new temporary folder. */
async function checkoutInto(root: string, commit: string): Promise<string> {
  const prefix = (await git(["rev-parse", "--show-prefix"], root)).trim();
  // Run from the top: in a sub-folder, git archive would look for the prefix inside the tree it is given.
  const top = (await git(["rev-parse", "--show-toplevel"], root)).trim();
  const folder = prefix.replace(/\/$/, "");
  if (
    folder &&
    !(await git(["cat-file", "-t", `${commit}:${folder}`], top).then(
      () => true,
      () => false,
    ))
  )
    throw new UsageError(
      `The commit ${commit.slice(0, 12)} has no folder "${folder}": diff compares this folder in both revisions, so give a --base that has it.`,
    );
  const dir = await mkdtemp(join(tmpdir(), "flux-fleet-diff-"));
  try {
    const archive = join(dir, ".base.tar");
    await git(["archive", "--format=tar", "-o", archive, folder ? `${commit}:${folder}` : commit], top);
    await new Promise<void>((resolve, reject) =>
      execFile("tar", ["-xf", archive, "-C", dir], { timeout: GIT_TIMEOUT_MS }, (error, _stdout, stderr) =>
        error ? reject(new Error(`tar -xf (unpacking ${commit}): ${stderr.trim() || error.message}`, { cause: error })) : resolve(),
      ),
    );
    await rm(archive);
    return dir;
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function show(value: unknown): string {
  return value === undefined ? "(none)" : JSON.stringify(value);
}

function fieldLine(field: FieldChange): string {
  return `        ${field.path}: ${show(field.before)} → ${show(field.after)}`;
}

const SIGNS = { added: "+", removed: "-", modified: "~" } as const;

/** The human form: changed spokes, layer by layer, then one line for the unchanged ones. */
export function formatDiff(base: string, ref: string, spokes: readonly SpokeChange[], errors: readonly BuildError[] = []): string {
  const lines = [`Comparing ${base.slice(0, 12)} (${ref}) with the working tree.`];
  for (const spoke of spokes.filter((s) => s.changed)) {
    lines.push("", spoke.name);
    let layer: string | undefined;
    for (const object of spoke.objects) {
      if (object.layer !== layer) lines.push(`  ${(layer = object.layer)}`);
      lines.push(`    ${SIGNS[object.change]} ${object.kind}/${object.namespace ? `${object.namespace}/` : ""}${object.name}`);
      lines.push(...(object.fields ?? []).map(fieldLine));
    }
  }
  const changed = spokes.filter((s) => s.changed).length;
  const unchanged = spokes.length - changed;
  lines.push("");
  if (changed === 0) lines.push(`No changes: ${plural(unchanged, "spoke")} unchanged.`);
  else lines.push(`${plural(changed, "spoke")} changed, ${plural(unchanged, "spoke")} unchanged.`);
  for (const error of errors)
    lines.push(`Not compared: layer ${error.layer} of spoke ${error.spoke} does not build in the ${error.revision}: ${error.message}`);
  return `${lines.join("\n")}\n`;
}

/**
 * Compares what Flux applies on each spoke in the committed tree at `base` with the working tree's, offline and
 * with real kustomize on both: grouped spoke → layer → object, with the fields that differ. The working tree is
 * never touched: the base is unpacked into a temporary folder.
 *
 * @example
 * ```ts
 * const { spokes } = await diff({ root: process.cwd(), base: "main", json: true });
 * ```
 */
/**
 * What a pull request is compared with: the merge base of HEAD and the default branch, named as `merge base with
 * <branch>`; HEAD on the default branch itself, or when there is none (a repository with no main or master).
 */
async function defaultBase(root: string): Promise<{ ref: string; label: string }> {
  const remoteHead = await git(["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"], root).then(
    (out) => [out.trim()],
    () => [],
  );
  for (const branch of [...remoteHead, "origin/main", "main", "origin/master", "master"]) {
    const exists = await git(["rev-parse", "--verify", "--quiet", `${branch}^{commit}`], root).then(
      () => true,
      () => false,
    );
    if (!exists) continue;
    const mergeBase = await git(["merge-base", "HEAD", branch], root).then(
      (out) => out.trim(),
      () => undefined,
    );
    if (mergeBase === undefined || mergeBase === "") continue;
    // On the default branch itself (or not yet past it) the merge base is HEAD: say so.
    const head = (await git(["rev-parse", "HEAD"], root)).trim();
    return mergeBase === head ? { ref: "HEAD", label: "HEAD" } : { ref: mergeBase, label: `merge base with ${branch}` };
  }
  return { ref: "HEAD", label: "HEAD" };
}

export async function diff(options: DiffOptions): Promise<DiffResult> {
  const out = options.out ?? ((text: string) => process.stdout.write(text));
  const chosen = options.base === undefined ? await defaultBase(options.root).catch(() => ({ ref: "HEAD", label: "HEAD" })) : undefined;
  const ref = options.base ?? chosen?.ref ?? "HEAD";
  const base = await resolveCommit(options.root, ref);
  const cacheDir = buildCacheDir(options.root, options.noCache);
  const baseRoot = await checkoutInto(options.root, base);
  let spokes: SpokeChange[];
  let errors: BuildError[];
  try {
    const [before, after] = await Promise.all([
      readFleetView(baseRoot, { cacheDir, allowEmpty: true }),
      readFleetView(options.root, { cacheDir }),
    ]);
    spokes = diffViews(before, after);
    errors = buildErrors(before, after);
  } finally {
    await rm(baseRoot, { recursive: true, force: true });
  }
  out(
    options.json
      ? `${JSON.stringify({ base, spokes, ...(errors.length > 0 ? { errors } : {}) }, null, 2)}\n`
      : formatDiff(base, chosen?.label ?? ref, spokes, errors),
  );
  return { exitCode: errors.length > 0 ? 1 : 0, base, spokes, errors };
}
