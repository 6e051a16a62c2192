import { access } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Fleet } from "@flux-fleet/profiles";
import { FleetError, UsageError } from "./errors.ts";

/** The default fleet entry, relative to the repository root. */
export const DEFAULT_ENTRY = "fleet/fleet.ts";

export interface LoadedFleet {
  fleet: Fleet;
  root: string;
  /** The entry file relative to the root, with `/` separators. */
  entry: string;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * The repository root: the nearest folder, from `start` upwards, that holds the fleet entry.
 *
 * @example
 * ```ts
 * await findRoot(process.cwd()); // "/home/me/fleet-repo"
 * ```
 */
export async function findRoot(start: string, entry = DEFAULT_ENTRY): Promise<string> {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (await exists(join(dir, entry))) return dir;
    if (dirname(dir) === dir) break;
  }
  throw new UsageError(`No ${entry} found in ${start} or any folder above it: run flux-fleet inside a fleet repository, or pass --root.`);
}

function toPosix(path: string): string {
  return path.split(sep).join("/");
}

/** The first stack frame of an error that lies in the user's files under `root`, outside node_modules. */
function userFrame(error: unknown, root: string): { file: string; line: number } | undefined {
  const stack = error instanceof Error ? (error.stack ?? "") : "";
  for (const match of stack.matchAll(/((?:file:\/\/)?\/[^\s():]+):(\d+)(?::\d+)?/g)) {
    const raw = match[1] ?? "";
    const file = raw.startsWith("file://") ? fileURLToPath(raw) : raw;
    const path = relative(root, file);
    if (path.startsWith("..") || isAbsolute(path) || path.includes("node_modules") || path.startsWith(`packages${sep}`)) continue;
    return { file: toPosix(path), line: Number(match[2]) };
  }
  return undefined;
}

function isFleet(value: unknown): value is Fleet {
  const candidate = value as Partial<Fleet> | undefined;
  return Array.isArray(candidate?.clusters) && Array.isArray(candidate?.tenants) && typeof candidate?.hub === "object";
}

/**
 * Imports the fleet entry (`fleet/fleet.ts`, run by Node's type stripping) and returns its `fleet` export.
 * A fleet file that fails to import or throws is reported with the file and line at fault.
 *
 * @example
 * ```ts
 * const { fleet } = await loadFleet({ root: "/home/me/fleet-repo" });
 * ```
 */
export async function loadFleet(options: { root: string; entry?: string }): Promise<LoadedFleet> {
  const root = resolve(options.root);
  const entryPath = resolve(root, options.entry ?? DEFAULT_ENTRY);
  const entry = toPosix(relative(root, entryPath));
  if (!(await exists(entryPath)))
    throw new UsageError(`The fleet entry ${entry} does not exist: create it, exporting \`export const fleet = defineFleet({ … })\`.`);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(entryPath).href)) as Record<string, unknown>;
  } catch (error) {
    const at = userFrame(error, root) ?? { file: entry };
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new FleetError([{ severity: "error", message: `The fleet failed to load: ${message}`, where: at }], { cause: error });
  }
  const fleet = module["fleet"];
  if (!isFleet(fleet)) {
    throw new FleetError([
      {
        severity: "error",
        message:
          "The fleet entry does not export a fleet: add `export const fleet = defineFleet({ tenants, clusters });` (defineFleet comes from @flux-fleet/profiles).",
        where: { file: entry },
      },
    ]);
  }
  return { fleet, root, entry };
}
