import { createInterface } from "node:readline/promises";
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { createFleetRepository, type CreateOptions } from "./create.ts";
import { CreateError } from "./errors.ts";
import { TEMPLATES, type Template } from "./templates.ts";

const USAGE = `Usage: create-flux-fleet [DIR] [options]

Scaffolds a fleet repository in DIR (which must not exist, or be empty): package.json, tsconfig.json, fleet/,
.gitignore and a README. Then run pnpm install and pnpm gen in it.

Options:
  --template seed|empty   seed: cert-manager, ingress-nginx and podinfo on two spokes; empty: no components (default: seed)
  --name NAME             The package name (default: the folder's name)
  --packages-from DIR     Depend on the @flux-fleet/*.tgz tarballs in DIR (file: specs) instead of registry versions
  -y, --yes               Ask nothing: defaults for every option not given
  -h, --help              Show this help

Without DIR or options on a terminal, it asks.
`;

const OPTIONS = {
  template: { type: "string" },
  name: { type: "string" },
  "packages-from": { type: "string" },
  yes: { type: "boolean", short: "y" },
  help: { type: "boolean", short: "h" },
} as const;

/** Where the CLI reads answers and writes text; tests pass their own. */
export interface CliIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  error: NodeJS.WritableStream;
  /** Whether to prompt: a terminal on both ends. */
  interactive: boolean;
  cwd: string;
}

function isTemplate(value: string): value is Template {
  return (TEMPLATES as readonly string[]).includes(value);
}

/**
 * Runs the CLI with the given arguments (without `node` and the script) and returns the exit code. It asks
 * only on a terminal, and only for what no flag gave (never with `--yes`).
 *
 * @example
 * ```ts
 * process.exitCode = await run(["my-fleet", "--template", "seed", "--yes"]);
 * ```
 */
export async function run(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const output = io.output ?? process.stdout;
  const error = io.error ?? process.stderr;
  const interactive = io.interactive ?? Boolean(process.stdin.isTTY && process.stdout.isTTY);
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true });
    if (values.help) {
      output.write(USAGE);
      return 0;
    }
    if (positionals.length > 1) throw new CreateError(`One folder, please: got ${positionals.map((p) => `"${p}"`).join(", ")}.`);
    if (values.template !== undefined && !isTemplate(values.template))
      throw new CreateError(`--template "${values.template}" is not a template: use ${TEMPLATES.join(" or ")}.`);

    let dir = positionals[0];
    let template: Template | undefined = values.template;
    let name = values.name;
    const ask = interactive && !values.yes;
    if (ask && (dir === undefined || template === undefined || name === undefined)) {
      const prompt = createInterface({ input: io.input ?? process.stdin, output });
      try {
        dir ??= (await prompt.question("Folder for the fleet repository (my-fleet): ")).trim() || "my-fleet";
        name ??= (await prompt.question(`Package name (${dir.split("/").filter(Boolean).pop() ?? dir}): `)).trim() || undefined;
        while (template === undefined) {
          const answer = (await prompt.question("Template, seed or empty (seed): ")).trim() || "seed";
          if (isTemplate(answer)) template = answer;
          else output.write(`"${answer}" is not a template: answer seed or empty.\n`);
        }
      } finally {
        prompt.close();
      }
    }
    if (dir === undefined) throw new CreateError("Which folder? Pass it: create-flux-fleet my-fleet (see --help).");

    const options: CreateOptions = { dir, template: template ?? "seed" };
    if (io.cwd !== undefined) options.cwd = io.cwd;
    if (name !== undefined) options.name = name;
    if (values["packages-from"] !== undefined) options.packagesFrom = values["packages-from"];
    const result = await createFleetRepository(options);
    const shown = relative(io.cwd ?? process.cwd(), result.dir) || ".";
    output.write(
      `Created ${shown} from the ${options.template} template: ${result.files.join(", ")}.\n\n` +
        `Next: pnpm gen writes the generated repository (deploy/, clusters/, hub/, .github/workflows/) from fleet/:\n` +
        `  cd ${shown}\n  pnpm install\n  pnpm gen\n  pnpm test\n`,
    );
    return 0;
  } catch (caught) {
    if (caught instanceof CreateError || (caught instanceof Error && "code" in caught && String(caught.code).startsWith("ERR_PARSE_ARGS")))
      error.write(`${caught.message}\n`);
    else
      error.write(
        `create-flux-fleet: internal error, please report it:\n${caught instanceof Error ? (caught.stack ?? caught.message) : String(caught)}\n`,
      );
    return 1;
  }
}
