import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "internal/*/test/**/*.test.ts", "fleet/**/*.test.ts"],
    testTimeout: 60_000,
    // beforeAll hooks run gen or build fixture repositories: on a loaded machine they take longer than the 10 s default.
    hookTimeout: 60_000,
    // Most integration tests wait on child processes (the CLI, kustomize, pnpm in the pack test), so twice as many
    // test files as cores keep the cores busy: on 2 cores the suite takes about 170 s instead of 225 s with one
    // worker (vitest's default of cores - 1).
    maxWorkers: availableParallelism() * 2,
  },
});
