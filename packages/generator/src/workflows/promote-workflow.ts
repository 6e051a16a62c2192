import { stringifyWorkflow } from "@flux-fleet/validate";
import { ACTIONS, WORKFLOW_DEFAULTS, WORKFLOW_HEADER } from "./github-workflows.ts";

/** The action that opens the promotion pull request, pinned to its major release tag. */
export const CREATE_PULL_REQUEST_ACTION = "peter-evans/create-pull-request@v7";

/** One promotion the workflow carries out: the component, the clusters, and the dispatch event that starts it. */
export interface PromotionJob {
  component: string;
  from: string;
  to: string;
  /** The `repository_dispatch` type notification-controller sends: `HelmRelease/<component>.<from>`. */
  eventType: string;
}

/**
 * `.github/workflows/promote.yaml`: one job per promotion, started by the githubdispatch Alert when `from`'s
 * HelmRelease upgrades. The chart version comes from the event's `revision` (through an environment variable,
 * never into the script's text), `flux-fleet promote` records it and regenerates, and a pull request is opened.
 *
 * @example
 * ```ts
 * renderPromoteWorkflow([{ component: "podinfo", from: "staging", to: "production", eventType: "HelmRelease/podinfo.staging" }]);
 * ```
 */
export function renderPromoteWorkflow(jobs: readonly PromotionJob[], options: { nodeVersion?: string; versionsFile: string }): string {
  const nodeVersion = options.nodeVersion ?? WORKFLOW_DEFAULTS.nodeVersion;
  const workflow = {
    name: "promote",
    on: { repository_dispatch: { types: [...new Set(jobs.map((job) => job.eventType))].sort() } },
    permissions: { contents: "write", "pull-requests": "write" },
    jobs: Object.fromEntries(
      jobs.map((job) => [
        `promote-${job.component}-to-${job.to}`,
        {
          if: `github.event.action == '${job.eventType}' && github.event.client_payload.metadata.to == '${job.to}' && github.event.client_payload.severity == 'info'`,
          "runs-on": "ubuntu-latest",
          "timeout-minutes": 15,
          steps: [
            { name: "Check out the repository", uses: ACTIONS.checkout },
            { name: "Set up pnpm", uses: ACTIONS.setupPnpm },
            { name: "Set up Node.js", uses: ACTIONS.setupNode, with: { "node-version": nodeVersion, cache: "pnpm" } },
            { name: "Install dependencies", run: "pnpm install --frozen-lockfile" },
            {
              name: `Record the ${job.component} version ${job.from} upgraded to, for ${job.to}`,
              id: "promote",
              // helm-controller reports the chart version as the revision, with a digest after "@" for OCI charts.
              env: { REVISION: "${{ github.event.client_payload.metadata.revision }}" },
              run: [
                'VERSION="${REVISION%%@*}"',
                `pnpm exec flux-fleet promote ${job.component} --from ${job.from} --to ${job.to} --version "$VERSION"`,
                'echo "version=$VERSION" >> "$GITHUB_OUTPUT"',
                "",
              ].join("\n"),
            },
            {
              name: "Open a pull request",
              uses: CREATE_PULL_REQUEST_ACTION,
              with: {
                branch: `promote/${job.component}-${job.to}`,
                "commit-message": `Promote ${job.component} \${{ steps.promote.outputs.version }} from ${job.from} to ${job.to}`,
                title: `Promote ${job.component} \${{ steps.promote.outputs.version }} from ${job.from} to ${job.to}`,
                body: `${job.from} upgraded ${job.component} to \${{ steps.promote.outputs.version }}; this pins the same chart version on ${job.to} (${options.versionsFile}) and regenerates the repository.`,
              },
            },
          ],
        },
      ]),
    ),
  };
  return stringifyWorkflow(workflow, WORKFLOW_HEADER);
}
