import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import type * as Util from "node:util";
import { UserError } from "@flux-fleet/models";
import { FleetError } from "./errors.ts";
import { formatIssues, UsageError } from "@flux-fleet/validate";
import { DEFAULT_LOAD_TIMEOUT, findRoot } from "./load-fleet.ts";

// Required, not imported: an ES import of node:util reads every export of it, and some are lazy loaders (its
// TextDecoder getter alone loads worker_threads and a dozen other internals; ~1.5 ms of each run).
const { parseArgs } = createRequire(import.meta.url)("node:util") as typeof Util;

type OptionName = keyof typeof OPTIONS;

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
  cluster: { type: "string" },
  base: { type: "string" },
  markdown: { type: "boolean" },
  comment: { type: "boolean" },
  output: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** One help line per option: its usage, then what it does. */
const OPTION_HELP: Record<Exclude<OptionName, "help">, [usage: string, text: string]> = {
  root: ["--root DIR", "The fleet repository (default: the nearest folder above the current one with fleet/fleet.ts)"],
  fleet: ["--fleet FILE", "The fleet entry, relative to the root (default: fleet/fleet.ts)"],
  "load-timeout": [
    "--load-timeout SECONDS",
    `Stop and report a fleet that has not finished loading after this long (or FLUX_FLEET_LOAD_TIMEOUT; default ${DEFAULT_LOAD_TIMEOUT})`,
  ],
  check: ["--check", "Write nothing, print a diff per differing file, exit 1 when the YAML is stale"],
  json: ["--json", "Print the report as JSON"],
  "no-cache": ["--no-cache", "Rebuild every kustomization instead of reusing cached builds"],
  "dry-run": ["--dry-run", "Print every command in order, run none"],
  "kubernetes-version": ["--kubernetes-version V", "The kindest/node version, e.g. v1.36.4"],
  "repository-url": ["--repository-url URL", "The repository Flux syncs (or FLEET_REPO_URL)"],
  branch: ["--branch NAME", "The branch to sync (or FLEET_REPO_BRANCH; default main)"],
  version: ["--version V", 'The exact chart version (promote cuts a "@digest" suffix)'],
  "plain-http": ["--plain-http", "Plain HTTP to the OCI registry (the default for 127.0.0.1 and localhost)"],
  from: ["--from CLUSTER", "The cluster the version was tested on"],
  to: ["--to CLUSTER", "The cluster that gets it"],
  "versions-file": ["--versions-file FILE", "The JSON file the fleet reads versions from (default: fleet/versions.json)"],
  cluster: ["--cluster NAME", "Only this spoke"],
  base: ["--base REF", "The git revision to compare the working tree with (default: where HEAD left the default branch, else HEAD)"],
  markdown: ["--markdown", "Print a pull-request comment (Markdown, one collapsible section per changed spoke, capped in length)"],
  comment: [
    "--comment",
    "In a GitHub Actions pull_request run, post the Markdown as one comment, updated on each run (forks: the job summary)",
  ],
  output: ["--output FILE", "Write to FILE instead of printing (a .md file gets a ```mermaid block)"],
};

const FLEET_LOADING: OptionName[] = ["root", "fleet", "load-timeout"];

