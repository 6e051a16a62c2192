// ESLint for the whole workspace, run once from the root (`pnpm lint`, turbo task `//#lint`). TypeScript files are
// linted with type information from the nearest tsconfig.json (typescript-eslint's project service).
import js from "@eslint/js";
import vitest from "@vitest/eslint-plugin";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

const YAML_MESSAGE = "write YAML through the emitter module (packages/generator/src/yaml-emitter.ts)";

export default defineConfig(
  {
    ignores: [
      "**/dist/**",
      "**/node_modules/**",
      "**/.turbo/**",
      "coverage/**",
      // Fixture fleets are test input, some deliberately broken (a syntax error, a failing import).
      "packages/*/test/fixtures/**",
      // Written by packages/charts/scripts/generate-types.ts (json-schema-to-typescript output); a test checks them.
      "packages/charts/src/generated/**",
      "fleet/charts/**",
      "deploy/**",
      "clusters/**",
      "hub/**",
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { prefer: "type-imports", fixStyle: "inline-type-imports" }],
      // `_`-prefixed names are unused on purpose, e.g. `const { sops: _metadata, ...rest } = doc` to drop a key.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "yaml", message: YAML_MESSAGE }],
          patterns: [{ group: ["yaml/*"], message: YAML_MESSAGE }],
        },
      ],
    },
  },
  {
    // The emitter is the one module of the generator that imports yaml; @flux-fleet/lifecycle has its own single
    // module for the workflows it renders; @flux-fleet/schemas parses the vendored CRDs with it (reading data), and
    // the bench's floor is by definition plain yaml.stringify; @flux-fleet/charts reads charts' values.yaml in one module.
    files: [
      "packages/generator/src/yaml-emitter.ts",
      "packages/lifecycle/src/yaml.ts",
      "packages/schemas/**",
      "packages/charts/src/chart-values-schema.ts",
      "scripts/bench/floor.ts",
    ],
    rules: { "no-restricted-imports": "off" },
  },
  {
    files: ["**/*.test.ts", "packages/*/test/**/*.ts", "internal/*/test/**/*.ts"],
    plugins: { vitest },
    rules: {
      ...vitest.configs.recommended.rules,
      "vitest/consistent-test-it": ["error", { fn: "it", withinDescribe: "it" }],
      // expect(value, "what it is") names the value in the failure message.
      "vitest/valid-expect": ["error", { maxArgs: 2 }],
      // A hook may assert that the setup it shares worked (the fleet generated) before the tests use it.
      "vitest/no-standalone-expect": ["error", { additionalTestBlockFunctions: ["beforeAll", "beforeEach"] }],
    },
  },
  {
    // Config files outside every tsconfig.json: lint them without type information.
    files: ["*.js", "*.ts"],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
