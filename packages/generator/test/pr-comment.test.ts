import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UsageError } from "@flux-fleet/validate";
import { postPullRequestComment, type CommentEnvironment } from "../src/github/pr-comment.ts";
import { DIFF_COMMENT_MARKER } from "../src/plan/format-diff.ts";
import { startGitHubStandIn, type GitHubStandIn } from "./github-api.ts";

const REPOSITORY = "acme/fleet";
const TOKEN = "test-token";
const body = (text: string) => `${DIFF_COMMENT_MARKER}\n### Fleet diff\n\n${text}\n`;

let github: GitHubStandIn;
let dir: string;

async function environment(headRepository: string | null, number = 7): Promise<CommentEnvironment> {
  const event = join(dir, `event-${number}.json`);
  await writeFile(
    event,
    JSON.stringify({ pull_request: { number, head: { repo: headRepository === null ? null : { full_name: headRepository } } } }),
  );
  return {
    GITHUB_API_URL: github.url,
    GITHUB_TOKEN: TOKEN,
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_EVENT_PATH: event,
    GITHUB_STEP_SUMMARY: join(dir, "summary.md"),
  };
}

beforeEach(async () => {
  github = await startGitHubStandIn(REPOSITORY, TOKEN);
  dir = await mkdtemp(join(tmpdir(), "flux-fleet-pr-comment-"));
});

afterEach(async () => {
  await github.close();
});

describe("postPullRequestComment", () => {
  it("creates the comment on the first run and updates the same one on the second, past a full page of others", async () => {
    // 120 comments by people first: the marker is then on the second page of 100.
    github.comments.set(
      7,
      Array.from({ length: 120 }, (_, i) => ({ id: i + 1, body: `comment ${i}` })),
    );
    const env = await environment(REPOSITORY);
    const first = await postPullRequestComment(body("one"), DIFF_COMMENT_MARKER, env);
    expect(first).toEqual({ action: "created", id: 1000 });
    const second = await postPullRequestComment(body("two"), DIFF_COMMENT_MARKER, env);
    expect(second).toEqual({ action: "updated", id: 1000 });
    const comments = github.comments.get(7)!;
    expect(comments).toHaveLength(121);
    expect(comments.filter((c) => c.body.includes(DIFF_COMMENT_MARKER))).toEqual([{ id: 1000, body: body("two") }]);
    expect(github.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "GET /repos/acme/fleet/issues/7/comments?per_page=100&page=1",
      "GET /repos/acme/fleet/issues/7/comments?per_page=100&page=2",
      "POST /repos/acme/fleet/issues/7/comments",
      "GET /repos/acme/fleet/issues/7/comments?per_page=100&page=1",
      "GET /repos/acme/fleet/issues/7/comments?per_page=100&page=2",
      "PATCH /repos/acme/fleet/issues/comments/1000",
    ]);
    expect(new Set(github.requests.map((r) => r.authorization))).toEqual(new Set([`Bearer ${TOKEN}`]));
    // The job summary gets every run's body as well.
    expect(await readFile(env.GITHUB_STEP_SUMMARY!, "utf8")).toBe(body("one") + body("two"));
  });

  it.each([
    ["a fork", "someone/fleet"],
    ["a deleted fork", null],
  ])("writes only the job summary for a pull request from %s, and calls no API", async (_name, head) => {
    const env = await environment(head);
    const result = await postPullRequestComment(body("fork"), DIFF_COMMENT_MARKER, env);
    expect(result.action).toBe("summary");
    expect(result.reason).toBe(`the pull request comes from ${head ?? "a deleted fork"}, so the token cannot comment`);
    expect(github.requests).toEqual([]);
    expect(await readFile(env.GITHUB_STEP_SUMMARY!, "utf8")).toBe(body("fork"));
  });

  it("falls back to the job summary when GitHub refuses the write, as for a read-only token", async () => {
    github.refuseWrites(403);
    const env = await environment(REPOSITORY);
    const result = await postPullRequestComment(body("refused"), DIFF_COMMENT_MARKER, env);
    expect(result).toEqual({
      action: "summary",
      reason: "GitHub answered 403 to POST /repos/acme/fleet/issues/7/comments: Resource not accessible by integration.",
    });
    expect(github.comments.get(7)).toBeUndefined();
    expect(await readFile(env.GITHUB_STEP_SUMMARY!, "utf8")).toBe(body("refused"));
  });

  it("fails with GitHub's answer for a bad token", async () => {
    const env = { ...(await environment(REPOSITORY)), GITHUB_TOKEN: "wrong" };
    await expect(postPullRequestComment(body("x"), DIFF_COMMENT_MARKER, env)).rejects.toThrow(
      "GitHub answered 401 to GET /repos/acme/fleet/issues/7/comments?per_page=100&page=1: Bad credentials.",
    );
  });

  it.each([
    [
      "no event file",
      { GITHUB_EVENT_PATH: undefined },
      "GITHUB_EVENT_PATH is not set: --comment runs in a GitHub Actions pull_request workflow.",
    ],
    [
      "no repository",
      { GITHUB_REPOSITORY: "fleet" },
      'GITHUB_REPOSITORY "fleet" is not owner/name: --comment runs in a GitHub Actions workflow.',
    ],
    ["no token", { GITHUB_TOKEN: "" }, "GITHUB_TOKEN is not set: give the step env GITHUB_TOKEN: ${{ github.token }}."],
  ])("refuses %s with one line", async (_name, change, message) => {
    const env = { ...(await environment(REPOSITORY)), ...change };
    const error = await postPullRequestComment(body("x"), DIFF_COMMENT_MARKER, env).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(message);
    expect(github.requests).toEqual([]);
  });

  it("refuses an event that is not a pull request's", async () => {
    const env = await environment(REPOSITORY);
    await writeFile(env.GITHUB_EVENT_PATH!, JSON.stringify({ ref: "refs/heads/main" }));
    await expect(postPullRequestComment(body("x"), DIFF_COMMENT_MARKER, env)).rejects.toThrow(
      "is not a pull request's: run --comment on pull_request events only.",
    );
  });
});
