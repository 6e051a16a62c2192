import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { contentKey, createDocumentSource, type ParseCache } from "../read/document-source.ts";
import { loadParseStore, saveParseStore } from "./parse-store.ts";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function cacheDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "flux-fleet-parse-store-"));
  dirs.push(dir);
  return dir;
}

/** Parses every file of `tree` through a document source over `cache`, as validate does. */
function parseAll(tree: Map<string, string>, cache: ParseCache) {
  const documentsOf = createDocumentSource(tree, undefined, cache);
  return [...tree.keys()].map((path) => documentsOf(path));
}

const TREE = new Map([
  ["hub/staging.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: staging\n"],
  ["hub/production.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: production\n"],
  ["clusters/staging/apps/broken.yaml", "a: 1\na: 2\n"],
  ["clusters/staging/apps/nan.yaml", "value: .nan\n"],
]);

describe("the parse store", () => {
  it("gives the next run every file an earlier one parsed, as parsed", async () => {
    const dir = await cacheDir();
    const first: ParseCache = new Map();
    const parsed = parseAll(TREE, first);
    await saveParseStore(dir, "code-1", first, TREE);
    const next: ParseCache = new Map();
    await loadParseStore(dir, "code-1", next);
    for (const path of ["hub/staging.yaml", "hub/production.yaml", "clusters/staging/apps/broken.yaml"])
      expect(next.get(contentKey(TREE.get(path)!))).toEqual(parsed[[...TREE.keys()].indexOf(path)]);
    // A duplicate key is a problem the next run still reports.
    expect(next.get(contentKey(TREE.get("clusters/staging/apps/broken.yaml")!))?.problems[0]?.message).toMatch(/duplicate key "a"/);
    expect(parseAll(TREE, next)).toEqual(parsed);
  });

  it("leaves out what JSON cannot carry back (YAML's .nan), which is parsed again", async () => {
    const dir = await cacheDir();
    const first: ParseCache = new Map();
    parseAll(TREE, first);
    await saveParseStore(dir, "code-1", first, TREE);
    const next: ParseCache = new Map();
    await loadParseStore(dir, "code-1", next);
    expect(next.has(contentKey("value: .nan\n"))).toBe(false);
    expect(parseAll(TREE, next)[3]?.documents).toEqual([{ value: Number.NaN }]);
  });

  it("holds only the files of the tree it was saved with", async () => {
    const dir = await cacheDir();
    const cache: ParseCache = new Map();
    parseAll(TREE, cache);
    parseAll(new Map([["hub/gone.yaml", "kind: Gone\n"]]), cache);
    await saveParseStore(dir, "code-1", cache, TREE);
    const stored = JSON.parse(await readFile(join(dir, "parsed-yaml.json"), "utf8")) as { files: Record<string, unknown> };
    expect(Object.keys(stored.files)).not.toContain(contentKey("kind: Gone\n"));
    expect(Object.keys(stored.files)).toHaveLength(3);
  });

  it("is ignored when another version of flux-fleet wrote it, or it does not read", async () => {
    const dir = await cacheDir();
    const cache: ParseCache = new Map();
    parseAll(TREE, cache);
    await saveParseStore(dir, "code-1", cache, TREE);
    const other: ParseCache = new Map();
    await loadParseStore(dir, "code-2", other);
    expect(other.size).toBe(0);
    await writeFile(join(dir, "parsed-yaml.json"), '{"code": "code-1", "files": {');
    await loadParseStore(dir, "code-1", other);
    expect(other.size).toBe(0);
  });
});
