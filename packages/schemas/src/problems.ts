import type { ErrorObject } from "ajv";

/**
 * One schema violation: where (a JSON pointer such as `/spec/interval`) and a one-sentence message.
 *
 * @example
 * ```ts
 * const problem: SchemaProblem = { path: "/spec/interval", message: "spec.interval: must be a string, got 5" };
 * ```
 */
export interface SchemaProblem {
  path: string;
  message: string;
}

function unescapeSegment(segment: string): string {
  return segment.replaceAll("~1", "/").replaceAll("~0", "~");
}

function escapeSegment(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

/**
 * Renders a JSON pointer the way a reader of YAML names a field: `/spec/containers/0/image` →
 * `spec.containers[0].image`, `/metadata/labels/app.kubernetes.io~1name` → `metadata.labels["app.kubernetes.io/name"]`.
 *
 * @example
 * ```ts
 * fieldName("/spec/values/replicaCount"); // "spec.values.replicaCount"
 * ```
 */
export function fieldName(pointer: string): string {
  if (pointer === "") return "the object";
  let name = "";
  for (const raw of pointer.slice(1).split("/")) {
    const segment = unescapeSegment(raw);
    if (/^\d+$/.test(segment)) name += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) name += name === "" ? segment : `.${segment}`;
    else name += `[${JSON.stringify(segment)}]`;
  }
  return name;
}

function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === "") return root;
  let value = root;
  for (const raw of pointer.slice(1).split("/")) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[unescapeSegment(raw)];
  }
  return value;
}

/**
 * Quotes a value for a message: strings in double quotes, objects as short JSON.
 *
 * @example
 * ```ts
 * showValue("5m"); // "\"5m\""
 * showValue({ a: 1 }); // "{\"a\":1}"
 * ```
 */
export function showValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  integer: "an integer",
  number: "a number",
  boolean: "a boolean",
  object: "a mapping",
  array: "a list",
  null: "null",
};

function typeNames(type: unknown): string[] {
  const types = Array.isArray(type) ? type : String(type).split(",");
  return types.map((t: unknown) => TYPE_NAMES[String(t)] ?? String(t));
}

function joinAlternatives(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} or ${names.at(-1) ?? ""}`;
}

const FORMAT_NAMES: Record<string, string> = {
  "date-time": "an RFC 3339 date-time",
  byte: "base64-encoded",
  int32: "a 32-bit integer",
  int64: "a 64-bit integer",
};

function describe(error: ErrorObject, doc: unknown, branches: ErrorObject[]): SchemaProblem {
  const path = error.instancePath;
  const field = fieldName(path);
  const got = showValue(valueAt(doc, path));
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties": {
      const child = `${path}/${escapeSegment(String(params.additionalProperty))}`;
      return { path: child, message: `unknown field "${fieldName(child)}"` };
    }
    case "required": {
      const child = `${path}/${escapeSegment(String(params.missingProperty))}`;
      return { path: child, message: `missing required field "${fieldName(child)}"` };
    }
    case "type":
      return { path, message: `${field}: must be ${joinAlternatives(typeNames(params.type))}, got ${got}` };
    case "enum":
      return {
        path,
        message: `${field}: must be one of ${(params.allowedValues as unknown[]).map(showValue).join(", ")}, got ${got}`,
      };
    case "const":
      return { path, message: `${field}: must be ${showValue(params.allowedValue)}, got ${got}` };
    case "pattern":
      return { path, message: `${field}: ${got} does not match the pattern ${String(params.pattern)}` };
    case "format": {
      const format = String(params.format);
      return { path, message: `${field}: must be ${FORMAT_NAMES[format] ?? `a valid ${format}`}, got ${got}` };
    }
    case "anyOf":
    case "oneOf": {
      const types = branches.filter((b) => b.keyword === "type").flatMap((b) => typeNames(b.params.type));
      if (branches.length > 0 && types.length === branches.length) {
        return { path, message: `${field}: must be ${joinAlternatives([...new Set(types)])}, got ${got}` };
      }
      const which = error.keyword === "oneOf" ? "exactly one" : "at least one";
      return { path, message: `${field}: must match ${which} of the allowed forms, got ${got}` };
    }
    default:
      return { path, message: `${field}: ${error.message ?? error.keyword}, got ${got}` };
  }
}

/**
 * Turns ajv errors into problems: one per violation, the errors of `anyOf`/`oneOf` branches folded into the
 * combinator's own problem, duplicates dropped.
 *
 * @example
 * ```ts
 * toProblems(validate.errors ?? [], doc);
 * // [{ path: "/spec/intervall", message: 'unknown field "spec.intervall"' }]
 * ```
 */
export function toProblems(errors: readonly ErrorObject[], doc: unknown): SchemaProblem[] {
  const combinators = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf");
  const branchOf = (error: ErrorObject): ErrorObject | undefined =>
    combinators.find(
      (c) =>
        c !== error &&
        error.schemaPath.startsWith(`${c.schemaPath}/`) &&
        (error.instancePath === c.instancePath || error.instancePath.startsWith(`${c.instancePath}/`)),
    );
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (branchOf(error) !== undefined) continue;
    const branches = errors.filter((e) => branchOf(e) === error && e.instancePath === error.instancePath);
    const problem = describe(error, doc, branches);
    const key = `${problem.path}\n${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}
