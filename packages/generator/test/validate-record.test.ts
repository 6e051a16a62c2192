import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.ts";
import { generatedRepos } from "./validate-helpers.ts";

const repos = generatedRepos();
const RECORD = "flux-fleet.generated.json";
const RESTORE = 'restore it with "git checkout flux-fleet.generated.json" or run "pnpm gen" to write it again.';

describe("flux-fleet validate with an invalid record", () => {
  it.each<[name: string, damage: (path: string) => Promise<void>, expected: string]>([
    [
      "malformed JSON",
      async (path) => writeFile(path, (await readFile(path, "utf8")).slice(0, 40)),
      `flux-fleet: ${RECORD} is not valid JSON (`,
    ],
    [
      "a JSON array",
      (path) => writeFile(path, "[]\n"),
      `flux-fleet: ${RECORD} is not what gen writes: the record is [], not an object; ${RESTORE}`,
    ],
    [
      "clusters of the wrong shape",
      async (path) => writeFile(path, (await readFile(path, "utf8")).replace('"clusters": {', '"clusters": { "edge": 3,')),
      `flux-fleet: ${RECORD} is not what gen writes: clusters.edge is 3, not an object; ${RESTORE}`,
    ],
    [
      "a pinning gen never writes",
      async (path) => writeFile(path, (await readFile(path, "utf8")).replace('"pinning": "warn"', '"pinning": "sometimes"')),
      `flux-fleet: ${RECORD} is not what gen writes: clusters.production.pinning is "sometimes", not "warn" or "strict"; ${RESTORE}`,
    ],
    [
      "a folder",
      async (path) => {
        await rm(path);
        await mkdir(path);
      },
      `flux-fleet: ${RECORD} is a folder, not the record gen writes: remove it, then ${RESTORE}`,
    ],
  ])("is a clear user error for %s, not a stack", async (_name, damage, expected) => {
    const root = await repos.copy();
    await damage(join(root, RECORD));
    const result = await runCli(["validate"], root);
    expect(result.stderr).toContain(expected);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.code).toBe(1);
  });
});
