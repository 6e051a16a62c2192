import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findKustomize } from "../read/kustomize.ts";
import { replaceFile } from "../replace-file.ts";
import type { RepositoryTree } from "../read/repository-tree.ts";
import type { ValidationReport } from "./validate-tree.ts";

const CACHE_FILE = "validate-report.json";

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && !entry.parentPath.includes("node_modules"))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Size and modification time of every file of the code that makes up validate: this package's modules, those of
 * the packages it runs (models', schemas'; each from the folder it runs from: src/ in this workspace, dist/ when
 * installed) and the schemas package's data, and `code`, the folders of the caller's code that shapes the facts it
 * passes (the generator's): changes with any upgrade or edit. Only the folders in use count, so a build of dist/
 * beside a workspace that runs src/ does not invalidate the cache.
 *
 * @example
 * ```ts
 * await codeIdentity([fileURLToPath(new URL("../", import.meta.url))]); // "5f0c…"
 * ```
 */
export function codeIdentity(code: readonly string[] = []): Promise<string> {
  const key = code.join("\0");
  let identity = identities.get(key);
  if (!identity) identities.set(key, (identity = computeCodeIdentity(code)));
  return identity;
}

const identities = new Map<string, Promise<string>>();

function packageCode(name: string): string {
  return dirname(fileURLToPath(import.meta.resolve(name)));
}

async function computeCodeIdentity(code: readonly string[]): Promise<string> {
  const schemasCode = packageCode("@flux-fleet/schemas");
  const schemas = dirname(schemasCode);
  // The package's data is what it publishes beside its code (compiled validators, CRD indexes, the precompiled CEL
  // rules, …): read from its "files", so that a new data folder counts without being listed here too.
  const manifest = JSON.parse(await readFile(join(schemas, "package.json"), "utf8")) as { files?: string[] };
  const data = (manifest.files ?? []).filter((entry) => entry !== "dist").map((entry) => join(schemas, entry));
  const roots = [fileURLToPath(new URL("../", import.meta.url)), packageCode("@flux-fleet/models"), schemasCode, ...data, ...code];
  const files = [...new Set((await Promise.all(roots.map(listFiles))).flat())].sort();
  const stats = await Promise.all(files.map((file) => stat(file)));
  const hash = createHash("sha256");
  files.forEach((file, i) => hash.update(`${file}\0${stats[i]?.size}\0${Math.trunc(stats[i]?.mtimeMs ?? 0)}\0`));
  return hash.digest("hex");
}

/**
 * The key of a whole validation: every file validate reads (the tree, and what the kustomizations read outside
 * it, by the digests of their closures, which hash the bytes kustomize reads), what the facts say (`facts`: the
 * generator's record), the kustomize binary and the code of validate itself ({@link codeIdentity}). A run with the
 * same key would print the same report.
 */
export async function validationKey(
  tree: RepositoryTree,
  facts: string | undefined,
  closures: ReadonlyArray<{ dir: string; digest: string }> = [],
  code: readonly string[] = [],
): Promise<string> {
  const hash = createHash("sha256");
  for (const [path, content] of tree) hash.update(`${path}\0${content}\0`);
  for (const { dir, digest } of closures) hash.update(`closure\0${dir}\0${digest}\0`);
  hash.update(`record\0${facts ?? ""}\0`);
  hash.update(`kustomize\0${(await findKustomize()).identity}\0`);
  hash.update(`code\0${await codeIdentity(code)}`);
  return hash.digest("hex");
}

/** The report of the last validation, when it had this key. */
export async function readCachedReport(cacheDir: string, key: string): Promise<ValidationReport | undefined> {
  try {
    const cached = JSON.parse(await readFile(join(cacheDir, CACHE_FILE), "utf8")) as { key: string; report: ValidationReport };
    return cached.key === key ? cached.report : undefined;
  } catch {
    return undefined;
  }
}

export async function writeCachedReport(cacheDir: string, key: string, report: ValidationReport): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const file = join(cacheDir, CACHE_FILE);
  await replaceFile(file, JSON.stringify({ key, report }), `${file}.${process.pid}.tmp`);
}
