import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { captureDefinitionSite, userStackFrames } from "./definition-site.ts";

describe("captureDefinitionSite", () => {
  it("skips frames inside the @flux-fleet packages, so a caller inside them gets nothing", () => {
    // This test file lives inside packages/, so every frame up to vitest's own (in node_modules) is skipped.
    expect(captureDefinitionSite()).toBeUndefined();
  });

  it("points at the first caller outside the packages folder", async () => {
    const { mkdtemp, writeFile } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const dir = await mkdtemp(join(tmpdir(), "definition-site-"));
    const file = join(dir, "fleet.mjs");
    const helper = fileURLToPath(new URL("./definition-site.ts", import.meta.url));
    await writeFile(
      file,
      `import { captureDefinitionSite } from ${JSON.stringify(helper)};\n\nexport const site = captureDefinitionSite();\n`,
    );
    const { site } = (await import(file)) as { site: unknown };
    expect(site).toEqual({ file, line: 3 });
  });
});

describe("userStackFrames", () => {
  it("reads call frames and a syntax error's location, skipping Node's internals and node_modules", () => {
    const stack = [
      "file:///home/me/fleet/fleet/fleet.ts:3",
      "SyntaxError: Unexpected token",
      "    at defineThing (/home/me/fleet/node_modules/@flux-fleet/fleet/dist/cluster.js:9:3)",
      "    at file:///home/me/fleet/fleet/clusters.ts:12:20",
      "    at process.processTicksAndRejections (node:internal/process/task_queues:104:5)",
      "    at /home/me/fleet/fleet/tenants.ts:4:1",
    ].join("\n");
    expect(userStackFrames(stack)).toEqual([
      { file: "/home/me/fleet/fleet/fleet.ts", line: 3 },
      { file: "/home/me/fleet/fleet/clusters.ts", line: 12 },
      { file: "/home/me/fleet/fleet/tenants.ts", line: 4 },
    ]);
  });
});
