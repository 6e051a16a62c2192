import { createRequire } from "node:module";
import type { CelFunc, CelInput, CelResult } from "@bufbuild/cel";
import { compileFastRule, loadPrecompiledCelRules, type FastRule, type PrecompiledCelRule } from "./cel-fast.ts";
import { fieldName } from "./problems.ts";
import type { JsonSchema } from "./strict-schema.ts";
import { isMapping } from "./mapping.ts";

// eslint-disable-next-line @typescript-eslint/consistent-type-imports -- the module's type, for the lazy require
type CelModule = typeof import("@bufbuild/cel");
type Program = (bindings: Record<string, CelInput>) => CelResult;
/** An expression as the CEL library parses it. */
export type CelExpr = NonNullable<ReturnType<CelModule["parse"]>["expr"]>;
type Expr = CelExpr | undefined;

/**
 * One `x-kubernetes-validations` entry of a CRD schema, as the CRD declares it.
 *
 * @example
 * ```ts
 * const rule: CelRuleSpec = { rule: "has(self.chart) || has(self.chartRef)", message: "either chart or chartRef must be set" };
 * ```
 */
export interface CelRuleSpec {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
  reason?: string;
  optionalOldSelf?: boolean;
}

/**
 * A rule found in a schema, with where it applies: `location` is its schema path (`spec.kubeConfig`,
 * `spec.artifacts[*]`, `spec.values{*}`).
 *
 * @example
 * ```ts
 * collectCelRules(schema).map((r) => `${r.location}: ${r.rule}`); // ["spec: (has(self.chart) && ..."]
 * ```
 */
export interface LocatedCelRule extends CelRuleSpec {
  location: string;
}

/**
 * A rule that was not evaluated on an object although its field is present: the library cannot compile or run it.
 * Reported as skipped, never counted as passed.
 *
 * @example
 * ```ts
 * const u: UnevaluatedRule = { path: "/spec", rule: "self.url.isURL()", reason: "it calls isURL(), which ..." };
 * ```
 */
export interface UnevaluatedRule {
  /** JSON pointer of the value the rule applies to. */
  path: string;
  rule: string;
  reason: string;
}

/** A CEL violation: the same shape as a schema problem, plus the rule that failed. */
export interface CelProblem {
  path: string;
  message: string;
  rule: string;
  /** The rule did not evaluate to a boolean (a type error, a missing field): the API server rejects such objects too. */
  evaluationError?: true;
}

/** A rule's programs, as the CEL library plans them. */
interface Programs {
  program: Program;
  messageProgram: Program | undefined;
}

type Compiled =
  | {
      kind: "ready";
      spec: CelRuleSpec;
      /** The fields of `self` the rule and its message read, or undefined when they read `self` as a whole. */
      reads: ReadonlySet<string> | undefined;
      /** The precompiled rule, when the vendored CRDs have it: evaluated without the library where it can tell. */
      fast: FastRule | undefined;
      /** Whether a failure's message comes from a messageExpression (which only the library evaluates). */
      messageExpression: boolean;
      /** The library's programs, planned on first need (a precompiled rule needs them only when it cannot tell). */
      library: () => Programs;
    }
  | { kind: "transition"; spec: CelRuleSpec }
  | { kind: "unsupported"; spec: CelRuleSpec; reason: string };

interface RuleNode {
  schema: JsonSchema;
  /** The node's rules, compiled when an object first has the field (most rules of a CRD are never reached). */
  specs: CelRuleSpec[];
  rules: Compiled[] | undefined;
  /** The fields of `self` the node's rules read (undefined: all of it), known once they are compiled. */
  reads: ReadonlySet<string> | undefined;
  properties: Map<string, RuleNode>;
  items: RuleNode | undefined;
  additional: RuleNode | undefined;
}

/** Per-call settings of {@link visit}, and where it collects what it finds. */
interface Visit {
  /** Whether rules use their precompiled form (`compiled-cel/rules.json`) when they have one. */
  precompiled: boolean;
  problems: CelProblem[];
  unevaluated: UnevaluatedRule[];
}

/** The CEL rules of one schema, compiled once; {@link CelRuleSet.evaluate} runs them on an object. */
export interface CelRuleSet {
  /** Every rule of the schema with its location, in schema order. */
  readonly rules: readonly LocatedCelRule[];
  /** Evaluates the rules on `doc` (a create: `oldSelf` is absent, so transition rules do not run). */
  evaluate(doc: unknown): { problems: CelProblem[]; unevaluated: UnevaluatedRule[] };
}

