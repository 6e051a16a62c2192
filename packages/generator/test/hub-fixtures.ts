import { cp } from "node:fs/promises";
import { expect } from "vitest";
import { createFixtureRepo, createFleetRepo, runCli } from "./helpers.ts";

/**
 * A fixture fleet generated once, and copies of its generated repository for hand-broken variants: each copy
 * is a fresh temporary repository, so one variant's edit never leaks into another.
 */
export function generatedFixture(fixture: string) {
  let generated: Promise<string> | undefined;
  const original = () =>
    (generated ??= createFixtureRepo(fixture).then(async (root) => {
      const result = await runCli(["gen"], root);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      return root;
    }));
  return {
    original,
    async copy(): Promise<string> {
      const source = await original();
      const root = await createFleetRepo({});
      await cp(source, root, { recursive: true, filter: (path) => !path.includes("node_modules") && !path.includes(".fleet") });
      return root;
    },
  };
}
