// Regenerates src/generated/<chart>-<version>.ts from the vendored charts in vendor/: the values schema (the
// chart's own, or inferred from values.yaml) and its TypeScript types. `pnpm --filter @flux-fleet/charts generate-types`.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chartValuesSchema } from "../src/chart-values-schema.ts";
import { renderValuesModule } from "../src/values-module.ts";
import { VENDORED_CHARTS } from "../src/vendored.ts";

const PACKAGE = fileURLToPath(new URL("..", import.meta.url));

/** The generated modules by path relative to the package, computed without writing. */
export async function generateVendoredModules(): Promise<Map<string, string>> {
  const modules = new Map<string, string>();
  for (const { chart, version, repository } of VENDORED_CHARTS) {
    const folder = `vendor/${chart}/${version}`;
    const read = (file: string) =>
      existsSync(`${PACKAGE}${folder}/${file}`) ? readFileSync(`${PACKAGE}${folder}/${file}`, "utf8") : undefined;
    const { source, schema } = chartValuesSchema({ schemaJson: read("values.schema.json"), valuesYaml: read("values.yaml") });
    const text = await renderValuesModule({
      chart,
      version,
      source,
      repository,
      schema,
      importFrom: "../chart-schema.ts",
      generatedFrom: `packages/charts/${folder} by scripts/generate-types.ts`,
    });
    modules.set(`src/generated/${chart}-${version}.ts`, text);
  }
  return modules;
}

if (import.meta.main) {
  for (const [path, text] of await generateVendoredModules()) {
    writeFileSync(`${PACKAGE}${path}`, text);
    console.log(`wrote packages/charts/${path}`);
  }
}