let cel: { module: CelModule; strings: CelFunc[] } | undefined;

/**
 * Loads the CEL library on first use: gen and validate pay for it only when an object has a rule that is not
 * precompiled, or that the precompiled form cannot decide.
 *
 * @example
 * ```ts
 * celLibrary().module.parse("has(self.chart)");
 * ```
 */
export function celLibrary(): { module: CelModule; strings: CelFunc[] } {
  if (cel === undefined) {
    const require = createRequire(import.meta.url);
    const module = require("@bufbuild/cel") as CelModule;
    const { strings } = require("@bufbuild/cel/ext") as { strings: CelFunc[] };
    cel = { module, strings };
  }
  return cel;
}

let environment: ReturnType<CelModule["celEnv"]> | undefined;

/**
 * The Kubernetes CEL environment as far as the library provides it: the standard definitions and the strings
 * extension. Kubernetes' own libraries (lists, regex find, URLs, quantities, IPs, authz) are not provided: a rule
 * that calls them is reported as not evaluated.
 *
 * @example
 * ```ts
 * celEnvironment().funcs.find("lowerAscii") !== undefined; // true
 * ```
 */
export function celEnvironment(): ReturnType<CelModule["celEnv"]> {
  if (environment === undefined) {
    const { module, strings } = celLibrary();
    environment = module.celEnv({ funcs: strings });
  }
  return environment;
}

/** Call names the planner handles itself rather than through the function registry. */
const PLANNER_CALLS = new Set(["_||_", "_&&_", "_?_:_", "_[_]", "@not_strictly_false", "_[?_]", "_?._"]);
/** Type names usable as values (`type(x) == string`). */
const TYPE_IDENTS = new Set(["bool", "bytes", "double", "dyn", "int", "list", "map", "null_type", "string", "type", "uint"]);

/** The free variables and the functions an expression uses. */
function references(expr: Expr | undefined, bound: ReadonlySet<string>, out: { idents: Set<string>; calls: Set<string> }): void {
  if (expr === undefined) return;
  const kind = expr.exprKind;
  switch (kind.case) {
    case "identExpr":
      if (!bound.has(kind.value.name)) out.idents.add(kind.value.name);
      return;
    case "selectExpr":
      references(kind.value.operand, bound, out);
      return;
    case "callExpr":
      out.calls.add(kind.value.function);
      references(kind.value.target, bound, out);
      for (const arg of kind.value.args) references(arg, bound, out);
      return;
    case "listExpr":
      for (const element of kind.value.elements) references(element, bound, out);
      return;
    case "structExpr":
      for (const entry of kind.value.entries) {
        if (entry.keyKind.case === "mapKey") references(entry.keyKind.value, bound, out);
        references(entry.value, bound, out);
      }
      return;
    case "comprehensionExpr": {
      const c = kind.value;
      references(c.iterRange, bound, out);
      references(c.accuInit, bound, out);
      const inner = new Set([...bound, c.iterVar, c.iterVar2, c.accuVar].filter((name) => name !== ""));
      references(c.loopCondition, inner, out);
      references(c.loopStep, inner, out);
      references(c.result, inner, out);
      return;
    }
    default:
      return;
  }
}

/**
 * The fields an expression reads from `self`, when it reads it only through them (`self.chart`,
 * `has(self.chartRef)`); undefined when it reads `self` as a whole (`size(self)`, `self == x`, `self.all(…)`,
 * `self['key']`) or a macro binds a variable called self. A rule cannot observe what it does not read, so it
 * may be given a `self` holding only those fields.
 */
function selfReads(expr: Expr | undefined, out: Set<string>): boolean {
  if (expr === undefined) return true;
  const kind = expr.exprKind;
  switch (kind.case) {
    case "identExpr":
      return kind.value.name !== "self";
    case "selectExpr": {
      const operand = kind.value.operand;
      if (operand?.exprKind.case === "identExpr" && operand.exprKind.value.name === "self") {
        out.add(kind.value.field);
        return true;
      }
      return selfReads(operand, out);
    }
    case "callExpr":
      return selfReads(kind.value.target, out) && kind.value.args.every((arg) => selfReads(arg, out));
    case "listExpr":
      return kind.value.elements.every((element) => selfReads(element, out));
    case "structExpr":
      return kind.value.entries.every(
        (entry) => (entry.keyKind.case !== "mapKey" || selfReads(entry.keyKind.value, out)) && selfReads(entry.value, out),
      );
    case "comprehensionExpr": {
      const c = kind.value;
      if ([c.iterVar, c.iterVar2, c.accuVar].includes("self")) return false;
      return [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result].every((part) => selfReads(part, out));
    }
    default:
      return true;
  }
}

