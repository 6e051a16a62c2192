import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readChartArchive } from "./chart-archive.ts";

/** A chart archive made by the system's tar, as `helm package` would make it (a gzip tar of `<chart>/…`). */
function tarChart(files: Record<string, string>, format: "gnu" | "pax"): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), "flux-fleet-chart-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  execFileSync("tar", [
    `--format=${format}`,
    "-czf",
    join(dir, "chart.tgz"),
    "-C",
    dir,
    ...Object.keys(files)
      .map((p) => p.split("/")[0]!)
      .filter((v, i, a) => a.indexOf(v) === i),
  ]);
  return readFileSync(join(dir, "chart.tgz"));
}

describe("readChartArchive", () => {
  it.each(["gnu", "pax"] as const)(
    "reads Chart.yaml, values.yaml and values.schema.json at the top of a %s tar, not a subchart's",
    (format) => {
      const long = `demo/templates/${"x".repeat(120)}.yaml`;
      const files = readChartArchive(
        tarChart(
          {
            "demo/Chart.yaml": "name: demo\nversion: 1.0.0\n",
            "demo/values.yaml": "a: 1\n",
            "demo/values.schema.json": "{}",
            "demo/charts/sub/values.yaml": "b: 2\n",
            [long]: "kind: x\n",
          },
          format,
        ),
      );
      expect(files).toEqual({ chartYaml: "name: demo\nversion: 1.0.0\n", valuesYaml: "a: 1\n", schemaJson: "{}" });
    },
  );

  it("refuses data that is not gzip", () => {
    expect(() => readChartArchive(new TextEncoder().encode("<html>"))).toThrow("the chart archive is not gzip data");
  });

  it("refuses an archive without Chart.yaml", () => {
    expect(() => readChartArchive(gzipSync(new Uint8Array(1024)))).toThrow("the archive holds no <chart>/Chart.yaml");
  });
});
