import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CEL_RULES_FILE, compileFastRule, type FastExpr, type PrecompiledCelRules } from "./cel-fast.ts";
import { precompileCelRule } from "./cel-precompile.ts";
import { compileCelRules, toCelValue, type CelRuleSet, type CelRuleSpec } from "./cel-rules.ts";
import { currentFluxCrds, legacyFluxCrds, thirdPartyCrds } from "./crd-catalog.ts";
import { isMapping } from "./mapping.ts";
import type { JsonSchema } from "./strict-schema.ts";
import { createSchemaValidator } from "./validator.ts";

/** What a rule gives on `self`: `true`, `false`, `"error"` (the library's evaluation error) or `undefined` (undecided). */
type Answer = boolean | "error" | undefined;

/** The rule alone on a schema, evaluated with the library as cel-rules.ts evaluates rules that are not precompiled. */
function withLibrary(schema: JsonSchema, spec: CelRuleSpec): CelRuleSet {
  return compileCelRules({ ...schema, "x-kubernetes-validations": [spec] }, { precompiled: false });
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

// ---------------------------------------------------------------------------------------------------------------
// Differential tests: every rule of compiled-cel/rules.json, at every place a vendored CRD declares it, on inputs
// generated from the fields it reads.

const precompiled = JSON.parse(readFileSync(CEL_RULES_FILE, "utf8")) as PrecompiledCelRules;

/** The schema at a rule's location (`spec.artifacts[*]`). */
function schemaAt(schema: JsonSchema, location: string): JsonSchema {
  let node: unknown = schema;
  for (const segment of location.match(/[^.[{]+|\[\*\]|\{\*\}/g) ?? []) {
    const at = node as JsonSchema;
    node =
      segment === "[*]"
        ? at.items
        : segment === "{*}"
          ? at.additionalProperties
          : isMapping(at.properties)
            ? at.properties[segment]
            : undefined;
  }
  if (!isMapping(node)) throw new Error(`no schema at ${location}`);
  return node;
}

/** The schema without any CEL rule: the rule under test is then the only one that runs. */
function withoutRules(schema: JsonSchema): JsonSchema {
  return JSON.parse(JSON.stringify(schema), (key, value: unknown) =>
    key === "x-kubernetes-validations" ? undefined : value,
  ) as JsonSchema;
}

/** What a rule reads below `self`: a tree of fields, `[]` for a list's items (a comprehension's variable). */
interface Reads {
  fields: Map<string, Reads>;
}

function pathOf(expr: FastExpr, vars: ReadonlyMap<string, string[]>): string[] | undefined {
  if (expr[0] === "var") return vars.get(expr[1]);
  if (expr[0] !== "sel") return undefined;
  const parent = pathOf(expr[1], vars);
  return parent === undefined ? undefined : [...parent, expr[2]];
}

function readsOf(expr: FastExpr, vars: ReadonlyMap<string, string[]>, out: string[][], literals: Set<string>): void {
  if (expr[0] === "str") literals.add(expr[1]);
  if (expr[0] === "sel" || expr[0] === "has") {
    const parent = pathOf(expr[1], vars);
    if (parent !== undefined) out.push([...parent, expr[2]]);
  }
  let inner = vars;
  if (expr[0] === "fold") {
    const range = pathOf(expr[3], vars);
    if (range !== undefined) inner = new Map([...vars, [expr[1], [...range, "[]"]]]);
  }
  for (const part of expr.slice(1)) if (Array.isArray(part)) readsOf(part, inner, out, literals);
}

function readTree(paths: string[][]): Reads {
  const root: Reads = { fields: new Map() };
  for (const path of paths) {
    let node = root;
    for (const segment of path) {
      let next = node.fields.get(segment);
      if (next === undefined) node.fields.set(segment, (next = { fields: new Map() }));
      node = next;
    }
  }
  return root;
}

/** A generated value, and whether it is of the schema's type with the required fields the rule reads present. */
interface Candidate {
  value: unknown;
  valid: boolean;
}

const ABSENT = Symbol("absent");

/** A deterministic pseudo-random sequence (mulberry32), so that a failure can be reproduced. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Combinations of one option per field, at most `cap`: all of them when they are few, otherwise every option of every
 * field at least once (a diagonal) and the rest picked at random.
 */
function combinations<T>(options: T[][], cap: number, next: () => number): T[][] {
  const total = options.reduce((n, o) => n * o.length, 1);
  if (total <= cap) {
    return options.reduce<T[][]>((acc, o) => acc.flatMap((combo) => o.map((option) => [...combo, option])), [[]]);
  }
  const longest = Math.max(...options.map((o) => o.length));
  const out = Array.from({ length: longest }, (_, j) => options.map((o) => o[j % o.length] as T));
  while (out.length < cap) out.push(options.map((o) => o[Math.floor(next() * o.length)] as T));
  return out;
}

const STRINGS = ["", "x", "web", "app.config", "Not_A_Name", "-a", "a-", "a..b", "é", "😀", "a\nb", "\uD800"];
const INTEGERS: unknown[] = [0, 1, -1, 2, 2 ** 53 - 1, 9223372036854775807n, -9223372036854775808n];
/** Values of every type, the wrong ones for a field among them (and two the library cannot read at all). */
const ANY: unknown[] = ["x", 5, 1.5, true, null, [], {}, ["x"], { a: "b" }, 9223372036854775808n, () => 1, [undefined]];

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value))) return "integer";
  return typeof value;
}

