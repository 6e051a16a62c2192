import { describe, expect, it } from "vitest";
import { mergePatch } from "./merge-patch.ts";

describe("mergePatch", () => {
  it("merges objects key by key and replaces lists, as kustomize patches a custom resource", () => {
    expect(mergePatch({ spec: { values: { a: 1, hosts: ["x", "y"] } } }, { spec: { values: { b: 2, hosts: ["z"] } } })).toEqual({
      spec: { values: { a: 1, b: 2, hosts: ["z"] } },
    });
  });

  it("deletes a key the patch sets to null", () => {
    expect(mergePatch({ spec: { suspend: true, interval: "5m" } }, { spec: { suspend: null } })).toEqual({ spec: { interval: "5m" } });
  });

  it("leaves the target untouched", () => {
    const target = { spec: { a: { b: 1 } } };
    mergePatch(target, { spec: { a: { b: 2 } } });
    expect(target).toEqual({ spec: { a: { b: 1 } } });
  });
});
