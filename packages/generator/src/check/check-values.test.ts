import { describe, expect, it } from "vitest";
import { createNamespace } from "@flux-fleet/models";
import { checkCarriableString, checkPlainValue } from "./check-values.ts";

/** What a kubernetes-models class instance is to the check: not a plain object, but one that says how it serialises. */
class ModelInstance {
  readonly apiVersion = "v1";
  readonly kind = "Namespace";
  readonly metadata: { name: string };
  constructor(name: string) {
    this.metadata = { name };
  }
  toJSON() {
    return { apiVersion: this.apiVersion, kind: this.kind, metadata: this.metadata };
  }
}

const paths = (value: unknown, options?: { models?: boolean }) => checkPlainValue(value, "values", options).map((p) => p.path);

describe("checkPlainValue", () => {
  it("accepts what YAML carries to Kubernetes: strings, finite numbers, booleans, null, lists, plain objects", () => {
    const shared = { a: 1 };
    expect(
      checkPlainValue({ s: "x", n: -1.5, b: false, z: null, list: [1, "2", [3]], one: shared, two: shared, skipped: undefined }, "values"),
    ).toEqual([]);
  });

  it.each([
    ["NaN", NaN, "is NaN, which YAML writes as .nan"],
    ["Infinity", Infinity, "is Infinity, which YAML writes as .inf"],
    ["-Infinity", -Infinity, "is -Infinity, which YAML writes as -.inf"],
    ["a function", () => 1, "is a function"],
    ["a Symbol", Symbol("s"), "is a Symbol"],
    ["a BigInt", 12n, "is the BigInt 12n"],
    ["a Date", new Date(0), "is a Date instance"],
    ["a Map", new Map(), "is a Map instance"],
  ])("refuses %s, naming its path", (_name, value, message) => {
    const [problem, ...rest] = checkPlainValue({ deep: { field: value } }, "values");
    expect(rest).toEqual([]);
    expect(problem?.path).toBe("values.deep.field");
    expect(problem?.message).toContain(message);
  });

  it("refuses undefined inside a list, which YAML would write as null", () => {
    expect(paths({ hosts: ["a", undefined] })).toEqual(["values.hosts[1]"]);
  });

  it("refuses a cycle, naming where it loops back to", () => {
    const loop: Record<string, unknown> = {};
    loop["child"] = { back: loop };
    expect(checkPlainValue({ loop }, "values")).toEqual([
      {
        path: "values.loop.child.back",
        message: "refers back to values.loop (a cycle), which YAML cannot write: build a copy without the loop.",
      },
    ]);
  });

  it("checks models as what they serialise to only where models are allowed", () => {
    expect(paths([new ModelInstance("a")], { models: true })).toEqual([]);
    expect(paths([new ModelInstance("a")])).toEqual(["values[0]"]);
    // @flux-fleet/models' create functions return plain objects, which are plain values anywhere.
    expect(paths([createNamespace({ name: "a" })])).toEqual([]);
  });

  it("quotes keys that are not identifiers and escapes what a terminal would hide", () => {
    expect(paths({ "a.b": NaN, "x\u007f": 1 })).toEqual(['values["a.b"]', 'values["x\\u007f"]']);
  });

  it("keeps a __proto__ key as data and checks its value", () => {
    expect(paths(JSON.parse('{"__proto__": {"n": 1}}'))).toEqual([]);
    expect(checkPlainValue({ ["__proto__"]: { n: NaN } }, "values").map((p) => p.path)).toEqual(["values.__proto__.n"]);
  });
});

describe("checkCarriableString", () => {
  it.each(["plain", "tab\there", "new\nline", "nul\u0000", "bell\u0007", "bom\ufeff", "no-break\u00a0space", "emoji 😀", "é"])(
    "accepts %j, which the emitter writes so kustomize reads it back",
    (value) => {
      expect(checkCarriableString(value)).toBeUndefined();
    },
  );

  it.each([
    ["a\u007fb", "U+007F (DEL)"],
    ["a\u0080b", "U+0080 (a C1 control character)"],
    ["a\u0085b", "U+0085 (NEXT LINE)"],
    ["a\u2028b", "U+2028 (LINE SEPARATOR)"],
    ["a\u2029b", "U+2029 (PARAGRAPH SEPARATOR)"],
    ["a\ufffeb", "U+FFFE (a noncharacter)"],
    ["a\ud83d", "a lone UTF-16 surrogate"],
    ["\ude00b", "a lone UTF-16 surrogate"],
  ])("refuses %j: it holds %s", (value, named) => {
    expect(checkCarriableString(value)).toContain(named);
  });
});
