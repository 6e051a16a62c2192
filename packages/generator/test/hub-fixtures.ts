import { cp } from "node:fs/promises";
import { expect } from "vitest";
import { createFixtureRepo, createFleetRepo, runInProcess, type CliResult } from "./helpers.ts";
import { edit } from "./validate-helpers.ts";

/**
 * A fixture fleet generated once, and copies of its generated repository for hand-broken variants: each copy
 * is a fresh temporary repository, so one variant's edit never leaks into another.
 */
export function generatedFixture(fixture: string) {
  let generated: Promise<string> | undefined;
  const original = () =>
    (generated ??= createFixtureRepo(fixture).then(async (root) => {
      const result = await runInProcess(["gen"], root);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      return root;
    }));
  const copy = async (): Promise<string> => {
    const source = await original();
    const root = await createFleetRepo({});
    await cp(source, root, { recursive: true, filter: (path) => !path.includes("node_modules") && !path.includes(".fleet") });
    return root;
  };
  return {
    original,
    copy,
    /** Validates a copy with one generated file edited by hand, as a user would break it. */
    async validateEdited(file: string, from: string | RegExp, to: string): Promise<CliResult> {
      const root = await copy();
      await edit(root, file, from, to);
      return runInProcess(["validate", "--no-cache"], root);
    },
  };
}
