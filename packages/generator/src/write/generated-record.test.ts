import { describe, expect, it } from "vitest";
import { compressEditIn, editInOf, parseRecord, serializeRecord } from "./generated-record.ts";

const HASH = "0".repeat(64);

/** A fleet's files as gen writes them: most spokes in one file, some elsewhere, bases from several files. */
function fleetFiles(spokes: number, seed: number): Map<string, string> {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const files = new Map<string, string>();
  for (const layer of ["tenants", "infra-controllers", "infra-configs", "apps"]) {
    files.set(`deploy/${layer}/kustomization.yaml`, "fleet/fleet.ts");
    files.set(`deploy/${layer}/${layer}.yaml`, random() < 0.5 ? "fleet/components.ts" : "fleet/tenants.ts");
  }
  for (let i = 0; i < spokes; i++) {
    const file = random() < 0.8 ? "fleet/clusters.ts" : `fleet/region-${Math.floor(random() * 3)}.ts`;
    for (const layer of ["tenants", "apps"]) files.set(`clusters/spoke-${i}/${layer}/kustomization.yaml`, file);
    if (random() < 0.3) files.set(`clusters/spoke-${i}/apps/podinfo-values.yaml`, "fleet/overrides.ts");
    files.set(`hub/spoke-${i}.yaml`, file);
  }
  files.set("hub/flux-system/kustomization.yaml", "fleet/fleet.ts");
  return files;
}

describe("the record's editIn entries", () => {
  it.each([1, 7, 42, 99])("give every file back the fleet file it was given (fleet %i)", (seed) => {
    const files = fleetFiles(60, seed);
    const entries = compressEditIn(files);
    for (const [path, editIn] of files) expect([path, editInOf(entries, path)]).toEqual([path, editIn]);
    expect(entries.size).toBeLessThan(files.size / 3);
  });

  it("cover a thousand spokes defined in one file with one entry", () => {
    const files = new Map<string, string>();
    for (let i = 0; i < 1000; i++) {
      files.set(`clusters/spoke-${i}/apps/kustomization.yaml`, "fleet/clusters.ts");
      files.set(`hub/spoke-${i}.yaml`, "fleet/clusters.ts");
    }
    files.set("hub/flux-system/kustomization.yaml", "fleet/fleet.ts");
    expect(Object.fromEntries(compressEditIn(files))).toEqual({
      "clusters/": "fleet/clusters.ts",
      "hub/": "fleet/clusters.ts",
      "hub/flux-system/": "fleet/fleet.ts",
    });
  });

  it("are written to the record and read back, for the recorded files only", () => {
    const files = new Map([
      ["hub/staging.yaml", "fleet/clusters.ts"],
      ["hub/flux-system/kustomization.yaml", "fleet/fleet.ts"],
    ]);
    const record = serializeRecord(new Map([...files.keys()].map((path) => [path, HASH])), new Map(), new Map(), { shards: [] }, files);
    const { editIn } = parseRecord(record);
    expect(editIn("hub/staging.yaml")).toBe("fleet/clusters.ts");
    expect(editIn("hub/flux-system/kustomization.yaml")).toBe("fleet/fleet.ts");
    // A file gen did not record (a bootstrap placeholder, a hand-kept file) names no fleet file.
    expect(editIn("hub/flux-system/gotk-components.yaml")).toBeUndefined();
    expect(editIn("hub/production.yaml")).toBeUndefined();
  });

  it("are optional: a record written before them names no fleet file", () => {
    const record = serializeRecord(new Map([["hub/staging.yaml", HASH]]));
    expect(record).not.toContain("editIn");
    expect(parseRecord(record).editIn("hub/staging.yaml")).toBeUndefined();
  });
});
