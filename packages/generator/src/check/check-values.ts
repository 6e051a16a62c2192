/** A value that cannot be written as YAML that Kubernetes and kustomize read back, and where it is. */
export interface ValueProblem {
  /** The path from the checked field, e.g. `values.controller.replicas` or `objects[0].data["a.b"]`. */
  path: string;
  message: string;
}

// Characters that go-yaml, and so kustomize, cannot write back even when the emitter escapes them: DEL and the
// C1 controls make it fail ("control characters are not allowed"), NEL, U+2028 and U+2029 it folds into
// spaces, U+FFFE and U+FFFF it refuses (test/yaml-round-trip.test.ts shows each with real kustomize).
const UNREADABLE = /[\u007f-\u009f\u2028\u2029\ufffe\uffff]/u;

// With the u flag a surrogate pair is one code point, so this matches only a half of one.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function characterName(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  if (code === 0x7f) return `${hex} (DEL)`;
  if (code === 0x85) return `${hex} (NEXT LINE)`;
  if (code >= 0x80 && code <= 0x9f) return `${hex} (a C1 control character)`;
  if (code === 0x2028) return `${hex} (LINE SEPARATOR)`;
  if (code === 0x2029) return `${hex} (PARAGRAPH SEPARATOR)`;
  return `${hex} (a noncharacter)`;
}

/** Why a string cannot be carried to the spoke, or undefined when it can. */
export function checkCarriableString(value: string): string | undefined {
  if (LONE_SURROGATE.test(value)) {
    return "holds a lone UTF-16 surrogate (half of an emoji or other character beyond U+FFFF), which no YAML or JSON file can hold: fix the string where it is built.";
  }
  const unreadable = UNREADABLE.exec(value)?.[0];
  if (unreadable !== undefined) {
    return `holds ${characterName(unreadable)}, which kustomize cannot read back from YAML: remove it or replace it with a plain space or newline.`;
  }
  return undefined;
}

const KEY_PATTERN = /^[A-Za-z_$][\w$-]*$/;

// A key in a message, with the characters a terminal would not show escaped.
function quoteKey(key: string): string {
  return JSON.stringify(key).replace(
    /[\u007f-\u009f\u2028\u2029\ufffe\uffff]|[\uD800-\uDFFF]/gu,
    (character) => `\\u${(character.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`,
  );
}

function childPath(path: string, key: string): string {
  return KEY_PATTERN.test(key) ? `${path}.${key}` : `${path}[${quoteKey(key)}]`;
}

const PLAIN_KINDS = "strings, finite numbers, booleans, null, lists and plain objects";

/**
 * Every part of a value (Helm values, a manifest, a patch) that YAML cannot carry to Kubernetes: NaN and
 * Infinity, functions, Symbols, BigInts, `undefined` inside a list, cycles, class instances, and strings
 * kustomize cannot read back. With `models`, instances that say how they serialise (`toJSON`, as the
 * Kubernetes models do) are checked as what they serialise to.
 *
 * @example
 * ```ts
 * checkPlainValue({ replicas: NaN }, "values"); // [{ path: "values.replicas", message: "is NaN, …" }]
 * ```
 */
export function checkPlainValue(value: unknown, path: string, options: { models?: boolean } = {}): ValueProblem[] {
  const problems: ValueProblem[] = [];
  const ancestors = new Map<object, string>();
  const visit = (current: unknown, at: string): void => {
    switch (typeof current) {
      case "string": {
        const problem = checkCarriableString(current);
        if (problem) problems.push({ path: at, message: problem });
        return;
      }
      case "number":
        if (!Number.isFinite(current))
          problems.push({
            path: at,
            message: `is ${String(current)}, which YAML writes as ${Number.isNaN(current) ? ".nan" : current > 0 ? ".inf" : "-.inf"} and Kubernetes (JSON) cannot hold: use a finite number, or a string if the chart expects one.`,
          });
        return;
      case "bigint":
        problems.push({ path: at, message: `is the BigInt ${current}n, which YAML and JSON cannot hold: use a number or a string.` });
        return;
      case "function":
      case "symbol":
        problems.push({
          path: at,
          message: `is a ${typeof current === "function" ? "function" : "Symbol"}, which cannot be written to YAML: a Kubernetes object holds only ${PLAIN_KINDS}.`,
        });
        return;
      case "boolean":
      case "undefined":
        return;
    }
    if (typeof current !== "object" || current === null) return;
    const seenAt = ancestors.get(current);
    if (seenAt !== undefined) {
      problems.push({ path: at, message: `refers back to ${seenAt} (a cycle), which YAML cannot write: build a copy without the loop.` });
      return;
    }
    if (Array.isArray(current)) {
      ancestors.set(current, at);
      for (let i = 0; i < current.length; i++) {
        const item: unknown = current[i];
        if (item === undefined)
          problems.push({
            path: `${at}[${i}]`,
            message: "is undefined inside a list, which YAML would silently write as null: remove it, or write null on purpose.",
          });
        else visit(item, `${at}[${i}]`);
      }
      ancestors.delete(current);
      return;
    }
    const prototype = Object.getPrototypeOf(current) as unknown;
    if (prototype !== Object.prototype && prototype !== null) {
      const toJSON = (current as { toJSON?: unknown }).toJSON;
      if (typeof toJSON !== "function" || !options.models) {
        const name = (current as { constructor?: { name?: string } }).constructor?.name ?? "object";
        problems.push({ path: at, message: `is a ${name} instance, which YAML would not write as it is: use one of ${PLAIN_KINDS}.` });
        return;
      }
      // Models and Dates say how they serialise; the emitter writes what toJSON returns.
      ancestors.set(current, at);
      let json: unknown;
      try {
        json = (toJSON as () => unknown).call(current);
      } catch (error) {
        problems.push({ path: at, message: `cannot be serialised: its toJSON() threw "${(error as Error).message}".` });
        ancestors.delete(current);
        return;
      }
      if (json !== current) visit(json, at);
      ancestors.delete(current);
      return;
    }
    ancestors.set(current, at);
    for (const [key, item] of Object.entries(current)) {
      const itemPath = childPath(at, key);
      const keyProblem = checkCarriableString(key);
      if (keyProblem) problems.push({ path: itemPath, message: `has a key that ${keyProblem}` });
      visit(item, itemPath);
    }
    ancestors.delete(current);
  };
  visit(value, path);
  return problems;
}
