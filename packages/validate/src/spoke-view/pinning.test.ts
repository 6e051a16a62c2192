import { describe, expect, it } from "vitest";
import { pinningProblem } from "./pinning.ts";

describe("pinningProblem", () => {
  it.each<[string, unknown, "warn" | "strict", string | undefined]>([
    ["an exact version", "1.2.3", "strict", undefined],
    ["a prerelease", "1.2.3-rc.1", "strict", undefined],
    ["a range, on a warning profile", ">=1.0.0", "warn", 'warning: Production cluster "prod" follows the range ">=1.0.0"'],
    ["a range, on a strict profile", "1.x", "strict", 'error: Production cluster "prod" follows the range "1.x"'],
    ["no version (the latest chart)", undefined, "warn", 'warning: Production cluster "prod" follows the latest chart'],
    ["the same range asked again", ">=1.0.0", "warn", 'warning: Production cluster "prod" follows the range ">=1.0.0"'],
  ])("judges %s", (_what, version, pinning, expected) => {
    const problem = pinningProblem("prod", pinning, version);
    expect(problem && `${problem.severity}: ${problem.message.split(":")[0]}`).toBe(expected);
    expect(problem?.message ?? "").toMatch(expected ? /: pin an exact chart version and promote it from staging\.$/ : /^$/);
  });
});
