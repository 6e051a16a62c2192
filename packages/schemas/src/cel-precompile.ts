/**
 * Build time of the precompiled CEL rules (`compiled-cel/rules.json`): every rule of the vendored CRDs classified
 * with the CEL library as the run time classifies it, and, where every node of a rule is in the subset that
 * `cel-fast.ts` evaluates, its syntax tree in that form. `scripts/compile-cel-rules.ts` writes the file; a unit test
 * compares the committed one with {@link serializeCelRules}.
 */
import { createHash } from "node:crypto";
import { FAST_CEL_VERSION, installedCelVersion, type FastExpr, type PrecompiledCelRule, type PrecompiledCelRules } from "./cel-fast.ts";
import { celEnvironment, celLibrary, compileCelRules, compileWithLibrary, type CelExpr, type CelRuleSpec } from "./cel-rules.ts";
import { currentFluxCrds, legacyFluxCrds, thirdPartyCrds, type CrdCatalog } from "./crd-catalog.ts";

/** The vendored CRD sets whose rules are precompiled, by the name the digest records. */
function vendoredCatalogs(): Array<[string, CrdCatalog]> {
  return [
    ["current", currentFluxCrds()],
    ["legacy", legacyFluxCrds()],
    ["third-party", thirdPartyCrds()],
  ];
}

/**
 * SHA-256 of what `compiled-cel/rules.json` is made from: each vendored CRD file's digest, the CEL library's version
 * and {@link FAST_CEL_VERSION}. The file records it; a test compares it with the current inputs'.
 *
 * @example
 * ```ts
 * celRulesInputsDigest(); // "5e1f…"
 * ```
 */
export function celRulesInputsDigest(): string {
  const hash = createHash("sha256");
  hash.update(`@bufbuild/cel ${installedCelVersion()}\nsubset ${FAST_CEL_VERSION}\n`);
  for (const [set, catalog] of vendoredCatalogs()) for (const crd of catalog.entries) hash.update(`${set} ${crd.file} ${crd.sha256}\n`);
  return hash.digest("hex");
}

/**
 * Every distinct rule of every version of the vendored CRDs (served or not), sorted by rule text. Rules that set
 * `optionalOldSelf` are left out: the run time reports them as not evaluated without the library anyway.
 *
 * @example
 * ```ts
 * vendoredCelRules().map((spec) => spec.rule); // ["!has(self.configMapRef) || !has(self.secretRef)", …]
 * ```
 */
