import { appendFile, readFile } from "node:fs/promises";
import { GitHubError } from "../errors.ts";
import { UsageError } from "@flux-fleet/validate";

/** The environment a GitHub Actions step gets, as far as posting a comment needs it. */
export interface CommentEnvironment {
  /** The REST API, `https://api.github.com` unless GitHub Enterprise (or a test) says otherwise. */
  GITHUB_API_URL?: string | undefined;
  GITHUB_TOKEN?: string | undefined;
  /** `owner/name` of the repository the workflow runs in. */
  GITHUB_REPOSITORY?: string | undefined;
  /** The event payload: for `pull_request`, the pull request's number and its head repository. */
  GITHUB_EVENT_PATH?: string | undefined;
  /** The job summary file, appended to when set. */
  GITHUB_STEP_SUMMARY?: string | undefined;
}

export interface CommentResult {
  /** What was done on the pull request: a new comment, the earlier one replaced, or nothing (summary only). */
  action: "created" | "updated" | "summary";
  /** The comment's id, when one was written. */
  id?: number;
  /** Why nothing was written on the pull request. */
  reason?: string;
}

/** How long one API call may take. */
const REQUEST_TIMEOUT_MS = 30_000;
/** Comments are listed 100 a page; a pull request with more than 10,000 is not searched further. */
const PER_PAGE = 100;
const MAX_PAGES = 100;

interface PullRequestEvent {
  pull_request?: { number?: number; head?: { repo?: { full_name?: string } | null } };
}

async function readEvent(path: string | undefined): Promise<{ number: number; headRepository: string | undefined }> {
  if (!path) throw new UsageError("GITHUB_EVENT_PATH is not set: --comment runs in a GitHub Actions pull_request workflow.");
  let event: PullRequestEvent;
  try {
    event = JSON.parse(await readFile(path, "utf8")) as PullRequestEvent;
  } catch (error) {
    throw new UsageError(`The event file ${path} (GITHUB_EVENT_PATH) is not readable JSON: ${(error as Error).message}.`, { cause: error });
  }
  const number = event.pull_request?.number;
  if (typeof number !== "number")
    throw new UsageError(`The event in ${path} is not a pull request's: run --comment on pull_request events only.`);
  return { number, headRepository: event.pull_request?.head?.repo?.full_name ?? undefined };
}

async function request(
  env: { api: string; token: string },
  method: "GET" | "POST" | "PATCH",
  path: string,
  body?: unknown,
): Promise<unknown> {
  const url = `${env.api.replace(/\/+$/, "")}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        accept: "application/vnd.github+json",
        authorization: `Bearer ${env.token}`,
        "user-agent": "flux-fleet",
        "x-github-api-version": "2022-11-28",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new GitHubError(`${method} ${url} got no answer: ${(error as Error).message}.`, { cause: error });
  }
  const text = await response.text();
  if (!response.ok) {
    const message = (() => {
      try {
        return (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        return text;
      }
    })();
    throw new GitHubError(
      `GitHub answered ${response.status} to ${method} ${path}: ${message.trim().slice(0, 300) || response.statusText}.`,
      {
        status: response.status,
      },
    );
  }
  return text === "" ? undefined : (JSON.parse(text) as unknown);
}

/** The first comment on the pull request whose body holds `marker`, page by page. */
async function findComment(env: { api: string; token: string }, repository: string, number: number, marker: string) {
  for (let page = 1; page <= MAX_PAGES; page++) {
    const comments = (await request(
      env,
      "GET",
      `/repos/${repository}/issues/${number}/comments?per_page=${PER_PAGE}&page=${page}`,
    )) as Array<{ id: number; body?: string | null }>;
    const found = comments.find((comment) => comment.body?.includes(marker));
    if (found) return found.id;
    if (comments.length < PER_PAGE) return undefined;
  }
  return undefined;
}

/**
 * Posts `body` on the pull request a GitHub Actions `pull_request` run is for, as one comment: the earlier comment
 * holding `marker` is updated, else a new one is created. The body is appended to the job summary as well when
 * `GITHUB_STEP_SUMMARY` is set. A pull request from a fork gets a read-only token, so there only the summary is
 * written, and so it is when GitHub refuses the write (403, as for Dependabot's read-only token).
 *
 * @example
 * ```ts
 * const { action } = await postPullRequestComment(markdown, DIFF_COMMENT_MARKER, process.env); // "created"
 * ```
 */
export async function postPullRequestComment(body: string, marker: string, env: CommentEnvironment): Promise<CommentResult> {
  if (!body.includes(marker))
    throw new Error("postPullRequestComment: the body does not hold its marker, so it could never be found again");
  if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, body.endsWith("\n") ? body : `${body}\n`);
  const { number, headRepository } = await readEvent(env.GITHUB_EVENT_PATH);
  const repository = env.GITHUB_REPOSITORY ?? "";
  if (!/^[\w.-]+\/[\w.-]+$/.test(repository))
    throw new UsageError(`GITHUB_REPOSITORY "${repository}" is not owner/name: --comment runs in a GitHub Actions workflow.`);
  if (headRepository !== repository)
    return {
      action: "summary",
      reason: `the pull request comes from ${headRepository ?? "a deleted fork"}, so the token cannot comment`,
    };
  const token = env.GITHUB_TOKEN;
  if (!token) throw new UsageError("GITHUB_TOKEN is not set: give the step env GITHUB_TOKEN: ${{ github.token }}.");
  const api = { api: env.GITHUB_API_URL || "https://api.github.com", token };
  const id = await findComment(api, repository, number, marker);
  try {
    if (id !== undefined) {
      await request(api, "PATCH", `/repos/${repository}/issues/comments/${id}`, { body });
      return { action: "updated", id };
    }
    const created = (await request(api, "POST", `/repos/${repository}/issues/${number}/comments`, { body })) as { id: number };
    return { action: "created", id: created.id };
  } catch (error) {
    if (error instanceof GitHubError && error.status === 403) return { action: "summary", reason: error.message };
    throw error;
  }
}
