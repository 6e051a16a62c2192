import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { OUTPUT_DIRS } from "../repository-layout.ts";

/** The generated part of a repository: path (relative to the root, `/`-separated) → content. */
export type RepositoryTree = ReadonlyMap<string, string>;

/**
 * Reads every file under deploy/, clusters/ and hub/ from disk.
 *
 * @example
 * ```ts
 * const tree = await readRepositoryTree(root);
 * tree.get("hub/staging.yaml");
 * ```
 */
export async function readRepositoryTree(root: string): Promise<RepositoryTree> {
  const tree = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(join(root, dir), { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return [];
      throw error;
    });
    await Promise.all(
      entries.map(async (entry) => {
        const path = `${dir}/${entry.name}`;
        if (entry.isDirectory()) await walk(path);
        else if (entry.isFile()) tree.set(path, await readFile(join(root, path), "utf8"));
      }),
    );
  };
  await Promise.all(OUTPUT_DIRS.map((dir) => walk(dir)));
  return new Map([...tree].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