type Checked = { program: Program; reads: ReadonlySet<string> | undefined; expr: Expr } | { transition: true } | { unsupported: string };

function compileExpression(source: string, allowOldSelf: boolean): Checked {
  const { module } = celLibrary();
  const env = celEnvironment();
  let parsed;
  try {
    parsed = module.parse(source);
  } catch (error) {
    return { unsupported: `it does not parse: ${(error as Error).message}` };
  }
  const used = { idents: new Set<string>(), calls: new Set<string>() };
  references(parsed.expr, new Set(), used);
  if (allowOldSelf && used.idents.has("oldSelf")) return { transition: true };
  const unknownIdent = [...used.idents].find((name) => name !== "self" && !TYPE_IDENTS.has(name));
  if (unknownIdent !== undefined) return { unsupported: `it refers to "${unknownIdent}", which is not a variable of a CRD rule` };
  const missing = [...used.calls].filter((name) => !PLANNER_CALLS.has(name) && env.funcs.find(name) === undefined).sort();
  if (missing.length > 0) {
    return {
      unsupported: `it calls ${missing.map((name) => `${name}()`).join(", ")}, which the CEL library flux-fleet uses (@bufbuild/cel) does not provide`,
    };
  }
  try {
    const program: Program = module.plan(env, parsed);
    const reads = new Set<string>();
    return { program, reads: selfReads(parsed.expr, reads) ? reads : undefined, expr: parsed.expr };
  } catch (error) {
    return { unsupported: `it does not compile: ${(error as Error).message}` };
  }
}

const OPTIONAL_OLD_SELF = "it sets optionalOldSelf, which needs CEL optionals that flux-fleet does not bind";

/**
 * What the CEL library makes of a rule: a transition rule (it refers to `oldSelf`), one it cannot evaluate (with the
 * reason reported), or one it has planned, with the fields of `self` the rule and its message read (undefined: all of
 * it) and the rule's parsed expression. Build time (`compiled-cel/rules.json`) and run time classify alike through it.
 *
 * @example
 * ```ts
 * compileWithLibrary({ rule: "self == oldSelf" }); // { kind: "transition" }
 * ```
 */
export function compileWithLibrary(
  spec: CelRuleSpec,
):
  | ({ kind: "ready"; reads: ReadonlySet<string> | undefined; expr: CelExpr | undefined } & Programs)
  | { kind: "transition" }
  | { kind: "unsupported"; reason: string } {
  if (spec.optionalOldSelf === true) return { kind: "unsupported", reason: OPTIONAL_OLD_SELF };
  const checked = compileExpression(spec.rule, true);
  if ("transition" in checked) return { kind: "transition" };
  if ("unsupported" in checked) return { kind: "unsupported", reason: checked.unsupported };
  const message = spec.messageExpression === undefined ? undefined : compileExpression(spec.messageExpression, false);
  // A messageExpression that cannot run falls back to `message`, as the API server does.
  const messageProgram = message && "program" in message ? message : undefined;
  return {
    kind: "ready",
    program: checked.program,
    messageProgram: messageProgram?.program,
    reads: union(checked.reads, messageProgram === undefined ? new Set() : messageProgram.reads),
    expr: checked.expr,
  };
}

/** Compiled rules by {@link ruleKey}: with their precompiled form where they have one, and with the library only. */
const compiledRules = { precompiled: new Map<string, Compiled>(), library: new Map<string, Compiled>() };

function ruleKey(spec: CelRuleSpec): string {
  return JSON.stringify([spec.rule, spec.messageExpression ?? "", spec.optionalOldSelf === true]);
}

let precompiledRules: ReadonlyMap<string, PrecompiledCelRule> | undefined;

/** The precompiled form of a rule of the vendored CRDs: the same rule text with the same messageExpression. */
function precompiledRule(spec: CelRuleSpec): PrecompiledCelRule | undefined {
  precompiledRules ??= loadPrecompiledCelRules();
  const entry = precompiledRules.get(spec.rule);
  return entry !== undefined && entry.messageExpression === spec.messageExpression ? entry : undefined;
}

