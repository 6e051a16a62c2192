import { parseArgs } from "node:util";
import { FleetError, formatIssues, UsageError } from "./errors.ts";
import { findRoot } from "./load-fleet.ts";

const USAGE = `Usage: flux-fleet <command> [options]

Commands:
  gen            Generate deploy/, clusters/ and hub/ from the fleet (--check: compare only, exit 1 on drift)
  validate       Validate the generated repository: YAML, kustomize builds, strict schemas, Flux fleet checks

Options:
  --root DIR     The fleet repository (default: the nearest folder above the current one with fleet/fleet.ts)
  --fleet FILE   The fleet entry, relative to the root (default: fleet/fleet.ts)
  --check        With gen: write nothing, print a diff per differing file, exit 1 when the YAML is stale
  --json         With validate: print the report as JSON
  --no-cache     With validate: rebuild every kustomization instead of reusing cached builds
  -h, --help     Show this help
`;

const OPTIONS = {
  root: { type: "string" },
  fleet: { type: "string" },
  check: { type: "boolean" },
  json: { type: "boolean" },
  "no-cache": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

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
        return (await gen({ root, entry: values.fleet, check: values.check })).exitCode;
      }
      case "validate": {
        const { validate } = await import("./commands/validate.ts");
        const progress = process.stderr.isTTY ? (text: string) => process.stderr.write(`\r${text}\x1b[K`) : undefined;
        const result = await validate({ root, json: values.json, noCache: values["no-cache"], progress });
        if (progress) process.stderr.write("\r\x1b[K");
        return result.exitCode;
      }
      default:
        throw new UsageError(`Unknown command "${command}": run flux-fleet --help for the list.`);
    }
  } catch (error) {
    if (error instanceof FleetError) {
      process.stderr.write(`${formatIssues(error.issues)}\nNothing was written.\n`);
      return 1;
    }
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`flux-fleet: ${(error as Error).message}\n`);
      return 1;
    }
    process.stderr.write(`flux-fleet: internal error (a bug in flux-fleet, please report it with this output):\n${(error as Error).stack ?? String(error)}\n`);
    return 2;
  }
}
