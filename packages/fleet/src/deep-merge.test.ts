import { describe, expect, it } from "vitest";
import { deepMerge } from "./deep-merge.ts";

describe("deepMerge", () => {
  it("merges plain objects key by key, recursively", () => {
    expect(deepMerge({ a: { b: 1, c: 2 }, d: 3 }, { a: { b: 10 } })).toEqual({ a: { b: 10, c: 2 }, d: 3 });
  });

  it("replaces arrays instead of concatenating them", () => {
    expect(deepMerge({ hosts: [{ host: "a" }, { host: "b" }] }, { hosts: [{ host: "c" }] })).toEqual({ hosts: [{ host: "c" }] });
  });

  it.each([
    ["a scalar over an object", { a: { b: 1 } }, { a: 5 }, { a: 5 }],
    ["an object over a scalar", { a: 5 }, { a: { b: 1 } }, { a: { b: 1 } }],
    ["null over a value", { a: 1 }, { a: null }, { a: null }],
    ["a new key", { a: 1 }, { b: 2 }, { a: 1, b: 2 }],
  ])("lets the overlay win for %s", (_name, base, overlay, expected) => {
    expect(deepMerge<Record<string, unknown>>(base, overlay as Record<string, unknown>)).toEqual(expected);
  });

  it("keeps the base value where the overlay holds undefined", () => {
    expect(deepMerge({ a: 1, b: 2 }, { a: undefined, b: 3 })).toEqual({ a: 1, b: 3 });
  });

  it("leaves both inputs untouched", () => {
    const base = { a: { b: 1 } };
    const overlay = { a: { c: 2 } };
    const merged = deepMerge<Record<string, unknown>>(base, overlay);
    expect(merged).toEqual({ a: { b: 1, c: 2 } });
    expect(base).toEqual({ a: { b: 1 } });
    expect(overlay).toEqual({ a: { c: 2 } });
  });

  it("rejects class instances such as models", () => {
    class Model {
      spec = { a: 1 };
    }
    expect(() => deepMerge<unknown>({ m: new Model() }, { m: { spec: { a: 2 } } })).toThrow(
      "plain objects only, but the base holds a Model instance",
    );
  });

  it.each([
    ["only the overlay has it", '{"a": 1}', '{"__proto__": {"x": 1}}', '{"a":1,"__proto__":{"x":1}}'],
    ["only the base has it", '{"__proto__": {"x": 1}}', '{"a": 1}', '{"__proto__":{"x":1},"a":1}'],
    ["both have it", '{"__proto__": {"x": 1, "y": 2}}', '{"__proto__": {"y": 3}}', '{"__proto__":{"x":1,"y":3}}'],
    ["it is nested", '{"a": {"b": 1}}', '{"a": {"__proto__": {"polluted": true}}}', '{"a":{"b":1,"__proto__":{"polluted":true}}}'],
    [
      "constructor and prototype keys",
      '{"constructor": {"a": 1}}',
      '{"constructor": {"b": 2}, "prototype": 3}',
      '{"constructor":{"a":1,"b":2},"prototype":3}',
    ],
  ])("keeps a __proto__ key as data when %s, and pollutes no prototype", (_name, base, overlay, expected) => {
    const merged = deepMerge<Record<string, unknown>>(
      JSON.parse(base) as Record<string, unknown>,
      JSON.parse(overlay) as Record<string, unknown>,
    );
    expect(JSON.stringify(merged)).toBe(expected);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});
