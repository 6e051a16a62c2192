import { describe, expect, it } from "vitest";
import { compileFastRule, type FastExpr } from "./cel-fast.ts";
import { precompileCelRule } from "./cel-precompile.ts";
import { compileCelRules, toCelValue, type CelRuleSet, type CelRuleSpec } from "./cel-rules.ts";
import type { JsonSchema } from "./strict-schema.ts";

/** What a rule gives on `self`: `true`, `false`, `"error"` (the library's evaluation error) or `undefined` (undecided). */
type Answer = boolean | "error" | undefined;

/** The rule alone on a schema, evaluated with the library as cel-rules.ts evaluates rules that are not precompiled. */
function withLibrary(schema: JsonSchema, spec: CelRuleSpec): CelRuleSet {
  return compileCelRules({ ...schema, "x-kubernetes-validations": [spec] });
}

/** A rule's answer on `self` from what validation reports. */
function answerOf(rules: CelRuleSet, self: unknown): Answer {
  const { problems, unevaluated } = rules.evaluate(self);
  expect(unevaluated).toEqual([]);
  if (problems.length === 0) return true;
  return problems[0]?.evaluationError === true ? "error" : false;
}

/** The precompiled form of a rule written here, as the build makes it. */
function fastExpr(rule: string): { expr: FastExpr; reads: ReadonlySet<string> | undefined } {
  const entry = precompileCelRule({ rule });
  if (entry.kind !== "ready" || entry.expr === undefined) throw new Error(`"${rule}" is not in the subset: ${JSON.stringify(entry)}`);
  return { expr: entry.expr, reads: entry.reads === null ? undefined : new Set(entry.reads) };
}

/** A value as a test name shows it: bigints, functions and undefined spelled out. */
function show(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) =>
      typeof v === "bigint" ? `${v}n` : typeof v === "function" ? "<function>" : v === undefined ? "<undefined>" : v,
    ) ?? "<undefined>"
  );
}

const INT = { type: "integer" };

describe("compileFastRule", () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>, Answer, Answer]>([
    // `||` and `&&` as the library runs them: an operand that decides wins over errors on either side.
    ["self.missing == 'a' || true", {}, {}, true, true],
    ["true || self.missing == 'a'", {}, {}, true, true],
    ["self.missing == 'a' && false", {}, {}, false, false],
    ["false && self.missing == 'a'", {}, {}, false, false],
    ["self.missing == 'a' || false", {}, {}, undefined, "error"],
    ["self.missing == 'a' && true", {}, {}, undefined, "error"],
    ["self.s || true", { s: "x" }, {}, true, true],
    ["self.s || false", { s: "x" }, {}, undefined, "error"],
    ["!self.s || true", { s: "x" }, {}, true, true],
    ["!self.s", { s: "x" }, {}, undefined, "error"],
    // int64 overflow is an error; the evaluator leaves it (and what contains it) to the library.
    ["self.n + 1 > 0", { n: 9223372036854775807n }, { n: INT }, undefined, "error"],
    ["self.n + 1 > 0 || true", { n: 9223372036854775807n }, { n: INT }, undefined, true],
    ["self.n + 1 > 0", { n: 9223372036854775806n }, { n: INT }, true, true],
    ["self.n == -9223372036854775808", { n: -9223372036854775808n }, { n: INT }, true, true],
    ["self.n == 1", { n: 1.5 }, { n: { type: "number" } }, undefined, false],
    // size() of a string counts code points.
    ["size(self.s) == 2", { s: "😀é" }, {}, true, true],
    ["self.s.size() == 2", { s: "\uD800x" }, {}, true, true],
    ["size(self.l) == 2", { l: [1, "a"] }, {}, true, true],
    ["size(self.m) == 1", { m: { a: 1 } }, {}, undefined, true],
    ["size(self.n) == 1", { n: 1 }, { n: INT }, undefined, "error"],
    // Equality only between values of one scalar type; the library's answers across types are left to it.
    ["self.s == 'a'", { s: 5 }, {}, undefined, false],
    ["self.s != 'a'", { s: null }, {}, undefined, true],
    ["self.s == 'a'", { s: ["a"] }, {}, undefined, false],
    ["self.b == true", { b: true }, {}, true, true],
    // Presence: a null value is not present, and has() on what is not a map is false.
    ["has(self.s)", { s: null }, {}, false, false],
    ["has(self.s)", { s: "" }, {}, true, true],
    ["has(self.s.x)", { s: "str" }, {}, false, false],
    ["has(self.s.x)", { s: ["x"] }, {}, false, false],
    ["has(self.s.x)", {}, {}, undefined, "error"],
    ["self.s.x == 'a' || true", { s: "str" }, {}, true, true],
    // Values the library cannot read make it throw: the evaluator does not decide.
    ["has(self.s)", { s: () => 1 }, {}, undefined, "error"],
    ["has(self.t) || has(self.s)", { s: Symbol("s"), t: {} }, {}, true, true],
    ["has(self.s) || has(self.t)", { s: Symbol("s"), t: {} }, {}, undefined, "error"],
    // Comprehensions, with the macros' accumulator and loop condition.
    ["self.l.all(a, a.n == 'x')", { l: [{}, { n: "y" }] }, {}, false, false],
    ["self.l.all(a, a.n == 'x')", { l: [{ n: "y" }, {}] }, {}, false, false],
    ["self.l.all(a, a.n == 'x')", { l: [{}, { n: "x" }] }, {}, undefined, "error"],
    ["self.l.all(a, a.n == 'x')", { l: [{ n: "x" }] }, {}, true, true],
    ["self.l.all(a, a.n == 'x')", { l: [] }, {}, true, true],
    ["self.l.all(a, a.n == 'x')", { l: "str" }, {}, undefined, "error"],
    ["self.l.all(a, a == 'x')", { l: { x: 1 } }, {}, undefined, true],
    ["self.l.all(a, a.n == 'x')", { l: [{ n: "y" }, () => 1] }, {}, undefined, "error"],
    ["self.l.all(a, a.n == 'x')", { l: [{ n: "y" }, undefined] }, {}, undefined, "error"],
    ["self.l.exists(a, a == 'x')", { l: ["y", "x"] }, {}, true, true],
    ["self.l.exists(a, a == 'x')", { l: ["y", 1] }, {}, undefined, false],
    ["self.l.exists_one(a, a == 'x')", { l: ["x", "x"] }, {}, false, false],
    ["self.l.exists(self, self == 'x')", { l: ["x"] }, {}, true, true],
    // The conditional needs a bool condition.
    ["(self.b ? 1 : 0) == 1", { b: true }, {}, true, true],
    ["(self.b ? 1 : 0) == 1", { b: "x" }, {}, undefined, "error"],
    // matches() is RE2's unanchored search; `$` is the end of the text only.
    ["self.s.matches('^a+$')", { s: "aaa" }, {}, true, true],
    ["self.s.matches('^a+$')", { s: "a\n" }, {}, false, false],
    ["self.s.matches('b')", { s: "abc" }, {}, true, true],
    ["self.s.matches('^[a-z]$')", { s: "é" }, {}, false, false],
    ["self.s.matches('^a')", { s: 1 }, {}, undefined, "error"],
  ])("%s on %s", (rule, self, properties, fast, library) => {
    const schema = { type: "object", properties };
    const { expr, reads } = fastExpr(rule);
    expect(compileFastRule(expr)(toCelValue(self, schema, reads)), "the evaluator's answer").toBe(fast);
    expect(answerOf(withLibrary(schema, { rule }), self), "the library's answer").toBe(library);
  });

  it("never throws, even on a tree it does not know", () => {
    const broken = compileFastRule(["int", "9223372036854775808"]);
    expect(broken({})).toBeUndefined();
    expect(compileFastRule(["matches", ["var", "self"], "("])("x")).toBeUndefined();
  });
});

