import { describe, expect, it } from "vitest";
import { buildConcurrency } from "./kustomize-builds.ts";

const GIB = 2 ** 30;

describe("buildConcurrency", () => {
  it.each([
    ["four builds per core when memory is plenty", { cores: 2, freeBytes: 20 * GIB, maxRssBytes: GIB }, 8],
    ["no more builds than free memory holds at the memory bound", { cores: 2, freeBytes: 3.5 * GIB, maxRssBytes: GIB }, 3],
    [
      "more builds when each may use less memory (FLUX_FLEET_KUSTOMIZE_MEMORY)",
      { cores: 2, freeBytes: 3.5 * GIB, maxRssBytes: GIB / 4 },
      8,
    ],
    ["one build at least, even when memory is short", { cores: 8, freeBytes: GIB / 2, maxRssBytes: GIB }, 1],
  ])("runs %s", (_what, machine, expected) => {
    expect(buildConcurrency(machine)).toBe(expected);
  });
});
