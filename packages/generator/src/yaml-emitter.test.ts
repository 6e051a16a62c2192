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
});

describe("parseYamlDocuments", () => {
  it("reports a parse error with its line", () => {
    const { problems } = parseYamlDocuments("a: 1\nb: [\n");
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]?.line).toBeGreaterThanOrEqual(2);
  });
});
