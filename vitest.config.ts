import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "internal/*/test/**/*.test.ts", "fleet/**/*.test.ts"],
    testTimeout: 60_000,
    // beforeAll hooks run gen or build fixture repositories: on a loaded machine they take longer than the 10 s default.
    hookTimeout: 60_000,
    // Many integration tests wait on child processes (kustomize, git, the CLI where a process is what is tested, npm
    // and pnpm in the pack test), so twice as many test files as cores keep the cores busy (vitest's default is
    // cores - 1).
    maxWorkers: availableParallelism() * 2,
  },
});
