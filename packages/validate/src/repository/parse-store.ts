import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { isMapping } from "@flux-fleet/schemas";
import { replaceFile } from "../replace-file.ts";
import { contentKey, type ParseCache, type ParsedFile } from "../read/document-source.ts";
import type { RepositoryTree } from "../read/repository-tree.ts";

const STORE_FILE = "parsed-yaml.json";

/**
 * Whether JSON carries a parsed value back exactly: YAML's `.nan`, `.inf` and `-0` do not survive JSON, so a
 * file holding one is parsed again each run rather than stored.
 */
function jsonSafe(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(jsonSafe);
  if (isMapping(value)) return Object.values(value).every(jsonSafe);
  return value === null || typeof value === "string" || typeof value === "boolean";
}

/**
 * Adds the files parsed by an earlier validate to `cache`: a run after a small change parses only what changed.
 * The store belongs to one version of flux-fleet (`code`, the identity validate's cache key uses); another
 * version's store, or one that does not read, is ignored.
 *
 * @example
 * ```ts
 * await loadParseStore(".fleet/cache", code, parseCache);
 * ```
 */
export async function loadParseStore(cacheDir: string, code: string, cache: ParseCache): Promise<void> {
  let stored: unknown;
  try {
    stored = JSON.parse(await readFile(join(cacheDir, STORE_FILE), "utf8"));
  } catch {
    return;
  }
  if (!isMapping(stored) || stored["code"] !== code || !isMapping(stored["files"])) return;
  for (const [key, file] of Object.entries(stored["files"])) {
    if (!cache.has(key) && isMapping(file) && Array.isArray(file["documents"]) && Array.isArray(file["problems"]))
      cache.set(key, file as unknown as ParsedFile);
  }
}

/**
 * Writes the parsed form of the tree's files (only those: the store never grows beyond one tree) for the next
 * run, atomically.
 *
 * @example
 * ```ts
 * await saveParseStore(".fleet/cache", code, parseCache, tree);
 * ```
 */
export async function saveParseStore(cacheDir: string, code: string, cache: ParseCache, tree: RepositoryTree): Promise<void> {
  const files: Record<string, ParsedFile> = {};
  for (const content of tree.values()) {
    const key = contentKey(content);
    const file = cache.get(key);
    if (file && file.tooLarge === undefined && !(key in files) && jsonSafe(file.documents)) files[key] = file;
  }
  await mkdir(cacheDir, { recursive: true });
  const path = join(cacheDir, STORE_FILE);
  await replaceFile(path, JSON.stringify({ code, files }), `${path}.${process.pid}.tmp`);
}
