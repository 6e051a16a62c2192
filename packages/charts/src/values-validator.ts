import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { ChartValuesSchema, JsonSchema } from "./chart-schema.ts";

/** One value that its chart's schema refuses. */
export interface ValuesProblem {
  /** The value's path inside the values, dotted: `controller.service.type`, `tolerations[0]`. */
  path: string;
  /** The same path as keys and list indexes, to find where the value came from. */
  segments: readonly string[];
  message: string;
}

export interface CheckValuesOptions {
  /** The known key a misspelt one most likely meant, for the "did you mean" of an unknown key. */
  didYouMean?: (key: string, known: readonly string[]) => string | undefined;
}

// One compiler for every chart; each schema is compiled once (per chart version) and reused for every cluster.
let ajv: Ajv | undefined;
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

function compiler(): Ajv {
  // Chart schemas use formats and keywords of their own; they describe the values, they are not checked themselves
  // (no meta-schema validation). Ajv's code optimiser costs more than it saves for large schemas used a few thousand
  // times: without it the seed's three compile in about 0.1 s instead of about 0.9 s.
  ajv ??= new Ajv({
    allErrors: true,
    strict: false,
    validateFormats: false,
    verbose: true,
    validateSchema: false,
    code: { optimize: false },
  });
  return ajv;
}

/**
 * The compiled validator of a chart version's values schema, compiled on first use and cached.
 *
 * @example
 * ```ts
 * const validate = compileValuesSchema(podinfoValuesSchema);
 * ```
 */
export function compileValuesSchema(schema: ChartValuesSchema<object>): ValidateFunction {
  let validate = compiled.get(schema.schema);
  if (!validate) {
    validate = compiler().compile(schema.schema);
    compiled.set(schema.schema, validate);
  }
  return validate;
}

/**
 * Every value the chart's schema refuses, with its path and a one-sentence fix: an unknown key (with the closest
 * known key, when one is close enough to be a typo), a wrong type, a value outside an enum.
 *
 * @example
 * ```ts
 * checkChartValues(ingressNginxValuesSchema, { controler: {} }, { didYouMean });
 * // [{ path: "controler", message: 'Unknown key "controler" in ingress-nginx 4.15.1\'s values (did you mean "controller"?).' }]
 * ```
 */
export function checkChartValues(schema: ChartValuesSchema<object>, values: unknown, options: CheckValuesOptions = {}): ValuesProblem[] {
  const validate = compileValuesSchema(schema);
  if (validate(values)) return [];
  const chart = `${schema.chart} ${schema.version}`;
  const problems = new Map<string, ValuesProblem>();
  for (const error of validate.errors ?? []) {
    const problem = describeError(error, chart, options.didYouMean ?? (() => undefined));
    // anyOf/oneOf branches report the same place many times: keep the first sentence per path.
    if (problem && !problems.has(problem.path)) problems.set(problem.path, problem);
  }
  return [...problems.values()];
}

function describeError(
  error: ErrorObject,
  chart: string,
  didYouMean: NonNullable<CheckValuesOptions["didYouMean"]>,
): ValuesProblem | undefined {
  const segments = pointerSegments(error.instancePath);
  const at = segmentsToPath(segments);
  const where = at === "" ? `${chart}'s values` : `${chart}'s value ${at}`;
  switch (error.keyword) {
    case "additionalProperties": {
      const key = (error.params as { additionalProperty: string }).additionalProperty;
      const properties: unknown = error.parentSchema?.["properties"];
      const known = properties !== null && typeof properties === "object" ? Object.keys(properties) : [];
      const suggestion = didYouMean(key, known);
      return {
        path: segmentsToPath([...segments, key]),
        segments: [...segments, key],
        message: `Unknown key ${JSON.stringify(key)} in ${at === "" ? `${chart}'s values` : `${chart}'s ${at}`}${suggestion === undefined ? "" : ` (did you mean ${JSON.stringify(suggestion)}?)`}: the chart does not read it; ${suggestion === undefined ? "remove it or check the chart's values.yaml" : "rename it"}.`,
      };
    }
    case "type":
      return {
        path: at,
        segments,
        message: `${describe(error.data)} is not ${article((error.params as { type: string | string[] }).type)}, as ${where} must be.`,
      };
    case "enum": {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      return {
        path: at,
        segments,
        message: `${describe(error.data)} is not allowed for ${where}: use one of ${allowed.map(describe).join(", ")}.`,
      };
    }
    case "const":
      return {
        path: at,
        segments,
        message: `${describe(error.data)} is not allowed for ${where}: use ${describe((error.params as { allowedValue: unknown }).allowedValue)}.`,
      };
    case "anyOf":
    case "oneOf":
      return undefined;
    default:
      return { path: at, segments, message: `${describe(error.data)} does not fit ${where}: it ${error.message ?? "is invalid"}.` };
  }
}

function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"));
}

function segmentsToPath(segments: readonly string[]): string {
  return segments.reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path === "" ? part : `${path}.${part}`), "");
}

function article(type: string | string[]): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`)).join(" or ");
}

function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
