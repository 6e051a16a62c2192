/**
 * The evaluator of precompiled CEL rules: the vendored CRDs' rules, parsed at build time into a small JSON syntax tree
 * (`compiled-cel/rules.json`, written by `scripts/compile-cel-rules.ts`), evaluated here on `self` as plain data
 * without loading the CEL library. It answers `true` or `false` only where `@bufbuild/cel` gives that same boolean on
 * the same input; in any other case (an evaluation error, a value of an unexpected type, anything it is not sure of)
 * it answers `undefined` and the caller evaluates the rule with the library, so that errors and messages stay the
 * library's.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { isMapping } from "./mapping.ts";

/**
 * The version of the subset of CEL that {@link compileFastRule} evaluates: part of the precompiled file's inputs
 * digest. Raise it with any change to the node kinds or to their semantics.
 */
export const FAST_CEL_VERSION = 1;

/** The precompiled rules of the vendored CRDs, written by `scripts/compile-cel-rules.ts`. */
export const CEL_RULES_FILE = new URL("../compiled-cel/rules.json", import.meta.url);

/**
 * One node of a precompiled rule, in the shape of the library's own syntax tree (the same nesting, the same order of
 * evaluation), restricted to what the vendored CRDs' rules use:
 *
 * - `["var", name]`: `self`, or a variable bound by a comprehension (a macro's item, its `@result`);
 * - `["str", s]`, `["int", decimal]`, `["bool", b]`: literals (an int64 as its decimal text);
 * - `["sel", operand, field]` (`x.field`) and `["has", operand, field]` (`has(x.field)`);
 * - `["not", x]`, `["and", a, b]`, `["or", a, b]`, `["cond", c, t, f]` (`c ? t : f`);
 * - `["eq" | "ne" | "lt" | "le" | "gt" | "ge" | "add", a, b]`: `==`, `!=`, `<`, `<=`, `>`, `>=`, `+`;
 * - `["size", x]`: `size(x)` or `x.size()`;
 * - `["matches", x, source]`: `x.matches(re)` with a literal regular expression in the subset where RE2 and
 *   JavaScript agree, given as the JavaScript source for the `u` flag;
 * - `["notStrictlyFalse", x]`: the macros' loop condition;
 * - `["fold", iterVar, accuVar, range, init, condition, step, result]`: a comprehension (`all`, `exists`, …).
 *
 * @example
 * ```ts
 * // has(self.configMapRef) || has(self.secretRef)
 * const expr: FastExpr = ["or", ["has", ["var", "self"], "configMapRef"], ["has", ["var", "self"], "secretRef"]];
 * ```
 */
export type FastExpr =
  | ["var", string]
  | ["str", string]
  | ["int", string]
  | ["bool", boolean]
  | ["sel" | "has", FastExpr, string]
  | ["not" | "size" | "notStrictlyFalse", FastExpr]
  | ["and" | "or" | "eq" | "ne" | "lt" | "le" | "gt" | "ge" | "add", FastExpr, FastExpr]
  | ["cond", FastExpr, FastExpr, FastExpr]
  | ["matches", FastExpr, string]
  | ["fold", string, string, FastExpr, FastExpr, FastExpr, FastExpr, FastExpr];

/**
 * What the build found for one rule text of the vendored CRDs, classified as the library classifies it at run time
 * (`compileWithLibrary` in `cel-rules.ts`): a transition rule, one the library cannot evaluate (with the reason it
 * reports), or one it evaluates, with the fields of `self` it reads (`null`: all of it), whether its messageExpression
 * runs, and its syntax tree when every node of it is in the subset (`library` says why not otherwise).
 *
 * @example
 * ```ts
 * const entry: PrecompiledCelRule = { kind: "ready", reads: ["chart"], messageProgram: false, expr: ["has", ["var", "self"], "chart"] };
 * ```
 */
export type PrecompiledCelRule = { messageExpression?: string } & (
  | { kind: "transition" }
  | { kind: "unsupported"; reason: string }
  | { kind: "ready"; reads: string[] | null; messageProgram: boolean; expr?: FastExpr; library?: string }
);

/**
 * The content of `compiled-cel/rules.json`.
 *
 * @example
 * ```ts
 * const file = JSON.parse(readFileSync(CEL_RULES_FILE, "utf8")) as PrecompiledCelRules;
 * Object.keys(file.rules).length; // 23
 * ```
 */
export interface PrecompiledCelRules {
  comment: string;
  /** SHA-256 of the inputs (the vendored CRDs, the CEL library's version, {@link FAST_CEL_VERSION}); a test compares. */
  inputsDigest: string;
  /** The version of `@bufbuild/cel` that classified the rules: the file is not used with another one. */
  celVersion: string;
  /** By rule text. */
  rules: Record<string, PrecompiledCelRule>;
}

/**
 * The version of the installed `@bufbuild/cel`, read from its package.json without loading the library.
 *
 * @example
 * ```ts
 * installedCelVersion(); // "0.6.1"
 * ```
 */
