import { mkdir, readdir, realpath, rename, rmdir, unlink, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { RECORD_FILE } from "./generated-record.ts";
import { OUTPUT_DIRS, type TreePlan } from "./plan-tree.ts";

async function writeAtomically(path: string, content: string): Promise<void> {
  const temporary = `${path}.flux-fleet-${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}

async function removeEmptyParents(root: string, path: string): Promise<void> {
  for (let dir = dirname(path); dir !== "." && !(OUTPUT_DIRS as readonly string[]).includes(dir); dir = dirname(dir)) {
    const entries = await readdir(join(root, dir)).catch(() => undefined);
    if (!entries || entries.length > 0) return;
    await rmdir(join(root, dir));
  }
}

/**
 * Carries out a plan: writes new and changed files (each through a temporary file and a rename), removes
 * stale generated files and the folders they leave empty, creates missing placeholders, then the record.
 *
 * @example
 * ```ts
 * await applyPlan(root, await planTree(root, files));
 * ```
 */
export async function applyPlan(root: string, plan: TreePlan): Promise<void> {
  const written = [...plan.changes.filter((change) => change.after !== undefined), ...plan.placeholders];
  const dirs = new Set(written.map((file) => dirname(join(root, file.path))));
  await Promise.all([...dirs].map((dir) => mkdir(dir, { recursive: true })));
  await Promise.all(
    plan.changes.map(async (change) => {
      const path = join(root, change.path);
      if (change.after === undefined) await unlink(path);
      // A file that did not exist cannot be left half-written for a reader; a replaced one goes through a rename.
      else if (change.before === undefined) await writeFile(path, change.after, { flag: "wx" });
      else await writeAtomically(path, change.after);
    }),
  );
  for (const change of plan.changes) if (change.after === undefined) await removeEmptyParents(root, change.path);
  await Promise.all(plan.placeholders.map((placeholder) => writeFile(join(root, placeholder.path), placeholder.content, { flag: "wx" })));
  if (plan.record.before !== plan.record.after) await writeAtomically(join(root, RECORD_FILE), plan.record.after);
}

/** The folder of the fleet that `flux-fleet chart add` writes chart values modules into. */
export const FLEET_CHARTS_DIR = "fleet/charts";

/**
 * Writes files (paths relative to the root) inside `fleet/charts/`, each through a temporary file and a rename. A
 * path that leaves the folder, also through a symbolic link, is refused before anything is written.
 *
 * @example
 * ```ts
 * await writeFleetChartFiles(root, [{ path: "fleet/charts/redis/20.1.0/values.ts", content }]);
 * ```
 */
export async function writeFleetChartFiles(root: string, files: ReadonlyArray<{ path: string; content: string }>): Promise<void> {
  for (const file of files) {
    const inside = relative(FLEET_CHARTS_DIR, file.path);
    if (isAbsolute(file.path) || inside.startsWith("..") || isAbsolute(inside) || file.path.split(/[\\/]/).includes(".."))
      throw new Error(`refusing to write ${file.path}: chart files go under ${FLEET_CHARTS_DIR}/`);
  }
  await mkdir(join(root, FLEET_CHARTS_DIR), { recursive: true });
  const chartsRoot = await realpath(join(root, FLEET_CHARTS_DIR));
  for (const file of files) {
    const dir = dirname(join(root, file.path));
    await mkdir(dir, { recursive: true });
    const real = await realpath(dir);
    if (real !== chartsRoot && !real.startsWith(`${chartsRoot}${sep}`))
      throw new Error(`refusing to write ${file.path}: its folder leads outside ${FLEET_CHARTS_DIR}/ through a symbolic link`);
  }
  for (const file of files) await writeAtomically(join(root, file.path), file.content);
}
