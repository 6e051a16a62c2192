import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type * as AjvModule from "ajv";
import type { Ajv, ErrorObject, Options, ValidateFunction } from "ajv";
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

/**
 * Options of {@link compileValuesSchema}.
 *
 * @example
 * ```ts
 * const options: CompileValuesOptions = { precompiled: false };
 * ```
 */
export interface CompileValuesOptions {
  /**
   * `false` compiles the schema at run time even when the package ships its validator precompiled (default `true`);
   * tests use it to prove that both give the same verdicts.
   */
  precompiled?: boolean;
}

/**
 * ajv's options for chart values schemas, at run time and when precompiling. Chart schemas use formats and
 * keywords of their own; they describe the values, they are not checked themselves (no meta-schema validation).
 * Ajv's code optimiser costs more than it saves for large schemas compiled at run time: without it the seed's
 * three compile in about 0.1 s instead of about 0.9 s.
 */
export function valuesAjvOptions(code: Options["code"] = {}): Options {
  return {
    allErrors: true,
    strict: false,
    validateFormats: false,
    verbose: true,
    validateSchema: false,
    code: { optimize: false, ...code },
  };
}

// One compiler for every chart a run compiles; each schema is compiled (or loaded) once and reused for every cluster.
let ajv: Ajv | undefined;
const compiled = new WeakMap<JsonSchema, ValidateFunction>();
const requireHere = createRequire(import.meta.url);

/** The folder of the precompiled values validators (`scripts/compile-validators.ts` writes it). */
export const COMPILED_DIRECTORY = new URL("../compiled/", import.meta.url);

/** The content of `compiled/index.json`. */
export interface PrecompiledValuesIndex {
  comment: string;
  /** {@link precompiledInputsDigest} when the modules were written. */
  inputsDigest: string;
  /** {@link valuesSchemaKey} → module file in `compiled/`. */
  modules: Record<string, string>;
}

let index: PrecompiledValuesIndex | undefined;

/**
 * The key of a values schema's precompiled validator: the SHA-256 of the schema's JSON, so that a schema that differs
 * in any way from the one compiled at build time (a regenerated or hand-edited module) never matches.
 *
 * @example
 * ```ts
 * valuesSchemaKey(podinfoValuesSchema); // "3f5c…"
 * ```
 */
export function valuesSchemaKey(schema: ChartValuesSchema<object>): string {
  return createHash("sha256").update(JSON.stringify(schema.schema)).digest("hex");
}

/** How the precompiled validators are generated: as source, and optimised, since they are compiled once, at build time. */
export const PRECOMPILED_CODE_OPTIONS = { source: true, optimize: true } as const satisfies Options["code"];

/** SHA-256 of what the precompiled validators depend on: ajv's version, the options and each schema's key. */
export function precompiledInputsDigest(keys: readonly string[]): string {
  const hash = createHash("sha256");
  hash.update(`ajv ${(requireHere("ajv/package.json") as { version: string }).version}`);
  hash.update(JSON.stringify(valuesAjvOptions(PRECOMPILED_CODE_OPTIONS)));
  for (const key of keys) hash.update(key);
  return hash.digest("hex");
}

function precompiledValidator(schema: ChartValuesSchema<object>): ValidateFunction | undefined {
  index ??= JSON.parse(readFileSync(new URL("index.json", COMPILED_DIRECTORY), "utf8")) as PrecompiledValuesIndex;
  const file = index.modules[valuesSchemaKey(schema)];
  if (file === undefined) return undefined;
  const loaded = requireHere(fileURLToPath(new URL(file, COMPILED_DIRECTORY))) as ValidateFunction | { default: ValidateFunction };
  return "default" in loaded ? loaded.default : loaded;
}

/**
 * An ajv instance for chart values schemas. ajv is loaded here, on first need: a run whose charts are all
 * precompiled (the vendored ones) never loads it.
 *
 * @example
 * ```ts
 * const validate = createValuesAjv().compile({ type: "object" });
 * ```
 */
export function createValuesAjv(code: Options["code"] = {}): Ajv {
  const { Ajv: AjvClass } = requireHere("ajv") as typeof AjvModule;
  return new AjvClass(valuesAjvOptions(code));
}

/**
 * The validator of a chart version's values schema: the one precompiled at build time when the package ships it
 * (the vendored charts), else compiled on first use; cached either way.
 *
 * @example
 * ```ts
 * const validate = compileValuesSchema(podinfoValuesSchema);
 * ```
 */
export function compileValuesSchema(schema: ChartValuesSchema<object>, options: CompileValuesOptions = {}): ValidateFunction {
  let validate = options.precompiled === false ? undefined : compiled.get(schema.schema);
  if (!validate) {
    if (options.precompiled !== false) validate = precompiledValidator(schema);
    if (!validate) {
      ajv ??= createValuesAjv();
      validate = ajv.compile(schema.schema);
    }
    if (options.precompiled !== false) compiled.set(schema.schema, validate);
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
