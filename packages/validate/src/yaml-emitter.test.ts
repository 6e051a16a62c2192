import { describe, expect, it } from "vitest";
import { parseYamlDocuments, stringifyDocuments } from "./yaml-emitter.ts";

describe("stringifyDocuments", () => {
  it("puts apiVersion, kind, metadata and spec first, joins documents and ends with a newline", () => {
    const text = stringifyDocuments(
      [
        { spec: { b: 1 }, extra: true, kind: "A", metadata: { name: "a" }, apiVersion: "v1" },
        { apiVersion: "v1", kind: "B", metadata: { name: "b" } },
      ],
      ["Generated."],
    );
    expect(text).toBe(
      "# Generated.\napiVersion: v1\nkind: A\nmetadata:\n  name: a\nspec:\n  b: 1\nextra: true\n---\napiVersion: v1\nkind: B\nmetadata:\n  name: b\n",
    );
  });

  it("writes a shared object twice instead of as an anchor and alias", () => {
    const shared = { name: "cluster-kubeconfig" };
    const text = stringifyDocuments([{ apiVersion: "v1", kind: "A", metadata: { name: "a" }, spec: { one: shared, two: shared } }], []);
    expect(text).not.toMatch(/[&*]a\d/);
    expect(text.match(/name: cluster-kubeconfig/g)).toHaveLength(2);
  });

  it("quotes what YAML would misread and never folds long lines", () => {
    const long = "x".repeat(300);
    const text = stringifyDocuments(
      [{ apiVersion: "v1", kind: "A", metadata: { name: "a" }, spec: { version: ">=1.0.0", any: "*", on: "yes", long } }],
      [],
    );
    expect(text).toContain('version: ">=1.0.0"');
    expect(text).toContain('any: "*"');
    expect(text).toContain(`long: ${long}\n`);
    expect(parseYamlDocuments(text).documents).toEqual([
      { apiVersion: "v1", kind: "A", metadata: { name: "a" }, spec: { version: ">=1.0.0", any: "*", on: "yes", long } },
    ]);
  });
  it("quotes misread keys and values at any depth, in lists and nested lists too", () => {
    const spec = { on: ["y", { off: "1_000", n: 2, list: [["2002-12-14", "\ufeff", null, true]] }] };
    const text = stringifyDocuments([{ apiVersion: "v1", kind: "A", metadata: { name: "a" }, spec }], []);
    expect(text).toBe(
      [
        "apiVersion: v1",
        "kind: A",
        "metadata:",
        "  name: a",
        "spec:",
        '  "on":',
        '    - "y"',
        '    - "off": "1_000"',
        '      "n": 2',
        "      list:",
        '        - - "2002-12-14"',
        '          - "\\ufeff"',
        "          - null",
        "          - true",
        "",
      ].join("\n"),
    );
    expect(parseYamlDocuments(text).documents).toEqual([{ apiVersion: "v1", kind: "A", metadata: { name: "a" }, spec }]);
  });
});

describe("parseYamlDocuments", () => {
  it("reports a parse error with its line", () => {
    const { problems } = parseYamlDocuments("a: 1\nb: [\n");
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it("names a duplicate key and its line", () => {
    const { documents, problems } = parseYamlDocuments("a: 1\nb:\n  color: 2\n  color: 3\n");
    expect(documents).toEqual([]);
    expect(problems).toEqual([{ message: 'duplicate key "color": each key may appear once in a mapping', line: 4 }]);
  });

  it("names a quoted duplicate key without its quotes", () => {
    expect(parseYamlDocuments('"a b": 1\n"a b": 2\n').problems[0]?.message).toBe(
      'duplicate key "a b": each key may appear once in a mapping',
    );
  });

  it("refuses an alias bomb as a problem of its document instead of expanding it", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x]",
      ...["b", "c", "d", "e", "f"].map((key, i) => `${key}: &${key} [${Array(9).fill(`*${"abcde"[i]}`).join(", ")}]`),
    ];
    const { documents, problems } = parseYamlDocuments(`ok: 1\n---\n${bomb.join("\n")}\n`);
    expect(documents).toEqual([{ ok: 1 }]);
    expect(problems).toEqual([
      {
        message: "its aliases expand to more than 100 nodes, as a YAML alias bomb does: write the values out or use fewer aliases",
        line: 2,
      },
    ]);
  });

  it("still reads a few aliases", () => {
    expect(parseYamlDocuments("a: &a { x: 1 }\nb: *a\n").documents).toEqual([{ a: { x: 1 }, b: { x: 1 } }]);
  });
});
