import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsageError } from "@flux-fleet/validate";
import { buildErrors, diffViews, type BuildError, type SpokeChange } from "../plan/diff-views.ts";
import { DIFF_COMMENT_MARKER, formatDiff, formatDiffMarkdown } from "../plan/format-diff.ts";
import { createSharedReads, readFleetView } from "../plan/spoke-view.ts";
import { postPullRequestComment, type CommentEnvironment, type CommentResult } from "../github/pr-comment.ts";
import { buildCacheDir } from "./plan.ts";

export interface DiffOptions {
  root: string;
  /**
   * The git revision to compare with; default: where HEAD branched from the default branch (the merge base with
   * `origin/HEAD`, else `origin/main`, `main`, `origin/master` or `master`), else `HEAD`.
   */
  base?: string | undefined;
  json?: boolean | undefined;
  /** Print the pull-request comment form (Markdown) instead of the human one. */
  markdown?: boolean | undefined;
  /**
   * Post the Markdown form on the pull request of a GitHub Actions `pull_request` run, as one comment updated on
   * each run (see {@link postPullRequestComment}); implies `markdown`.
   */
  comment?: boolean | undefined;
  /** The environment `comment` reads (GITHUB_*); default `process.env`. */
  env?: CommentEnvironment | undefined;
  /** Rebuild every kustomization instead of reusing validate's cached builds. */
  noCache?: boolean | undefined;
  out?: (text: string) => void;
  /** Where notes go (what --comment did); default stderr. */
  err?: (text: string) => void;
}

export interface DiffResult {
  exitCode: number;
  /** The commit compared with. */
  base: string;
  spokes: SpokeChange[];
  /** Layers that did not build: they are left out of the comparison, and the exit code is 1. */
  errors: BuildError[];
  /** What --comment did. */
  comment?: CommentResult;
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
export async function diff(options: DiffOptions): Promise<DiffResult> {
  const out = options.out ?? ((text: string) => process.stdout.write(text));
  const err = options.err ?? ((text: string) => process.stderr.write(text));
  const markdown = options.markdown === true || options.comment === true;
  if (options.json && markdown)
    throw new UsageError(`--json and --${options.markdown ? "markdown" : "comment"} cannot go together: give one of them.`);
  const chosen = options.base === undefined ? await defaultBase(options.root).catch(() => ({ ref: "HEAD", label: "HEAD" })) : undefined;
  const ref = options.base ?? chosen?.ref ?? "HEAD";
  const base = await resolveCommit(options.root, ref);
  const cacheDir = buildCacheDir(options.root, options.noCache);
  const baseRoot = await checkoutInto(options.root, base);
  let spokes: SpokeChange[];
  let errors: BuildError[];
  try {
    // Most of both trees is the same: each file content is parsed, and each layer built, once.
    const shared = createSharedReads();
    const [before, after] = await Promise.all([
      readFleetView(baseRoot, { cacheDir, allowEmpty: true, shared }),
      readFleetView(options.root, { cacheDir, shared }),
    ]);
    spokes = diffViews(before, after);
    errors = buildErrors(before, after);
  } finally {
    await rm(baseRoot, { recursive: true, force: true });
  }
  const body = markdown ? formatDiffMarkdown(base, spokes, errors) : undefined;
  out(
    options.json
      ? `${JSON.stringify({ base, spokes, ...(errors.length > 0 ? { errors } : {}) }, null, 2)}\n`
      : (body ?? formatDiff(base, chosen?.label ?? ref, spokes, errors)),
  );
  let comment: CommentResult | undefined;
  if (options.comment && body !== undefined) {
    comment = await postPullRequestComment(body, DIFF_COMMENT_MARKER, options.env ?? process.env);
    err(
      comment.action === "summary"
        ? `flux-fleet: the diff is in the job summary only: ${comment.reason ?? ""}.\n`
        : `flux-fleet: ${comment.action} the pull request comment ${comment.id ?? ""}.\n`,
    );
  }
  return { exitCode: errors.length > 0 ? 1 : 0, base, spokes, errors, ...(comment ? { comment } : {}) };
}
