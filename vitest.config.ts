import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "internal/*/test/**/*.test.ts", "fleet/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
