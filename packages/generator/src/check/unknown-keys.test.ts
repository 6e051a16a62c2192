import { describe, expect, it } from "vitest";
import { didYouMean, unknownKeyMessage } from "./unknown-keys.ts";

describe("didYouMean", () => {
  it.each([
    ["hots", ["version", "host", "replicas"], "host"],
    ["Production", ["name", "production"], "production"],
    ["namepsace", ["name", "namespace"], "namespace"],
    ["replica", ["replicas", "values"], "replicas"],
    ["shardd", ["name", "profile", "overrides"], undefined],
    ["x", [], undefined],
  ] as const)("suggests for %j among %j: %j", (key, known, expected) => {
    expect(didYouMean(key, known)).toBe(expected);
  });
});

describe("unknownKeyMessage", () => {
  it("names the key, the suggestion and every known key", () => {
    expect(unknownKeyMessage("hots", "override", ["version", "host"])).toBe(
      'Unknown override "hots" (did you mean "host"?): use one of "version", "host".',
    );
    expect(unknownKeyMessage("shardd", "defineCluster option", ["name", "profile"])).toBe(
      'Unknown defineCluster option "shardd": use one of "name", "profile".',
    );
  });
});