function ofType(schema: JsonSchema | undefined, value: unknown): boolean {
  const type = schema?.type;
  if (type === undefined) return typeof value !== "function" && !(Array.isArray(value) && value.includes(undefined));
  if (typeof value === "bigint" && (value > 2n ** 63n - 1n || value < -(2n ** 63n))) return false;
  const actual = typeOf(value);
  return actual === type || (type === "number" && actual === "integer") || (actual === "null" && schema?.nullable === true);
}

function candidates(
  reads: Reads,
  schema: JsonSchema | undefined,
  literals: readonly string[],
  next: () => number,
  cap = { any: 120, valid: 60 },
): Candidate[] {
  const out: Candidate[] = [];
  const item = reads.fields.get("[]");
  if (item !== undefined) {
    const items = candidates(item, isMapping(schema?.items) ? schema.items : undefined, literals, next).slice(0, 24);
    out.push({ value: [], valid: true });
    items.forEach((a, n) => {
      const b = items[(n * 7 + 3) % items.length] as Candidate;
      out.push({ value: [a.value], valid: a.valid }, { value: [a.value, b.value], valid: a.valid && b.valid });
    });
  } else if (reads.fields.size > 0) {
    const properties = isMapping(schema?.properties) ? schema.properties : {};
    const required = Array.isArray(schema?.required) ? schema.required : [];
    const fields = [...reads.fields].map(([name, sub]) => {
      const property = isMapping(properties[name]) ? properties[name] : undefined;
      const absentValid = !required.includes(name) || property?.default !== undefined;
      return { name, options: [{ value: ABSENT, valid: absentValid }, ...candidates(sub, property, literals, next)] };
    });
    // Schema-valid objects, and objects of any kind (most of them invalid somewhere).
    const valid = fields.map((f) => f.options.filter((o) => o.valid));
    const any = fields.map((f) => f.options);
    for (const combo of [...combinations(valid, cap.valid, next), ...combinations(any, cap.any, next)]) {
      const value: Record<string, unknown> = {};
      combo.forEach((c, n) => {
        if (c.value !== ABSENT) value[fields[n]?.name as string] = c.value;
      });
      out.push({ value, valid: combo.every((c) => c.valid) });
    }
  } else {
    const enumerated: unknown[] = Array.isArray(schema?.enum) ? (schema.enum as unknown[]).slice(0, 12) : [];
    const typed =
      schema?.type === "string"
        ? [...STRINGS, ...literals, ...enumerated]
        : schema?.type === "integer"
          ? INTEGERS
          : schema?.type === "boolean"
            ? [true, false]
            : schema?.type === "array"
              ? [[], ["x"], [{}], [{ name: "x" }], ["x", "y"]]
              : schema?.type === "object"
                ? [{}, { name: "x" }, { name: null }, { a: { b: [] } }]
                : ["x", ...literals, 1, {}, []];
    for (const value of typed) out.push({ value, valid: ofType(schema, value) });
  }
  for (const value of ANY) if (!ofType(schema, value)) out.push({ value, valid: false });
  return out;
}

