import { readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CreateError } from "./errors.ts";

/** The folder of this package (holds package.json), from src/ in the workspace and from dist/ when installed. */
const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));

/**
 * The packages a scaffolded repository depends on, with the ranges it gets. They come from this package's own
 * devDependencies, the one place they are written: in the workspace they are `workspace:^` and resolve to the
 * sibling package's current version; `pnpm pack` rewrites them to `^<version>` in the published manifest.
 */
export interface DependencyRanges {
  /** `@flux-fleet/*` packages the fleet imports or runs (`flux-fleet gen`). */
  fleet: Record<string, string>;
  /** The tools a fleet repository's `typecheck` needs. */
  tools: Record<string, string>;
}

const TOOLS = ["typescript", "@types/node"] as const;

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
}

/**
 * The dependency ranges for a new fleet repository, read from this package's manifest.
 *
 * @example
 * ```ts
 * dependencyRanges().fleet["@flux-fleet/generator"]; // "^0.1.0"
 * ```
 */
export function dependencyRanges(packageDir = PACKAGE_DIR): DependencyRanges {
  const manifest = readJson(join(packageDir, "package.json"));
  const declared = (manifest["devDependencies"] ?? {}) as Record<string, string>;
  const fleet: Record<string, string> = {};
  const tools: Record<string, string> = {};
  for (const [name, range] of Object.entries(declared)) {
    if (name.startsWith("@flux-fleet/")) {
      fleet[name] = range.startsWith("workspace:") ? workspaceRange(packageDir, name, range) : range;
    } else if ((TOOLS as readonly string[]).includes(name)) tools[name] = range;
  }
  return { fleet, tools };
}

/** `workspace:^` → `^<the sibling's version>`, as pnpm pack writes it. */
function workspaceRange(packageDir: string, name: string, range: string): string {
  const version = readJson(join(packageDir, "node_modules", name, "package.json"))["version"] as string;
  const prefix = range.slice("workspace:".length);
  return prefix === "*" ? version : prefix === "^" || prefix === "~" ? `${prefix}${version}` : prefix;
}

/**
 * The `file:` specs of the `@flux-fleet/*` tarballs in a folder (as `pnpm pack` names them:
 * `flux-fleet-generator-0.1.0.tgz`), keyed by package name. Throws when one of `required` has no tarball.
 *
 * @example
 * ```ts
 * await tarballSpecs("/tmp/tarballs", ["@flux-fleet/generator"]); // { "@flux-fleet/generator": "file:/tmp/tarballs/flux-fleet-generator-0.1.0.tgz", … }
 * ```
 */
export async function tarballSpecs(dir: string, required: readonly string[], shown = dir): Promise<Record<string, string>> {
  const folder = resolve(dir);
  let entries: string[];
  try {
    entries = (await readdir(folder)).sort();
  } catch (error) {
    throw new CreateError(`--packages-from ${shown}: the folder cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"}).`, {
      cause: error,
    });
  }
  const specs: Record<string, string> = {};
  for (const entry of entries) {
    const match = /^flux-fleet-([a-z][a-z0-9-]*?)-(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\.tgz$/.exec(entry);
    if (match) specs[`@flux-fleet/${match[1] ?? ""}`] = `file:${join(folder, entry)}`;
  }
  const missing = required.filter((name) => specs[name] === undefined);
  if (missing.length > 0)
    throw new CreateError(
      `--packages-from ${shown} holds no tarball of ${missing.join(", ")}: run "pnpm pack" in each package (files named like flux-fleet-generator-0.1.0.tgz).`,
    );
  return specs;
}