export function installedCelVersion(): string {
  const entry = createRequire(import.meta.url).resolve("@bufbuild/cel");
  // The package exports no package.json: it is two folders above its CommonJS entry (dist/cjs/index.js).
  const manifest = JSON.parse(readFileSync(new URL("../../package.json", pathToFileURL(entry)), "utf8")) as {
    name?: string;
    version: string;
  };
  if (manifest.name !== "@bufbuild/cel") throw new Error(`internal error: ${entry} is not where @bufbuild/cel's manifest was expected`);
  return manifest.version;
}

/**
 * The precompiled rules by rule text, read once. Empty when the installed CEL library is not the version that
 * classified them: every rule then goes through the library, as rules of other CRDs do.
 *
 * @example
 * ```ts
 * loadPrecompiledCelRules().get("has(self.configMapRef) || has(self.secretRef)")?.kind; // "ready"
 * ```
 */
export function loadPrecompiledCelRules(): ReadonlyMap<string, PrecompiledCelRule> {
  const file = JSON.parse(readFileSync(CEL_RULES_FILE, "utf8")) as PrecompiledCelRules;
  if (file.celVersion !== installedCelVersion()) return new Map();
  return new Map(Object.entries(file.rules));
}

/**
 * A precompiled rule: its verdict on `self` (the value `toCelValue` gives: plain arrays and objects, with integers as
 * bigints and schema defaults applied), or `undefined` when only the library can tell.
 *
 * @example
 * ```ts
 * const rule: FastRule = compileFastRule(["has", ["var", "self"], "chart"]);
 * rule({ chart: {} }); // true
 * ```
 */
export type FastRule = (self: unknown) => boolean | undefined;

/**
 * A subexpression on which the library returns an error value (a missing field, no overload for the operand's type).
 * Distinct from giving up: `true || <error>` is still `true`, as in the library, which goes on past an error.
 */
const ERROR: unique symbol = Symbol("CEL error");

/**
 * Thrown where the evaluator is not sure what the library does (it might even throw): the whole rule is left to it.
 * One instance, made once: the evaluator gives up often on objects of the wrong shape, and never shows it.
 */
const UNSURE = new Error("undecided: the CEL library evaluates this rule");

type Value = unknown;
interface Scope {
  name: string;
  value: Value;
  parent: Scope | undefined;
}
type Node = (scope: Scope | undefined) => Value;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * A value the library accepts where it reads one (a string, bool, int, double, null, list or map). Anything else (a
 * function, a symbol, `undefined` inside a list) makes the library throw, which aborts the whole rule.
 */
function readable(value: unknown): Value {
  switch (typeof value) {
    case "string":
    case "boolean":
    case "number":
    case "bigint":
    case "object":
      return value;
    default:
      throw UNSURE;
  }
}

function int64(value: bigint): bigint {
  if (value < INT64_MIN || value > INT64_MAX) throw UNSURE;
  return value;
}

/** Two operands of the same scalar type that `==` and `!=` compare here; any other pair is left to the library. */
function sameScalars(a: Value, b: Value): boolean {
  const type = typeof a;
  if (type !== typeof b) return false;
  if (type === "bigint") {
    int64(a as bigint);
    int64(b as bigint);
    return true;
  }
  return type === "string" || type === "boolean";
}

function lookup(scope: Scope | undefined, name: string): Value {
  for (let s = scope; s !== undefined; s = s.parent) if (s.name === name) return s.value;
  throw UNSURE;
}

const COMPARE = {
  lt: (a: bigint, b: bigint) => a < b,
  le: (a: bigint, b: bigint) => a <= b,
  gt: (a: bigint, b: bigint) => a > b,
  ge: (a: bigint, b: bigint) => a >= b,
} as const;

/** `&&` and `||` as the library runs them: operands in order, the first deciding one wins, errors only if none does. */
function logical(args: Node[], decisive: boolean): Node {
  return (scope) => {
    let failed = false;
    for (const arg of args) {
      const value = arg(scope);
      if (value === decisive) return decisive;
      // An error value or a non-bool operand: an error unless a later operand decides.
      if (typeof value !== "boolean") failed = true;
    }
    return failed ? ERROR : !decisive;
  };
}

/** An operation on one operand: an error value in it is the result. */
function unary(operand: FastExpr, apply: (value: Value) => Value): Node {
  const node = compile(operand);
  return (scope) => {
    const value = node(scope);
    return value === ERROR ? ERROR : apply(value);
  };
}

/** An operation on two operands, evaluated left to right: an error value in either is the result. */
function binary(left: FastExpr, right: FastExpr, apply: (a: Value, b: Value) => Value): Node {
  const [first, second] = [compile(left), compile(right)];
  return (scope) => {
    const a = first(scope);
    if (a === ERROR) return ERROR;
    const b = second(scope);
    return b === ERROR ? ERROR : apply(a, b);
  };
}