/** The library's programs of a rule that the build classified as ready, planned once on first need. */
function libraryPrograms(spec: CelRuleSpec): () => Programs {
  let programs: Programs | undefined;
  return () => {
    if (programs === undefined) {
      const compiled = compileWithLibrary(spec);
      if (compiled.kind !== "ready") {
        throw new Error(`internal error: the precompiled CEL rule "${spec.rule}" is ${compiled.kind} for the CEL library (a bug)`);
      }
      programs = compiled;
    }
    return programs;
  };
}

/**
 * Compiles a rule once per process: the same rule text in many schemas (or validators) shares its program. A rule of
 * the vendored CRDs is read from its precompiled form, which classifies it as the library does without loading it.
 */
function compileRule(spec: CelRuleSpec, precompiled: boolean): Compiled {
  const key = ruleKey(spec);
  const cache = precompiled ? compiledRules.precompiled : compiledRules.library;
  const cached = cache.get(key);
  if (cached !== undefined) return { ...cached, spec };
  const entry = precompiled && spec.optionalOldSelf !== true ? precompiledRule(spec) : undefined;
  let compiled: Compiled;
  if (entry?.kind === "transition") compiled = { kind: "transition", spec };
  else if (entry?.kind === "unsupported") compiled = { kind: "unsupported", spec, reason: entry.reason };
  else if (entry?.kind === "ready" && entry.expr !== undefined) {
    compiled = {
      kind: "ready",
      spec,
      reads: entry.reads === null ? undefined : new Set(entry.reads),
      fast: compileFastRule(entry.expr),
      messageExpression: entry.messageProgram,
      library: libraryPrograms(spec),
    };
  } else {
    const checked = compileWithLibrary(spec);
    if (checked.kind === "ready") {
      const programs: Programs = { program: checked.program, messageProgram: checked.messageProgram };
      compiled = {
        kind: "ready",
        spec,
        reads: checked.reads,
        fast: undefined,
        messageExpression: checked.messageProgram !== undefined,
        library: () => programs,
      };
    } else compiled = { ...checked, spec };
  }
  cache.set(key, compiled);
  return compiled;
}

/** The union of two sets of fields read, where undefined (the whole value) absorbs anything. */
function union(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): ReadonlySet<string> | undefined {
  return a === undefined || b === undefined ? undefined : new Set([...a, ...b]);
}

function toRuleSpecs(schema: JsonSchema): CelRuleSpec[] {
  const entries = schema["x-kubernetes-validations"];
  if (!Array.isArray(entries)) return [];
  return entries.filter(isMapping).flatMap((entry) => {
    if (typeof entry.rule !== "string") return [];
    const spec: CelRuleSpec = { rule: entry.rule };
    for (const field of ["message", "messageExpression", "fieldPath", "reason"] as const) {
      if (typeof entry[field] === "string") spec[field] = entry[field];
    }
    if (entry.optionalOldSelf === true) spec.optionalOldSelf = true;
    return [spec];
  });
}

function buildNode(schema: JsonSchema, location: string, found: LocatedCelRule[]): RuleNode | undefined {
  const specs = toRuleSpecs(schema);
  for (const spec of specs) found.push({ ...spec, location });
  const properties = new Map<string, RuleNode>();
  if (isMapping(schema.properties)) {
    for (const [name, sub] of Object.entries(schema.properties)) {
      if (!isMapping(sub)) continue;
      const child = buildNode(sub, location === "" ? name : `${location}.${name}`, found);
      if (child !== undefined) properties.set(name, child);
    }
  }
  const items = isMapping(schema.items) ? buildNode(schema.items, `${location}[*]`, found) : undefined;
  const additional = isMapping(schema.additionalProperties) ? buildNode(schema.additionalProperties, `${location}{*}`, found) : undefined;
  if (specs.length === 0 && properties.size === 0 && items === undefined && additional === undefined) return undefined;
  return { schema, specs, rules: undefined, reads: undefined, properties, items, additional };
}

/** How {@link convert} builds the lists and maps it returns. */
interface Containers<T> {
  list(items: T[]): T;
  map(entries: Map<string, T>): T;
}

/**
 * Converts a value parsed from YAML into CEL's types as the API server does from the schema: `integer` fields
 * become CEL `int` (a bigint), `number` fields `double`, and untyped numbers by whether they are integral. Absent
 * properties that have a schema `default` get it, as the API server defaults an object before validating it.
 * Keys stay data (`__proto__` too). With `only`, a mapping keeps just those fields (in the object's order): the
 * others are never converted.
 */