/** Every command: how it is called, what it does, and the only options it takes. */
const COMMANDS = {
  gen: {
    usage: "gen [--check]",
    summary: "Generate deploy/, clusters/ and hub/ from the fleet (--check: compare only, exit 1 on drift)",
    options: [...FLEET_LOADING, "check"],
  },
  validate: {
    usage: "validate",
    summary: "Validate the generated repository: YAML, kustomize builds, strict schemas, Flux fleet checks",
    options: ["root", "fleet", "json", "no-cache"],
  },
  plan: {
    usage: "plan [--cluster NAME]",
    summary: "Show what Flux applies on each spoke, offline: layers in reconcile order, where they apply, identity, objects and charts",
    options: ["root", "cluster", "json", "no-cache"],
  },
  diff: {
    usage: "diff [--base REF] [--json | --markdown [--comment]]",
    summary: "Show what changes on which spoke between the committed tree at REF and the working tree, object by object",
    options: ["root", "base", "json", "markdown", "comment", "no-cache"],
  },
  graph: {
    usage: "graph [--cluster NAME] [--output FILE]",
    summary:
      "Draw the fleet as a Mermaid flowchart: hub → spoke namespaces → layers in dependsOn order, with identities; spokes of one shape collapse into one node",
    options: ["root", "cluster", "output", "no-cache"],
  },
  "fleet up": {
    usage: "fleet up",
    summary: "Create a kind cluster for the hub and each spoke, and each spoke's kubeconfig Secret on the hub",
    options: [...FLEET_LOADING, "dry-run", "kubernetes-version"],
  },
  "fleet status": {
    usage: "fleet status",
    summary: "Show the readiness of every spoke's Kustomizations and HelmReleases (needs a running fleet)",
    options: [...FLEET_LOADING, "dry-run", "json"],
  },
  "fleet down": { usage: "fleet down", summary: "Delete exactly this fleet's kind clusters", options: [...FLEET_LOADING, "dry-run"] },
  "flux up": {
    usage: "flux up",
    summary: "Install Flux on the hub and sync it with the repository (token from GITHUB_TOKEN)",
    options: [...FLEET_LOADING, "dry-run", "repository-url", "branch"],
  },
  "flux bootstrap": {
    usage: "flux bootstrap",
    summary: "Run flux bootstrap github for the hub (GITHUB_USER, GITHUB_REPO, GITHUB_TOKEN)",
    options: [...FLEET_LOADING, "dry-run", "branch"],
  },
  "chart add": {
    usage: "chart add <repository-url> <chart> --version V",
    summary:
      "Fetch a chart from a Helm repository (https://…) or OCI registry (oci://…) and write its values schema and types to fleet/charts/<chart>/<version>/",
    options: ["root", "version", "plain-http"],
  },
  promote: {
    usage: "promote <component> --from CLUSTER --to CLUSTER --version V",
    summary: "Pin a component's chart on --to at the version tested on --from (fleet/versions.json), then regenerate",
    options: [...FLEET_LOADING, "from", "to", "version", "versions-file"],
  },
} satisfies Record<string, { usage: string; summary: string; options: OptionName[] }>;

type CommandName = keyof typeof COMMANDS;

function optionLines(options: readonly OptionName[]): string {
  const rows: Array<[usage: string, text: string]> = [
    ...options.filter((o): o is Exclude<OptionName, "help"> => o !== "help").map((o) => OPTION_HELP[o]),
    ["-h, --help", "Show this help"],
  ];
  const width = Math.max(...rows.map(([usage]) => usage.length));
  return rows.map(([usage, text]) => `  ${usage.padEnd(width)}  ${text}`).join("\n");
}

const USAGE = `Usage: flux-fleet <command> [options]   (flux-fleet <command> --help lists a command's options)

Commands:
${Object.values(COMMANDS)
  .map(({ usage, summary }) => `  ${usage}\n      ${summary}`)
  .join("\n")}

Options of every command:
${optionLines(["root"])}

flux-fleet --version prints its version.
`;

function commandHelp(name: CommandName): string {
  const { usage, summary, options } = COMMANDS[name];
  return `Usage: flux-fleet ${usage} [options]\n\n${summary}.\n\nOptions:\n${optionLines(options)}\n`;
}

/** The command named by the positionals (`gen`, `fleet up`, …), or undefined. */
function commandOf(positionals: readonly string[]): CommandName | undefined {
  const [first, second] = positionals;
  const two = `${first} ${second}`;
  if (two in COMMANDS) return two as CommandName;
  return first !== undefined && first in COMMANDS && !first.includes(" ") ? (first as CommandName) : undefined;
}

