import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect } from "vitest";
import { createDefaultFleetRepo, FIXTURES, runInProcess } from "./helpers.ts";

/** The fixture files of the validate tests: hostile inputs laid over a generated tree. */
export const HOSTILE = join(FIXTURES, "validate-hostile");

/**
 * Generates the default fleet once and hands out copies of the generated repository to edit by hand.
 */
export function generatedRepos() {
  let generated: Promise<string> | undefined;
  const original = () =>
    (generated ??= createDefaultFleetRepo().then(async (root) => {
      expect((await runInProcess(["gen"], root)).code).toBe(0);
      return root;
    }));
  return {
    original,
    /** A fresh copy of the generated repository (the fleet's node_modules linked, not copied). */
    async copy(): Promise<string> {
      const source = await original();
      const root = await createDefaultFleetRepo();
      await cp(source, root, { recursive: true, filter: (path) => !path.includes("node_modules") && !path.includes(".fleet") });
      return root;
    },
  };
}

/** Replaces text in a file of `root`, failing when the text is not there (so an edit never silently misses). */
export async function edit(root: string, file: string, from: string | RegExp, to: string): Promise<void> {
  const path = join(root, file);
  const before = await readFile(path, "utf8");
  const after = before.replace(from, to);
  expect(after).not.toBe(before);
  await writeFile(path, after);
}

/** Adds entries to the `resources` of a generated kustomization file. */
export function addResources(root: string, file: string, ...entries: string[]): Promise<void> {
  return edit(root, file, "resources:\n", `resources:\n${entries.map((entry) => `  - ${JSON.stringify(entry)}\n`).join("")}`);
}

/** The last line of validate's report: `N errors, M warnings, K skipped`. */
export function summary(stdout: string): string | undefined {
  return stdout.trimEnd().split("\n").at(-1);
}