function convert<T>(value: unknown, schema: JsonSchema | undefined, containers: Containers<T>, only?: ReadonlySet<string>): T {
  if (typeof value === "number") {
    if (schema?.type === "number") return value as T;
    return (Number.isInteger(value) ? BigInt(value) : value) as T;
  }
  if (Array.isArray(value)) {
    const items = isMapping(schema?.items) ? schema.items : undefined;
    return containers.list(value.map((item: unknown) => convert(item, items, containers)));
  }
  if (isMapping(value)) {
    const properties = isMapping(schema?.properties) ? schema.properties : {};
    const additional = isMapping(schema?.additionalProperties) ? schema.additionalProperties : undefined;
    const out = new Map<string, T>();
    for (const [key, item] of only === undefined ? Object.entries(value) : Object.entries(value).filter(([key]) => only.has(key))) {
      const sub = Object.hasOwn(properties, key) ? properties[key] : undefined;
      out.set(key, convert(item, isMapping(sub) ? sub : additional, containers));
    }
    // The API server applies the schema's defaults before it runs the rules.
    for (const [key, sub] of Object.entries(properties)) {
      if (!out.has(key) && (only === undefined || only.has(key)) && isMapping(sub) && sub.default !== undefined)
        out.set(key, convert(sub.default, sub, containers));
    }
    return containers.map(out);
  }
  return value as T;
}

const PLAIN: Containers<unknown> = { list: (items) => items, map: (entries) => Object.fromEntries(entries) };

/**
 * {@link convert} into plain arrays and objects: what a rule sees, as data (what precompiled rules are evaluated on).
 * With `only`, a mapping keeps just those fields (the ones the rules read).
 *
 * @example
 * ```ts
 * toCelValue({ replicas: 2 }, { type: "object", properties: { replicas: { type: "integer" } } }); // { replicas: 2n }
 * ```
 */
export function toCelValue(value: unknown, schema: JsonSchema | undefined, only?: ReadonlySet<string>): unknown {
  return convert(value, schema, PLAIN, only);
}

function escapeSegment(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

/** `.spec.foo['a.b']` (a rule's fieldPath) → `/spec/foo/a.b`. */
function fieldPathPointer(fieldPath: string): string {
  let pointer = "";
  const segment = /\.([A-Za-z_$][\w$-]*)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]/gy;
  let match;
  while ((match = segment.exec(fieldPath)) !== null) pointer += `/${escapeSegment(match[1] ?? match[2] ?? match[3] ?? "")}`;
  return pointer;
}

/**
 * {@link convert} into the library's own map and list (what the library would wrap plain values in itself, each
 * time a rule reads them): a rule that reads `self` five times, or a field of a list in a loop, reads the same
 * converted value instead of wrapping it again.
 */
function toCelInput(value: unknown, schema: JsonSchema | undefined, cel: CelModule, only?: ReadonlySet<string>): CelInput {
  return convert<CelInput>(value, schema, { list: (items) => cel.celList(items), map: (entries) => cel.celMap(entries) }, only);
}