/** A command's refusal of options it does not take, naming the ones it does. */
function notOptionsOf(name: CommandName, wrong: readonly string[]): UsageError {
  const takes = (COMMANDS[name].options as readonly string[]).map((o) => `--${o}`).join(", ");
  return new UsageError(
    `${wrong.map((o) => `--${o}`).join(", ")} ${wrong.length === 1 ? "is not an option" : "are not options"} of "flux-fleet ${name}": it takes ${takes || "no options"} (flux-fleet ${name} --help).`,
  );
}

/** Refuses an option the command does not take, naming the ones it does. */
function checkOptions(name: CommandName, given: readonly string[]): void {
  const allowed: readonly string[] = COMMANDS[name].options;
  const wrong = given.filter((option) => option !== "help" && !allowed.includes(option));
  if (wrong.length > 0) throw notOptionsOf(name, wrong);
}

/**
 * Rephrases Node's parseArgs errors ("Unknown option '--x'. To specify a positional …") in one line; an option no
 * command knows is refused by the command it was given to, as one it does not take.
 */
function parseError(error: { code?: string; message: string }, command: CommandName | undefined): UsageError {
  const option = /option '([^']+)'/.exec(error.message)?.[1];
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option !== undefined && command !== undefined && option.startsWith("--"))
    return notOptionsOf(command, [option.slice(2)]);
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option !== undefined)
    return new UsageError(
      `Unknown option "${option}": run flux-fleet --help for the commands, or flux-fleet <command> --help for its options.`,
    );
  if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE")
    return new UsageError(`${error.message.split(". ")[0]?.replace(/^Option /, "Option ") ?? error.message}: give it a value.`);
  return new UsageError(error.message.split("\n")[0] ?? error.message);
}

/** The generator package's version, for --version. */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

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
    if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
      process.stdout.write(`${packageVersion()}\n`);
      return 0;
    }
    let parsed;
    try {
      parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, tokens: true });
    } catch (error) {
      const loose = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: false });
      throw parseError(error as { code?: string; message: string }, commandOf(loose.positionals));
    }
    const { values, positionals, tokens } = parsed;
    const [command] = positionals;
    const known = commandOf(positionals);
    if (values.help || command === undefined) {
      process.stdout.write(known === undefined ? USAGE : commandHelp(known));
      return command === undefined && !values.help ? 1 : 0;
    }
    if (known !== undefined)
      checkOptions(
        known,
        tokens.flatMap((token) => (token.kind === "option" ? [token.name] : [])),
      );
    // Checked for every command that loads the fleet, so that a mistyped value never waits for the load.
    const loadsFleet = known !== undefined && (COMMANDS[known].options as readonly string[]).includes("load-timeout");
    const timeout = loadsFleet ? loadTimeout(values["load-timeout"], process.env["FLUX_FLEET_LOAD_TIMEOUT"]) : DEFAULT_LOAD_TIMEOUT;
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
      case "plan": {
        const { plan } = await import("./commands/plan.ts");
        return (await plan({ root, cluster: values.cluster, json: values.json, noCache: values["no-cache"] })).exitCode;
      }
      case "diff": {
        const { diff } = await import("./commands/diff.ts");
        return (
          await diff({
            root,
            base: values.base,
            json: values.json,
            markdown: values.markdown,
            comment: values.comment,
            noCache: values["no-cache"],
          })
        ).exitCode;
      }
      case "graph": {
        const { graph } = await import("./commands/graph.ts");
        const output = values.output === undefined ? undefined : resolve(process.cwd(), values.output);
        return (await graph({ root, cluster: values.cluster, output, noCache: values["no-cache"] })).exitCode;
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
    // Every package's user errors (the generator's, the lifecycle's) share one base class.
    if (error instanceof UserError) {
      process.stderr.write(`flux-fleet: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(
      `flux-fleet: internal error (a bug in flux-fleet, please report it with this output):\n${(error as Error).stack ?? String(error)}\n`,
    );
    return 2;
  }
}
