import { describe, expect, it } from "vitest";
import { deepEqual, diffFields, diffViews, HIDDEN } from "./diff-views.ts";
import type { FleetView } from "./spoke-view.ts";

describe("diffFields", () => {
  it.each([
    ["a changed leaf", { a: { b: 1 } }, { a: { b: 2 } }, [{ path: "a.b", before: 1, after: 2 }]],
    ["an added key", { a: {} }, { a: { b: "x" } }, [{ path: "a.b", after: "x" }]],
    ["a removed key", { a: { b: "x" } }, { a: {} }, [{ path: "a.b", before: "x" }]],
    ["an array item", { a: [{ h: "x" }] }, { a: [{ h: "y" }] }, [{ path: "a[0].h", before: "x", after: "y" }]],
    ["a longer array", { a: [1] }, { a: [1, 2] }, [{ path: "a[1]", after: 2 }]],
    [
      "a key that is not a name",
      { "app.kubernetes.io/name": "a" },
      { "app.kubernetes.io/name": "b" },
      [{ path: '["app.kubernetes.io/name"]', before: "a", after: "b" }],
    ],
    ["a nested key that is not a name", { l: { "a/b": 1 } }, { l: { "a/b": 2 } }, [{ path: 'l["a/b"]', before: 1, after: 2 }]],
    ["a value that changes type", { a: { b: 1 } }, { a: [1] }, [{ path: "a", before: { b: 1 }, after: [1] }]],
    ["equal values in another key order", { a: 1, b: 2 }, { b: 2, a: 1 }, []],
  ])("reports %s", (_name, before, after, expected) => {
    expect(diffFields(before, after)).toEqual(expected);
  });
});

describe("deepEqual", () => {
  it.each<[string, unknown, unknown, boolean]>([
    ["equal objects in another key order", { a: 1, b: { c: [1, "x"] } }, { b: { c: [1, "x"] }, a: 1 }, true],
    ["a changed nested leaf", { a: { b: [1, 2] } }, { a: { b: [1, 3] } }, false],
    ["an added key", { a: 1 }, { a: 1, b: 2 }, false],
    ["a key set to undefined against none", { a: undefined }, { b: undefined }, false],
    ["an array against an object with its indexes", [1], { 0: 1 }, false],
    ["null against an empty object", null, {}, false],
    ["a number against its string", 1, "1", false],
    ["NaN against NaN (YAML's .nan)", Number.NaN, Number.NaN, true],
  ])("compares %s", (_name, a, b, equal) => {
    expect(deepEqual(a, b)).toBe(equal);
    expect(deepEqual(b, a)).toBe(equal);
  });
});

describe("diffViews", () => {
  const view = (secret: Record<string, unknown>): FleetView => ({
    spokes: [
      {
        name: "staging",
        layers: [{ name: "apps", appliesTo: "spoke", identity: {}, dependsOn: [], path: "clusters/staging/apps", objects: [] }],
      },
    ],
    applied: new Map([
      [
        "staging",
        new Map([
          [
            "apps",
            new Map([
              ["Secret/staging/token", { apiVersion: "v1", kind: "Secret", metadata: { name: "token", namespace: "staging" }, ...secret }],
            ]),
          ],
        ]),
      ],
    ]),
  });

  it("hides the values of a Secret's data and names the keys that changed", () => {
    const [staging] = diffViews(
      view({ data: { token: "b2xk" }, type: "Opaque" }),
      view({ data: { token: "bmV3", extra: "eA==" }, type: "kubernetes.io/basic-auth" }),
    );
    expect(staging?.objects[0]?.fields).toEqual([
      { path: "data.extra", after: HIDDEN },
      { path: "data.token", before: HIDDEN, after: HIDDEN },
      { path: "type", before: "Opaque", after: "kubernetes.io/basic-auth" },
    ]);
  });
});