function compile(expr: FastExpr): Node {
  switch (expr[0]) {
    case "var": {
      const name = expr[1];
      return (scope) => {
        const value = lookup(scope, name);
        return value === ERROR ? ERROR : readable(value);
      };
    }
    case "str":
    case "bool": {
      const value = expr[1];
      return () => value;
    }
    case "int": {
      const value = int64(BigInt(expr[1]));
      return () => value;
    }
    case "sel": {
      const field = expr[2];
      return unary(expr[1], (value) => {
        // The library's "no such field" on a map without it, and on any value that is not a map.
        if (!isMapping(value) || !Object.hasOwn(value, field) || value[field] === undefined) return ERROR;
        return readable(value[field]);
      });
    }
    case "has": {
      const field = expr[2];
      return unary(expr[1], (value) => {
        // The library tests presence on maps only (false on any other value), and a null value is not present.
        if (!isMapping(value) || !Object.hasOwn(value, field)) return false;
        const item = value[field];
        return item !== undefined && readable(item) !== null;
      });
    }
    case "not":
      return unary(expr[1], (value) => (typeof value === "boolean" ? !value : ERROR));
    case "and":
      return logical([compile(expr[1]), compile(expr[2])], false);
    case "or":
      return logical([compile(expr[1]), compile(expr[2])], true);
    case "notStrictlyFalse": {
      const operand = compile(expr[1]);
      return (scope) => operand(scope) !== false;
    }
    case "cond": {
      const [condition, whenTrue, whenFalse] = [compile(expr[1]), compile(expr[2]), compile(expr[3])];
      return (scope) => {
        const value = condition(scope);
        if (value === true) return whenTrue(scope);
        if (value === false) return whenFalse(scope);
        return ERROR;
      };
    }
    case "eq":
    case "ne": {
      const equal = expr[0] === "eq";
      return binary(expr[1], expr[2], (a, b) => {
        // The library compares values of different types too (false, or numerically across int and double): not here.
        if (!sameScalars(a, b)) throw UNSURE;
        return (a === b) === equal;
      });
    }
    case "lt":
    case "le":
    case "gt":
    case "ge": {
      const compare = COMPARE[expr[0]];
      return binary(expr[1], expr[2], (a, b) => {
        if (typeof a !== "bigint" || typeof b !== "bigint") throw UNSURE;
        return compare(int64(a), int64(b));
      });
    }
    case "add":
      return binary(expr[1], expr[2], (a, b) => {
        if (typeof a !== "bigint" || typeof b !== "bigint") throw UNSURE;
        // int64 overflow is an error in CEL: left to the library.
        return int64(int64(a) + int64(b));
      });
    case "size":
      return unary(expr[1], (value) => {
        // Code points, as the library counts them.
        if (typeof value === "string") return BigInt([...value].length);
        if (Array.isArray(value)) return BigInt(value.length);
        if (isMapping(value)) throw UNSURE;
        return ERROR;
      });
    case "matches": {
      const target = compile(expr[1]);
      const regex = new RegExp(expr[2], "u");
      return (scope) => {
        const value = target(scope);
        if (value === ERROR) return ERROR;
        // An unanchored search, as RE2's.
        return typeof value === "string" ? regex.test(value) : ERROR;
      };
    }
    case "fold": {
      const [, iterVar, accuVar] = expr;
      const [range, init, condition, step, result] = [expr[3], expr[4], expr[5], expr[6], expr[7]].map(compile) as [
        Node,
        Node,
        Node,
        Node,
        Node,
      ];
      return (scope) => {
        const accuInit = init(scope);
        if (accuInit === ERROR) return ERROR;
        const items = range(scope);
        if (items === ERROR) return ERROR;
        if (!Array.isArray(items)) {
          if (isMapping(items)) throw UNSURE;
          return ERROR;
        }
        // The library converts every item before the loop: one it cannot read aborts the rule.
        for (const item of items) readable(item);
        const accu: Scope = { name: accuVar, value: accuInit, parent: scope };
        for (const item of items) {
          const inner: Scope = { name: iterVar, value: item, parent: accu };
          const go = condition(inner);
          if (go === ERROR) return ERROR;
          if (go !== true) break;
          accu.value = step(inner);
        }
        return result(accu);
      };
    }
  }
}

/**
 * Compiles a precompiled rule's syntax tree into a function of `self`, once per rule and process. The function
 * answers `true` or `false` only where the CEL library gives the same answer on that `self`, and `undefined` otherwise
 * (the library then evaluates the rule); it never throws.
 *
 * @example
 * ```ts
 * const rule = compileFastRule(["or", ["has", ["var", "self"], "chart"], ["has", ["var", "self"], "chartRef"]]);
 * rule({ chartRef: { kind: "OCIRepository" } }); // true
 * rule({}); // false
 * rule({ chart: () => 1 }); // undefined: a value the library cannot read
 * ```
 */
export function compileFastRule(expr: FastExpr): FastRule {
  let root: Node;
  try {
    root = compile(expr);
  } catch {
    // A literal out of range, which the build does not write: the library decides.
    return () => undefined;
  }
  return (self) => {
    try {
      const result = root({ name: "self", value: self, parent: undefined });
      return typeof result === "boolean" ? result : undefined;
    } catch {
      // Unsure, or a bug of this evaluator: the library decides.
      return undefined;
    }
  };
}