describe("the precompiled form of a rule", () => {
  it.each([
    ["self == oldSelf", { kind: "transition" }],
    [
      "isURL(self.url)",
      { kind: "unsupported", reason: "it calls isURL(), which the CEL library flux-fleet uses (@bufbuild/cel) does not provide" },
    ],
    ["self.name.startsWith('web')", { kind: "ready", reads: ["name"], messageProgram: false, library: "it calls startsWith()" }],
    ["self.n - 1 > 0", { kind: "ready", reads: ["n"], messageProgram: false, library: "it calls _-_()" }],
    ["self.l.map(x, x) == self.l", { kind: "ready", reads: ["l"], messageProgram: false, library: "it builds a listExpr expression" }],
    ["self.x == 1.5", { kind: "ready", reads: ["x"], messageProgram: false, library: "it has a literal of type doubleValue" }],
    ["self.l.all(k, v, v > 0)", { kind: "unsupported" }],
  ])("of %s is classified as the library classifies it at run time", (rule, entry) => {
    const found = precompileCelRule({ rule });
    expect(found).toMatchObject(entry);
    if (found.kind !== "unsupported") return;
    // The reason is the one the run time reports for the same rule with the library.
    const schema = { type: "object", "x-kubernetes-validations": [{ rule }] };
    expect(
      compileCelRules(schema)
        .evaluate({})
        .unevaluated.map((u) => u.reason),
    ).toEqual([found.reason]);
  });

  const SAMPLES = ["", "a", "aa", "ab", "a.b", "a-b", "-a", "a-", "A", "a\n", "\na", "a b", "é", "😀a", "\uD800a", "ab.cd-e", "{", "a{2}"];

  it.each([
    [
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
      "^[a-z0-9](?:[\\-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[\\-a-z0-9]*[a-z0-9])?)*$",
    ],
    ["a{2,3}", "a{2,3}"],
    ["x{2,}|a{1}", "x{2,}|a{1}"],
    ["(?:ab)+|c", "(?:ab)+|c"],
    ["[a\\-z]", "[a\\-z]"],
    ["[a-]", "[a\\-]"],
    ["^$", "^$"],
    ["a|", "a|"],
    ["\\.\\{\\-", "\\.\\{-"],
    ["b", "b"],
  ])("accepts the regular expression %s where RE2 and JavaScript agree", (pattern, source) => {
    const rule = `self.s.matches('${pattern.replaceAll("\\", "\\\\")}')`;
    const { expr } = fastExpr(rule);
    expect(expr).toEqual(["matches", ["sel", ["var", "self"], "s"], source]);
    const library = withLibrary({ type: "object", properties: { s: { type: "string" } } }, { rule });
    for (const s of SAMPLES) expect(compileFastRule(expr)({ s }), show(s)).toBe(answerOf(library, { s }));
  });

  it.each([
    ".",
    "\\d",
    "\\w",
    "\\s",
    "\\b",
    "\\pL",
    "(?i)a",
    "(?P<n>a)",
    "[^a]",
    "a*?",
    "a**",
    "a{1001}",
    "a{,2}",
    "a{",
    "é",
    "[[:alpha:]]",
    "[]a]",
    "[a-z-0]",
    "a\\1",
    "(a",
    "a)",
  ])("leaves the regular expression %s to the library", (pattern) => {
    const entry = precompileCelRule({ rule: `self.s.matches('${pattern.replaceAll("\\", "\\\\")}')` });
    expect(entry).toMatchObject({ kind: "ready", reads: ["s"] });
    expect(entry.kind === "ready" && entry.expr).toBe(undefined);
  });
});