interface Place {
  name: string;
  spec: CelRuleSpec;
  schema: JsonSchema;
  expr: FastExpr;
  reads: ReadonlySet<string> | undefined;
}

/** Every place of every precompiled rule in the vendored CRDs, one per distinct schema. */
function places(): Place[] {
  const found = new Map<string, Place>();
  for (const catalog of [currentFluxCrds(), legacyFluxCrds(), thirdPartyCrds()]) {
    for (const crd of catalog.entries) {
      for (const version of crd.versions) {
        if (version.schema === undefined) continue;
        for (const { location, ...spec } of compileCelRules(version.schema).rules) {
          const entry = precompiled.rules[spec.rule];
          if (entry?.kind !== "ready" || entry.expr === undefined) continue;
          const schema = withoutRules(schemaAt(version.schema, location));
          const key = `${spec.rule}\n${JSON.stringify(schema)}`;
          if (found.has(key)) continue;
          const reads = entry.reads === null ? undefined : new Set(entry.reads);
          found.set(key, { name: `${crd.kind}/${version.name} ${location}: ${spec.rule}`, spec, schema, expr: entry.expr, reads });
        }
      }
    }
  }
  return [...found.values()];
}

describe("every precompiled rule, on inputs generated from the fields it reads", () => {
  const all = places();

  it("covers every rule of compiled-cel/rules.json that has a syntax tree", () => {
    const covered = new Set(all.map((p) => p.spec.rule));
    const fast = Object.entries(precompiled.rules).filter(([, entry]) => entry.kind === "ready" && entry.expr !== undefined);
    expect(fast.map(([rule]) => rule).filter((rule) => !covered.has(rule))).toEqual([]);
  });

  it.each(all.map((place) => [place.name, place] as const))("%s", (_name, place) => {
    const paths: string[][] = [];
    const literals = new Set<string>();
    readsOf(place.expr, new Map([["self", []]]), paths, literals);
    const next = random(0x5eed);
    // Schema-valid objects and objects of any shape; visit() runs no rule on null.
    const inputs = candidates(readTree(paths), place.schema, [...literals], next, { any: 400, valid: 200 }).filter((i) => i.value !== null);
    const fast = compileFastRule(place.expr);
    const withFast = compileCelRules({ ...place.schema, "x-kubernetes-validations": [place.spec] });
    const library = withLibrary(place.schema, place.spec);
    const disagreements: string[] = [];
    const undecided: string[] = [];
    let decided = 0;
    for (const { value, valid } of inputs) {
      const answer = fast(toCelValue(value, place.schema, place.reads));
      const expected = answerOf(library, value);
      if (answer !== undefined) {
        decided += 1;
        if (answer !== expected) disagreements.push(`${show(value)}: ${String(answer)}, the library ${String(expected)}`);
      } else if (valid) undecided.push(`${show(value)} (the library: ${String(expected)})`);
      // What validation reports is the same either way, messages included.
      expect(withFast.evaluate(value), show(value)).toEqual(library.evaluate(value));
    }
    expect(inputs.length, "inputs generated").toBeGreaterThanOrEqual(40);
    expect(inputs.length, "inputs generated").toBeLessThanOrEqual(1000);
    expect(disagreements, "inputs on which the evaluator and the library disagree").toEqual([]);
    expect(undecided, "schema-valid inputs the evaluator left to the library").toEqual([]);
    expect(inputs.filter((i) => i.valid).length, "schema-valid inputs").toBeGreaterThanOrEqual(10);
    expect(decided, "inputs decided without the library").toBeGreaterThanOrEqual(inputs.filter((i) => i.valid).length);
  });
});