/** Runs a program on `self`; a library crash counts as an evaluation error, never as a pass. */
function run(program: Program, self: CelInput): CelResult | Error {
  try {
    return program({ self });
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function describeError(result: CelResult | Error): string {
  if (result instanceof Error) return result.message;
  if (typeof result === "object" && result !== null && "message" in result && typeof result.message === "string") return result.message;
  return `it evaluated to ${JSON.stringify(typeof result === "bigint" ? String(result) : result) ?? "nothing"} instead of a boolean`;
}

/**
 * Options of {@link compileCelRules}.
 *
 * @example
 * ```ts
 * const options: CelRuleOptions = { precompiled: false };
 * ```
 */
export interface CelRuleOptions {
  /**
   * `false` evaluates every rule with the CEL library, also those of the vendored CRDs, which are otherwise evaluated
   * from their precompiled form (`compiled-cel/rules.json`) where it can decide (default `true`); tests use it to
   * prove that both give the same results.
   */
  precompiled?: boolean;
}

/**
 * Collects every `x-kubernetes-validations` rule of a CRD version's `openAPIV3Schema`; `evaluate` compiles a
 * rule the first time an object has its field, once per process. Rules referring to `oldSelf` are transition
 * rules: on create, the API server does not run them, and neither does `evaluate`. A rule the library cannot
 * compile is kept and reported by `evaluate` as not evaluated wherever its field is present. The vendored CRDs'
 * rules were classified and parsed at build time: they are evaluated without the CEL library, which is loaded only
 * for a rule that is not precompiled or for an object on which the precompiled form cannot decide (an evaluation
 * error, whose message is the library's), so the results are the library's either way.
 *
 * @example
 * ```ts
 * const rules = compileCelRules(crd.versions[0].schema);
 * rules.evaluate({ spec: { chart: {}, chartRef: {} } }).problems;
 * // [{ path: "/spec", message: "spec: either chart or chartRef must be set", rule: "..." }]
 * ```
 */
export function compileCelRules(schema: JsonSchema, options: CelRuleOptions = {}): CelRuleSet {
  const rules: LocatedCelRule[] = [];
  const root = buildNode(schema, "", rules);
  const precompiled = options.precompiled !== false;
  return {
    rules,
    evaluate(doc) {
      const context: Visit = { precompiled, problems: [], unevaluated: [] };
      if (root !== undefined) visit(root, doc, "", context);
      return { problems: context.problems, unevaluated: context.unevaluated };
    },
  };
}

/** Where a rule's problem is reported: at its field, plus its `fieldPath`. */
function problemPath(spec: CelRuleSpec, pointer: string): string {
  return spec.fieldPath === undefined ? pointer : `${pointer}${fieldPathPointer(spec.fieldPath)}`;
}

/** A failed rule's problem, with its message. */
function failure(spec: CelRuleSpec, pointer: string, message: string): CelProblem {
  const path = problemPath(spec, pointer);
  return { path, message: `${fieldName(path)}: ${message}`, rule: spec.rule };
}

function visit(node: RuleNode, value: unknown, pointer: string, context: Visit): void {
  if (value === undefined || value === null) return;
  if (node.specs.length > 0) {
    if (node.rules === undefined) {
      node.rules = node.specs.map((spec) => compileRule(spec, context.precompiled));
      node.reads = node.rules.reduce<ReadonlySet<string> | undefined>(
        (reads, compiled) => (compiled.kind === "ready" ? union(reads, compiled.reads) : reads),
        new Set(),
      );
    }
    let self: CelInput | undefined;
    // The same value as plain data, for the precompiled rules (converted once, when the first one runs).
    let plain: { self: unknown } | undefined;
    for (const compiled of node.rules) {
      if (compiled.kind === "transition") continue;
      const { spec } = compiled;
      if (compiled.kind === "unsupported") {
        context.unevaluated.push({ path: pointer, rule: spec.rule, reason: compiled.reason });
        continue;
      }
      if (compiled.fast !== undefined) {
        plain ??= { self: convert(value, node.schema, PLAIN, node.reads) };
        const verdict = compiled.fast(plain.self);
        if (verdict === true) continue;
        if (verdict === false && !compiled.messageExpression) {
          context.problems.push(failure(spec, pointer, spec.message ?? `failed rule: ${spec.rule}`));
          continue;
        }
        // Undecided (the library's error is the message), or a failure whose message is a messageExpression.
      }
      const { program, messageProgram } = compiled.library();
      self ??= toCelInput(value, node.schema, celLibrary().module, node.reads);
      const result = run(program, self);
      if (result === true) continue;
      if (typeof result !== "boolean") {
        // The API server rejects an object on which a rule fails to evaluate, with the evaluation error.
        const path = problemPath(spec, pointer);
        context.problems.push({
          path,
          message: `${fieldName(path)}: the CRD's rule "${spec.rule}" could not be evaluated: ${describeError(result)}`,
          rule: spec.rule,
          evaluationError: true,
        });
        continue;
      }
      let message = spec.message ?? `failed rule: ${spec.rule}`;
      if (messageProgram !== undefined) {
        const custom = run(messageProgram, self);
        if (typeof custom === "string" && custom.trim() !== "") message = custom;
      }
      context.problems.push(failure(spec, pointer, message));
    }
  }
  if (Array.isArray(value)) {
    if (node.items !== undefined) value.forEach((item: unknown, i) => visit(node.items as RuleNode, item, `${pointer}/${i}`, context));
    return;
  }
  if (!isMapping(value)) return;
  for (const [name, child] of node.properties) {
    visit(child, value[name] ?? child.schema.default, `${pointer}/${escapeSegment(name)}`, context);
  }
  if (node.additional !== undefined) {
    for (const [key, item] of Object.entries(value)) {
      if (!node.properties.has(key)) visit(node.additional, item, `${pointer}/${escapeSegment(key)}`, context);
    }
  }
}
