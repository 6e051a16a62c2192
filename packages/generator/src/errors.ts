import { UserError } from "@flux-fleet/models";
import { summarizeIssues, type Issue } from "@flux-fleet/validate";

// The generator's own errors; the Issue type, UsageError and the issue formatting every package shares are
// @flux-fleet/validate's.

/**
 * The fleet cannot be generated: carries every problem found. A user error, printed without a stack.
 *
 * @example
 * ```ts
 * throw new FleetError([{ severity: "error", message: "…", where: { cluster: "prod_1" } }]);
 * ```
 */
export class FleetError extends UserError {
  readonly issues: readonly Issue[];

  constructor(issues: readonly Issue[], options?: { cause?: unknown }) {
    super(summarizeIssues(issues), options);
    this.name = "FleetError";
    this.issues = issues;
  }
}

/**
 * A GitHub API call that failed (an answer other than 2xx, or no answer): a user error, printed without a stack,
 * since it is the token, the permissions or GitHub, not flux-fleet.
 *
 * @example
 * ```ts
 * throw new GitHubError("GitHub answered 404 Not Found to GET /repos/acme/fleet/issues/7/comments: …");
 * ```
 */
export class GitHubError extends UserError {
  readonly status: number | undefined;

  constructor(message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options);
    this.name = "GitHubError";
    this.status = options?.status;
  }
}
