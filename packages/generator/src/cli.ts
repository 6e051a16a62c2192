import { parseArgs } from "node:util";
import { FleetError, formatIssues, UsageError } from "./errors.ts";
import { findRoot } from "./load-fleet.ts";

const USAGE = `Usage: flux-fleet <command> [options]

Commands:
  gen            Generate deploy/, clusters/ and hub/ from the fleet (--check: compare only, exit 1 on drift)
  validate       Validate the generated repository: YAML, kustomize builds, strict schemas, Flux fleet checks
  fleet up       Create a kind cluster for the hub and each spoke, and each spoke's kubeconfig Secret on the hub
  fleet status   Show the readiness of every spoke's Kustomizations and HelmReleases (needs a running fleet)
  fleet down     Delete exactly this fleet's kind clusters
  flux up        Install Flux on the hub and sync it with the repository (--repository-url, --branch; token from GITHUB_TOKEN)
  flux bootstrap Run flux bootstrap github for the hub (GITHUB_USER, GITHUB_REPO, GITHUB_TOKEN)
  promote C      Pin component C's chart on --to at the --version tested on --from (fleet/versions.json), then regenerate

Options:
  --root DIR     The fleet repository (default: the nearest folder above the current one with fleet/fleet.ts)
  --fleet FILE   The fleet entry, relative to the root (default: fleet/fleet.ts)
  --check        With gen: write nothing, print a diff per differing file, exit 1 when the YAML is stale
  --json         With validate: print the report as JSON
  --no-cache     With validate: rebuild every kustomization instead of reusing cached builds
  --dry-run      With fleet/flux commands: print every command in order, run none
  --kubernetes-version V   With fleet up: the kindest/node version, e.g. v1.36.4
  --repository-url URL     With flux up: the repository Flux syncs (or FLEET_REPO_URL)
  --branch NAME            With flux up/bootstrap: the branch to sync (or FLEET_REPO_BRANCH; default main)
  --from, --to CLUSTER     With promote: the cluster the version was tested on, and the one that gets it
  --version V              With promote: the exact chart version (a "@digest" suffix is cut)
  --versions-file FILE     With promote: the JSON file the fleet reads versions from (default: fleet/versions.json)
  -h, --help     Show this help
`;

const OPTIONS = {
  root: { type: "string" },
  fleet: { type: "string" },
  check: { type: "boolean" },
  json: { type: "boolean" },
  "no-cache": { type: "boolean" },
  "dry-run": { type: "boolean" },
  "kubernetes-version": { type: "string" },
  "repository-url": { type: "string" },
  branch: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  version: { type: "string" },
  "versions-file": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

// Lifecycle errors (a missing tool, a failed step) are the user's to fix; checked by name so that the
// lifecycle package is only loaded by the commands that use it.
function isLifecycleError(error: unknown): boolean {
  return error instanceof Error && ["LifecycleError", "PlanStepError", "PrerequisiteError"].includes(error.name);
}

/**
 * Runs the CLI with the given arguments (without `node` and the script) and returns the exit code.
 * User errors print their message without a stack; anything else is an internal bug and prints its stack.
 *
 * @example
 * ```ts
 * process.exitCode = await run(["gen", "--check"]);
 * ```
 */
export async function run(argv: readonly string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true });
    const [command] = positionals;
    if (values.help || command === undefined) {
      process.stdout.write(USAGE);
      return command === undefined && !values.help ? 1 : 0;
    }
    const root = values.root ?? (await findRoot(process.cwd(), values.fleet));
    switch (command) {
      case "gen": {
        const { gen } = await import("./commands/gen.ts");
        const { createProgress } = await import("./progress.ts");
        const progress = createProgress(process.stderr);
        try {
          return (await gen({ root, entry: values.fleet, check: values.check, progress })).exitCode;
        } finally {
          progress.done();
        }
      }
      case "validate": {
        const { validate } = await import("./commands/validate.ts");
        const { createProgress } = await import("./progress.ts");
        const progress = createProgress(process.stderr);
        try {
          return (await validate({ root, json: values.json, noCache: values["no-cache"], progress: (text) => progress.update(text) }))
            .exitCode;
        } finally {
          progress.done();
        }
      }
      case "promote": {
        const component = positionals[1];
        if (!component || !values.from || !values.to || !values.version)
          throw new UsageError("Usage: flux-fleet promote <component> --from <cluster> --to <cluster> --version <chart version>.");
        const { promote } = await import("./commands/promote.ts");
        return (
          await promote({
            root,
            entry: values.fleet,
            component,
            from: values.from,
            to: values.to,
            version: values.version,
            versionsFile: values["versions-file"],
          })
        ).exitCode;
      }
      case "fleet":
      case "flux": {
        const sub = positionals[1];
        const command = `${positionals[0]} ${sub}`;
        const known = ["fleet up", "fleet down", "fleet status", "flux up", "flux bootstrap"] as const;
        const match = known.find((k) => k === command);
        if (!match) throw new UsageError(`Unknown command "${command}": use ${known.map((k) => `"${k}"`).join(", ")}.`);
        const { runLifecycle } = await import("./commands/lifecycle.ts");
        return await runLifecycle(match, {
          root,
          entry: values.fleet,
          dryRun: values["dry-run"],
          kubernetesVersion: values["kubernetes-version"],
          repositoryUrl: values["repository-url"],
          branch: values.branch,
          json: values.json,
        });
      }
      default:
        throw new UsageError(`Unknown command "${command}": run flux-fleet --help for the list.`);
    }
  } catch (error) {
    if (error instanceof FleetError) {
      process.stderr.write(`${formatIssues(error.issues)}\nNothing was written.\n`);
      return 1;
    }
    if (error instanceof UsageError || isLifecycleError(error) || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`flux-fleet: ${(error as Error).message}\n`);
      return 1;
    }
    process.stderr.write(
      `flux-fleet: internal error (a bug in flux-fleet, please report it with this output):\n${(error as Error).stack ?? String(error)}\n`,
    );
    return 2;
  }
}
