import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateVendoredModules } from "../scripts/generate-types.ts";

describe("the committed values modules", () => {
  it("are what scripts/generate-types.ts produces from vendor/ (run `pnpm --filter @flux-fleet/charts generate-types`)", async () => {
    const modules = await generateVendoredModules();
    expect([...modules.keys()]).toEqual([
      "src/generated/cert-manager-v1.21.1.ts",
      "src/generated/ingress-nginx-4.15.1.ts",
      "src/generated/podinfo-6.14.1.ts",
    ]);
    for (const [path, text] of modules) expect(readFileSync(new URL(`../${path}`, import.meta.url), "utf8"), path).toBe(text);
  });

  it("say where they come from and that an inferred schema was inferred", async () => {
    const modules = await generateVendoredModules();
    expect(modules.get("src/generated/podinfo-6.14.1.ts")).toContain('"source": "inferred"');
    expect(modules.get("src/generated/podinfo-6.14.1.ts")).toContain("Inferred by flux-fleet from the chart's default values.yaml");
    expect(modules.get("src/generated/cert-manager-v1.21.1.ts")).toContain('"source": "chart"');
  });
});