describe("validation of objects of the vendored CRDs", () => {
  const ref = { name: "cluster-kubeconfig" };
  const helmRelease = (spec: object) => ({
    apiVersion: "helm.toolkit.fluxcd.io/v2",
    kind: "HelmRelease",
    metadata: { name: "podinfo", namespace: "apps" },
    spec: { interval: "5m", ...spec },
  });
  const chart = { spec: { chart: "podinfo", sourceRef: { kind: "HelmRepository", name: "podinfo" } } };
  const chartRef = { kind: "OCIRepository", name: "podinfo" };
  const provider = (spec: object) => ({
    apiVersion: "notification.toolkit.fluxcd.io/v1beta3",
    kind: "Provider",
    metadata: { name: "p", namespace: "apps" },
    spec,
  });
  const bucket = (spec: object) => ({
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "Bucket",
    metadata: { name: "b", namespace: "apps" },
    spec: { bucketName: "b", endpoint: "s3.example", interval: "5m", ...spec },
  });
  const DOCUMENTS = [
    helmRelease({ chart }),
    helmRelease({ chartRef }),
    helmRelease({ chart, chartRef }),
    helmRelease({ chart, install: { strategy: { name: "RemediateOnFailure", retryInterval: "1m" } }, kubeConfig: { secretRef: ref } }),
    helmRelease({ chart, upgrade: { strategy: { name: "RemediateOnFailure", retryInterval: "1m" } }, kubeConfig: {} }),
    provider({ type: "github", commitStatusExpr: "'x'" }),
    provider({ type: "slack", commitStatusExpr: "'x'" }),
    bucket({ provider: "aws", sts: { provider: "aws", endpoint: "https://sts.example" } }),
    bucket({ sts: { provider: "aws", endpoint: "https://sts.example" } }),
    bucket({ provider: "generic", serviceAccountName: "flux" }),
  ];

  /** Validates DOCUMENTS in a fresh Node process and lists the modules of the CEL library it loaded. */
  function validateInChild(documents: unknown[]): { results: unknown[]; loaded: string[] } {
    const validator = new URL("./validator.ts", import.meta.url).href;
    const script = `
      import { createRequire } from "node:module";
      import { createSchemaValidator } from ${JSON.stringify(validator)};
      const documents = JSON.parse(process.argv[1]);
      const validator = createSchemaValidator();
      const results = documents.map((doc) => validator.validate(doc));
      const loaded = Object.keys(createRequire(import.meta.url)("node:module")._cache).filter((file) => file.includes("@bufbuild/"));
      process.stdout.write(JSON.stringify({ results, loaded }));
    `;
    const output = execFileSync(process.execPath, ["--input-type=module", "--eval", script, JSON.stringify(documents)], {
      encoding: "utf8",
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(output) as { results: unknown[]; loaded: string[] };
  }

  it("needs no CEL library for the vendored CRDs' rules, with the results the library gives", () => {
    const { results, loaded } = validateInChild(DOCUMENTS);
    expect(loaded).toEqual([]);
    const library = createSchemaValidator({ precompiled: false });
    expect(results).toEqual(DOCUMENTS.map((doc) => library.validate(doc)));
    expect(results.filter((r) => (r as { status: string }).status === "invalid")).toHaveLength(6);
  });

  it("loads the CEL library for an object on which a precompiled rule fails to evaluate, for the library's error", () => {
    // sts without its provider: the rule's select fails, and the error message is the library's.
    const broken = bucket({ provider: "aws", sts: { endpoint: "https://sts.example" } });
    const { results, loaded } = validateInChild([broken]);
    expect(loaded.length).toBeGreaterThan(0);
    expect(results).toEqual([createSchemaValidator({ precompiled: false }).validate(broken)]);
  });
});
