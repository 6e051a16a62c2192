import { execFileSync } from "node:child_process";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { CreateError } from "./errors.ts";
import { renderScaffold, type Template } from "./templates.ts";
import { dependencyRanges, tarballSpecs } from "./versions.ts";

/** Options of {@link createFleetRepository}. */
export interface CreateOptions {
  /** The folder to create; it must not exist or be empty (a `.git` folder alone is fine). */
  dir: string;
  /** What a relative `dir` and `packagesFrom` are relative to; default the current folder. */
  cwd?: string;
  /** The package name; default the folder's name. */
  name?: string;
  /** Default `seed`. */
  template?: Template;
  /** A folder of `@flux-fleet/*` tarballs to depend on (`file:` specs) instead of registry versions. */
  packagesFrom?: string;
  /** `pnpm@<version>` for package.json; default the pnpm that runs this command, or the one on PATH. */
  packageManager?: string;
}

export interface CreateResult {
  /** The absolute folder written. */
  dir: string;
  /** The files written, relative to `dir`, sorted. */
  files: string[];
}

/** Only lowercase letters, digits, "-", "_", "." (and an npm scope), as npm accepts in a package name. */
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;

/**
 * Scaffolds a fleet repository in `dir`: package.json, tsconfig.json, fleet/, .gitignore and a README. The
 * generated files (deploy/, clusters/, hub/, .github/workflows/) are not written here: `pnpm gen` writes them,
 * so that one writer owns them and their record.
 *
 * @example
 * ```ts
 * await createFleetRepository({ dir: "my-fleet", template: "seed" }); // then: cd my-fleet && pnpm install && pnpm gen
 * ```
 */
export async function createFleetRepository(options: CreateOptions): Promise<CreateResult> {
  const cwd = options.cwd ?? process.cwd();
  const dir = resolve(cwd, options.dir);
  await assertEmpty(dir, options.dir);
  const name = options.name ?? packageNameFor(basename(dir));
  if (!PACKAGE_NAME.test(name))
    throw new CreateError(`"${name}" is not a valid package name: use lowercase letters, digits and "-" (pass --name).`);

  const ranges = dependencyRanges();
  let dependencies = ranges.fleet;
  let overrides: Record<string, string> | undefined;
  if (options.packagesFrom !== undefined) {
    const specs = await tarballSpecs(resolve(cwd, options.packagesFrom), Object.keys(ranges.fleet), options.packagesFrom);
    dependencies = Object.fromEntries(Object.keys(ranges.fleet).map((pkg) => [pkg, specs[pkg] ?? ""]));
    overrides = specs;
  }
  const packageManager = options.packageManager ?? detectPnpm();
  const files = renderScaffold({
    name,
    template: options.template ?? "seed",
    dependencies,
    devDependencies: ranges.tools,
    ...(overrides ? { overrides } : {}),
    ...(packageManager ? { packageManager } : {}),
  });
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    // "wx": never overwrite, even a file created since the emptiness check.
    await writeFile(join(dir, path), content, { flag: "wx" });
  }
  return { dir, files: Object.keys(files).sort() };
}

/** A folder name as a package name: "My Fleet" → "my-fleet". */
function packageNameFor(folder: string): string {
  return (
    folder
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, "-")
      .replace(/^[^a-z0-9]+|-+$/g, "") || "fleet"
  );
}

async function assertEmpty(dir: string, given: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return;
    if (code === "ENOTDIR") throw new CreateError(`"${given}" is a file: choose a folder that does not exist yet.`, { cause: error });
    throw error;
  }
  const others = entries.filter((entry) => entry !== ".git").sort();
  if (others.length > 0)
    throw new CreateError(
      `The folder "${given}" is not empty (${others.slice(0, 3).join(", ")}${others.length > 3 ? ", …" : ""}): choose a new folder, or empty this one.`,
    );
}

/** The pnpm running this command (`pnpm create`), else the one on PATH; undefined when there is none. */
function detectPnpm(): string | undefined {
  const agent = /^pnpm\/(\d+\.\d+\.\d+)/.exec(process.env["npm_config_user_agent"] ?? "");
  if (agent) return `pnpm@${agent[1] ?? ""}`;
  try {
    const version = execFileSync("pnpm", ["--version"], { encoding: "utf8", timeout: 10_000, stdio: ["ignore", "pipe", "ignore"] }).trim();
    return /^\d+\.\d+\.\d+$/.test(version) ? `pnpm@${version}` : undefined;
  } catch {
    return undefined;
  }
}
