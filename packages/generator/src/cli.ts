import { parseArgs } from "node:util";
import { FleetError, formatIssues, UsageError } from "./errors.ts";
import { DEFAULT_LOAD_TIMEOUT, findRoot } from "./load-fleet.ts";

const USAGE = `Usage: flux-fleet <command> [options]

Commands:
  gen            Generate deploy/, clusters/ and hub/ from the fleet (--check: compare only, exit 1 on drift)
  validate       Validate the generated repository: YAML, kustomize builds, strict schemas, Flux fleet checks
  fleet up       Create a kind cluster for the hub and each spoke, and each spoke's kubeconfig Secret on the hub
  fleet status   Show the readiness of every spoke's Kustomizations and HelmReleases (needs a running fleet)
  fleet down     Delete exactly this fleet's kind clusters
  flux up        Install Flux on the hub and sync it with the repository (--repository-url, --branch; token from GITHUB_TOKEN)
  flux bootstrap Run flux bootstrap github for the hub (GITHUB_USER, GITHUB_REPO, GITHUB_TOKEN)
  chart add <repository-url> <chart> --version V
                 Fetch a chart from a Helm repository (https://…) or OCI registry (oci://…) and write its values schema
                 and types to fleet/charts/<chart>/<version>/ (the chart's values.schema.json, or one inferred from values.yaml)
  promote C      Pin component C's chart on --to at the --version tested on --from (fleet/versions.json), then regenerate

Options:
  --root DIR     The fleet repository (default: the nearest folder above the current one with fleet/fleet.ts)
  --fleet FILE   The fleet entry, relative to the root (default: fleet/fleet.ts)
  --load-timeout SECONDS   Stop and report a fleet that has not finished loading after this long
                           (or FLUX_FLEET_LOAD_TIMEOUT; default ${DEFAULT_LOAD_TIMEOUT})
  --check        With gen: write nothing, print a diff per differing file, exit 1 when the YAML is stale
  --json         With validate: print the report as JSON
  --no-cache     With validate: rebuild every kustomization instead of reusing cached builds
  --dry-run      With fleet/flux commands: print every command in order, run none
  --kubernetes-version V   With fleet up: the kindest/node version, e.g. v1.36.4
  --repository-url URL     With flux up: the repository Flux syncs (or FLEET_REPO_URL)
  --branch NAME            With flux up/bootstrap: the branch to sync (or FLEET_REPO_BRANCH; default main)
  --version V              With chart add and promote: the exact chart version (promote cuts a "@digest" suffix)
  --plain-http             With chart add: plain HTTP to the OCI registry (the default for 127.0.0.1 and localhost)
  --from, --to CLUSTER     With promote: the cluster the version was tested on, and the one that gets it
  --versions-file FILE     With promote: the JSON file the fleet reads versions from (default: fleet/versions.json)
  -h, --help     Show this help
`;

const OPTIONS = {
  root: { type: "string" },
  fleet: { type: "string" },
  "load-timeout": { type: "string" },
  check: { type: "boolean" },
  json: { type: "boolean" },
  "no-cache": { type: "boolean" },
  "dry-run": { type: "boolean" },
  "kubernetes-version": { type: "string" },
  "repository-url": { type: "string" },
  branch: { type: "string" },
  version: { type: "string" },
  "plain-http": { type: "boolean" },
  from: { type: "string" },
  to: { type: "string" },
  "versions-file": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** setTimeout's largest delay; a longer one would fire at once. */
const MAX_LOAD_TIMEOUT = Math.floor(2 ** 31 / 1000) - 1;

/** The fleet's load limit in seconds: the flag, else the environment, else the default. */
function loadTimeout(flag: string | undefined, env: string | undefined): number {
  const [source, raw] = flag !== undefined ? ["--load-timeout", flag] : ["FLUX_FLEET_LOAD_TIMEOUT", env];
  if (raw === undefined || (raw === "" && flag === undefined)) return DEFAULT_LOAD_TIMEOUT;
  const seconds = raw.trim() === "" ? Number.NaN : Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_LOAD_TIMEOUT)
    throw new UsageError(
      `${source} "${raw}" is not a number of seconds: use a positive number up to ${MAX_LOAD_TIMEOUT}, such as ${DEFAULT_LOAD_TIMEOUT}.`,
    );
  return seconds;
}

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
    // Checked for every command, so that a mistyped value never waits for the one command that reads it.
    const timeout = loadTimeout(values["load-timeout"], process.env["FLUX_FLEET_LOAD_TIMEOUT"]);
    const root = values.root ?? (await findRoot(process.cwd(), values.fleet));
    switch (command) {
      case "gen": {
        const { gen } = await import("./commands/gen.ts");
        const { createProgress } = await import("./progress.ts");
        const progress = createProgress(process.stderr);
        try {
          return (await gen({ root, entry: values.fleet, check: values.check, loadTimeout: timeout, progress })).exitCode;
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
          loadTimeout: timeout,
          dryRun: values["dry-run"],
          kubernetesVersion: values["kubernetes-version"],
          repositoryUrl: values["repository-url"],
          branch: values.branch,
          json: values.json,
        });
      }
      case "chart": {
        const [, sub, repository, chart, ...rest] = positionals;
        if (sub !== "add")
          throw new UsageError(`Unknown command "chart ${sub ?? ""}": use "chart add <repository-url> <chart> --version V".`);
        if (repository === undefined || chart === undefined || values.version === undefined || rest.length > 0)
          throw new UsageError(
            'Usage: flux-fleet chart add <repository-url> <chart> --version V (e.g. "chart add https://charts.jetstack.io cert-manager --version v1.21.1").',
          );
        const { chartAdd } = await import("./commands/chart-add.ts");
        await chartAdd({ root, repository, chart, version: values.version, plainHttp: values["plain-http"] });
        return 0;
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