export function vendoredCelRules(): CelRuleSpec[] {
  const byRule = new Map<string, CelRuleSpec>();
  for (const [, catalog] of vendoredCatalogs()) {
    for (const crd of catalog.entries) {
      for (const version of crd.versions) {
        if (version.schema === undefined) continue;
        for (const { location: _location, ...spec } of compileCelRules(version.schema).rules) {
          if (spec.optionalOldSelf === true) continue;
          const known = byRule.get(spec.rule);
          if (known !== undefined && known.messageExpression !== spec.messageExpression) {
            throw new Error(
              `${crd.file}: the rule "${spec.rule}" appears with two messageExpressions, which compiled-cel/rules.json cannot hold: key its rules by messageExpression too`,
            );
          }
          byRule.set(spec.rule, spec);
        }
      }
    }
  }
  return [...byRule.values()].sort((a, b) => (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}

/** Why an expression is outside the subset that `cel-fast.ts` evaluates. */
class NotInSubset extends Error {}

const BINARY = {
  "_&&_": "and",
  "_||_": "or",
  "_==_": "eq",
  "_!=_": "ne",
  "_<_": "lt",
  "_<=_": "le",
  "_>_": "gt",
  "_>=_": "ge",
  "_+_": "add",
} as const;

/** `a.b.c` for a chain of selections on an identifier, as the library's planner names a call's target. */
function qualifiedName(expr: CelExpr): string | undefined {
  const kind = expr.exprKind;
  if (kind.case === "identExpr") return kind.value.name;
  if (kind.case !== "selectExpr" || kind.value.testOnly || kind.value.operand === undefined) return undefined;
  const parent = qualifiedName(kind.value.operand);
  return parent === undefined ? undefined : `${parent}.${kind.value.field}`;
}

function required(expr: CelExpr | undefined): CelExpr {
  if (expr === undefined) throw new NotInSubset("an empty expression");
  return expr;
}

/**
 * The library's syntax tree in the subset's form, with the same nesting (and so the same order of evaluation).
 * `bound` holds the variables comprehensions bind around the expression.
 */
function toFastExpr(expr: CelExpr, bound: readonly string[]): FastExpr {
  const kind = expr.exprKind;
  switch (kind.case) {
    case "identExpr": {
      const { name } = kind.value;
      if (name !== "self" && !bound.includes(name)) throw new NotInSubset(`it refers to "${name}"`);
      return ["var", name];
    }
    case "constExpr": {
      const constant = kind.value.constantKind;
      if (constant.case === "stringValue") return ["str", constant.value];
      if (constant.case === "boolValue") return ["bool", constant.value];
      if (constant.case === "int64Value") return ["int", String(constant.value)];
      throw new NotInSubset(`it has a literal of type ${constant.case ?? "unknown"}`);
    }
    case "selectExpr": {
      const { operand, field, testOnly } = kind.value;
      return [testOnly ? "has" : "sel", toFastExpr(required(operand), bound), field];
    }
    case "callExpr": {
      const { function: name, target, args } = kind.value;
      const shape = (count: number, method: boolean): CelExpr[] => {
        if ((target !== undefined) !== method || args.length !== count)
          throw new NotInSubset(`it calls ${name}() in a form the subset does not have`);
        return args.map(required);
      };
      if (target !== undefined) {
        // The planner calls a function named by the target's qualified name when there is one (`strings.quote(…)`).
        const qualified = qualifiedName(target);
        if (qualified !== undefined && celEnvironment().funcs.find(`${qualified}.${name}`) !== undefined) {
          throw new NotInSubset(`it calls ${qualified}.${name}()`);
        }
      }
      if (Object.hasOwn(BINARY, name)) {
        const [a, b] = shape(2, false) as [CelExpr, CelExpr];
        return [BINARY[name as keyof typeof BINARY], toFastExpr(a, bound), toFastExpr(b, bound)];
      }
      switch (name) {
        case "!_": {
          const [x] = shape(1, false) as [CelExpr];
          return ["not", toFastExpr(x, bound)];
        }
        case "@not_strictly_false": {
          const [x] = shape(1, false) as [CelExpr];
          return ["notStrictlyFalse", toFastExpr(x, bound)];
        }
        case "_?_:_": {
          const [c, t, f] = shape(3, false) as [CelExpr, CelExpr, CelExpr];
          return ["cond", toFastExpr(c, bound), toFastExpr(t, bound), toFastExpr(f, bound)];
        }
        case "size": {
          if (target === undefined) {
            const [x] = shape(1, false) as [CelExpr];
            return ["size", toFastExpr(x, bound)];
          }
          shape(0, true);
          return ["size", toFastExpr(target, bound)];
        }
        case "matches": {
          const [pattern] = shape(1, true) as [CelExpr];
          const literal = pattern.exprKind.case === "constExpr" ? pattern.exprKind.value.constantKind : undefined;
          if (literal?.case !== "stringValue") throw new NotInSubset("it calls matches() with a regular expression that is not a literal");
          const source = regexSource(literal.value);
          checkRegex(literal.value, source);
          return ["matches", toFastExpr(required(target), bound), source];
        }
        default:
          throw new NotInSubset(`it calls ${name}()`);
      }
    }
    case "comprehensionExpr": {
      const c = kind.value;
      if (c.iterVar2 !== "") throw new NotInSubset("it has a comprehension over two variables");
      // A variable named like a protobuf package would make the planner look up types by the names it selects.
      if (c.iterVar === "google" || c.accuVar === "google") throw new NotInSubset(`it binds a variable named "google"`);
      const loop = [...bound, c.accuVar, c.iterVar];
      return [
        "fold",
        c.iterVar,
        c.accuVar,
        toFastExpr(required(c.iterRange), bound),
        toFastExpr(required(c.accuInit), bound),
        toFastExpr(required(c.loopCondition), loop),
        toFastExpr(required(c.loopStep), loop),
        toFastExpr(required(c.result), [...bound, c.accuVar]),
      ];
    }
    default:
      throw new NotInSubset(`it builds a ${kind.case ?? "missing"} expression`);
  }
}

/** Characters that JavaScript's `u` flag requires to be escaped to stand for themselves, outside a class. */
const SYNTAX_CHARACTERS = new Set("^$\\.*+?()[]{}|/");
/** Characters escaped inside a class: the ones that could close it, negate it, make a range or escape. */
const CLASS_SPECIAL = new Set("\\]^-[");

const isPrintableAscii = (c: string | undefined): c is string => c !== undefined && c >= " " && c <= "~";
/** RE2 reads `\` followed by a punctuation character as that character. */
const isEscapablePunctuation = (c: string | undefined): c is string => isPrintableAscii(c) && !/[\dA-Za-z ]/.test(c);

/**
 * The JavaScript source (for the `u` flag) of an RE2 regular expression in the subset where both engines find the same
 * matches: printable ASCII literals and escaped punctuation, character classes of those and their ranges (not
 * negated), groups (`(…)`, `(?:…)`), alternation, `?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}` (greedy), `^` and `$`. Not
 * `.`, which the engines end at different line terminators, nor Perl or Unicode classes (`\d`, `\s`, `\pL`), flags,
 * lazy repetitions or non-ASCII characters. Both engines search unanchored (CEL's `matches()` is RE2's find).
 */
function regexSource(pattern: string): string {
  let i = 0;
  const unsupported = (what: string): never => {
    throw new NotInSubset(`its regular expression ${JSON.stringify(pattern)} has ${what}, where RE2 and JavaScript may differ`);
  };
  const literal = (c: string): string => (SYNTAX_CHARACTERS.has(c) ? `\\${c}` : c);

  function classMember(first: boolean): string {
    const c = pattern[i];
    if (c === "\\") {
      const escaped = pattern[i + 1];
      if (!isEscapablePunctuation(escaped)) return unsupported(`the escape \\${escaped ?? ""} in a class`);
      i += 2;
      return escaped;
    }
    if (c === "[") return unsupported("a [ in a class (RE2 reads [:alpha:] there)");
    if (c === "]" && first) return unsupported("a ] first in a class");
    if (!isPrintableAscii(c)) return unsupported("a character that is not printable ASCII");
    i += 1;
    return c;
  }

  function characterClass(): string {
    i += 1;
    if (pattern[i] === "^") unsupported("a negated class");
    let out = "";
    let first = true;
    while (pattern[i] !== "]") {
      if (i >= pattern.length) unsupported("an unclosed class");
      const dash = pattern[i] === "-";
      const low = classMember(first);
      if (pattern[i] === "-" && pattern[i + 1] !== "]" && !(dash && first)) {
        i += 1;
        if (pattern[i] === "-") unsupported("a range ending in -");
        const high = classMember(false);
        if (high < low) unsupported("a range out of order");
        out += `${CLASS_SPECIAL.has(low) ? `\\${low}` : low}-${CLASS_SPECIAL.has(high) ? `\\${high}` : high}`;
      } else {
        if (dash && !first && pattern[i] !== "]") unsupported("a - inside a class that is not a range");
        out += CLASS_SPECIAL.has(low) ? `\\${low}` : low;
      }
      first = false;
    }
    i += 1;
    return `[${out}]`;
  }

  function repetition(): string {
    const c = pattern[i];
    let out: string;
    if (c === "*" || c === "+" || c === "?") {
      i += 1;
      out = c;
    } else if (c === "{") {
      const match = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(pattern.slice(i));
      if (match === null) return unsupported("a { that is not a repetition");
      const min = Number(match[1]);
      const max = match[3] === undefined || match[3] === "" ? undefined : Number(match[3]);
      if (min > 1000 || (max !== undefined && (max > 1000 || max < min))) unsupported("a repetition count RE2 rejects");
      i += match[0].length;
      out = match[2] === undefined ? `{${min}}` : `{${min},${max ?? ""}}`;
    } else return "";
    const next = pattern[i];
    if (next === "*" || next === "+" || next === "?" || next === "{") unsupported("a lazy or repeated repetition");
    return out;
  }

  function sequence(): string {
    let out = "";
    while (i < pattern.length && pattern[i] !== "|" && pattern[i] !== ")") {
      const c = pattern[i] as string;
      if (c === "^" || c === "$") {
        i += 1;
        if (repetition() !== "") unsupported("a repeated anchor");
        out += c;
        continue;
      }
      let atom: string;
      if (c === "(") {
        i += 1;
        if (pattern.startsWith("?:", i)) i += 2;
        else if (pattern[i] === "?") unsupported("a group with flags or a name");
        atom = `(?:${alternation()})`;
        if (pattern[i] !== ")") unsupported("an unclosed group");
        i += 1;
      } else if (c === "[") atom = characterClass();
      else if (c === "\\") {
        const escaped = pattern[i + 1];
        if (!isEscapablePunctuation(escaped)) return unsupported(`the escape \\${escaped ?? ""}`);
        i += 2;
        atom = literal(escaped);
      } else if ("*+?{".includes(c)) return unsupported("a repetition of nothing");
      else if (c === "." || c === "]" || c === "}") return unsupported(`a bare ${c}`);
      else if (!isPrintableAscii(c)) return unsupported("a character that is not printable ASCII");
      else {
        i += 1;
        atom = literal(c);
      }
      out += atom + repetition();
    }
    return out;
  }

  function alternation(): string {
    const branches = [sequence()];
    while (pattern[i] === "|") {
      i += 1;
      branches.push(sequence());
    }
    return branches.join("|");
  }

  const source = alternation();
  if (i < pattern.length) unsupported("an unbalanced )");
  return source;
}

/** Checks that RE2 (through the library, as `matches()` compiles it) and JavaScript both accept a pattern. */
function checkRegex(pattern: string, source: string): void {
  const { module } = celLibrary();
  const accepted = module.plan(celEnvironment(), module.parse("s.matches(p)"))({ s: "", p: pattern });
  if (typeof accepted !== "boolean") throw new NotInSubset(`its regular expression ${JSON.stringify(pattern)} does not compile in RE2`);
  new RegExp(source, "u");
}

/**
 * What the build records for one rule: the library's classification (the same reason texts as at run time), the
 * fields it reads, and its syntax tree when every node of it is in the subset.
 *
 * @example
 * ```ts
 * precompileCelRule({ rule: "has(self.chart) || has(self.chartRef)" });
 * // { kind: "ready", reads: ["chart", "chartRef"], messageProgram: false, expr: ["or", …] }
 * ```
 */
export function precompileCelRule(spec: CelRuleSpec): PrecompiledCelRule {
  const message = spec.messageExpression === undefined ? {} : { messageExpression: spec.messageExpression };
  const compiled = compileWithLibrary(spec);
  if (compiled.kind === "transition") return { ...message, kind: "transition" };
  if (compiled.kind === "unsupported") return { ...message, kind: "unsupported", reason: compiled.reason };
  const ready = {
    ...message,
    kind: "ready" as const,
    reads: compiled.reads === undefined ? null : [...compiled.reads],
    messageProgram: compiled.messageProgram !== undefined,
  };
  try {
    return { ...ready, expr: toFastExpr(required(compiled.expr), []) };
  } catch (error) {
    if (!(error instanceof NotInSubset)) throw error;
    return { ...ready, library: error.message };
  }
}

/**
 * The content of `compiled-cel/rules.json`, as `scripts/compile-cel-rules.ts` writes it: one line per rule, so that
 * a change of the vendored CRDs shows as a change of the rules it touches.
 *
 * @example
 * ```ts
 * writeFileSync(CEL_RULES_FILE, serializeCelRules());
 * ```
 */
export function serializeCelRules(): string {
  const file: PrecompiledCelRules = {
    comment:
      "Written by packages/schemas/scripts/compile-cel-rules.ts from the vendored CRDs: each rule classified by the CEL library as at run time, and its syntax tree where cel-fast.ts evaluates it; do not edit.",
    inputsDigest: celRulesInputsDigest(),
    celVersion: installedCelVersion(),
    rules: Object.fromEntries(vendoredCelRules().map((spec) => [spec.rule, precompileCelRule(spec)])),
  };
  const rules = Object.entries(file.rules).map(([rule, entry]) => `    ${JSON.stringify(rule)}: ${JSON.stringify(entry)}`);
  const head = JSON.stringify({ comment: file.comment, inputsDigest: file.inputsDigest, celVersion: file.celVersion }, null, 2);
  return `${head.slice(0, -2)},\n  "rules": {\n${rules.join(",\n")}\n  }\n}\n`;
}
