import { isMapping } from "./mapping.ts";

/** A JSON schema as a plain object (OpenAPI v3 structural schema on input, ajv draft-07 on output). */
export type JsonSchema = { [keyword: string]: unknown };

/** The keywords kept as they are; everything else (descriptions, defaults, CEL rules, …) is dropped. */
const VALUE_KEYWORDS = new Set([
  "type",
  "required",
  "enum",
  "const",
  "format",
  "pattern",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "uniqueItems",
  "minProperties",
  "maxProperties",
  "multipleOf",
  "$ref",
]);

/** The formats the validator knows; others (informational in OpenAPI) are dropped rather than failing compilation. */
export const KNOWN_FORMATS = new Set(["date-time", "byte", "int32", "int64", "double", "float"]);

/** Options of {@link toStrictSchema}. */
export interface StrictSchemaOptions {
  /** The schema that replaces the bare `metadata: {type: object}` of a CRD's root. */
  metadata?: JsonSchema;
}

/**
 * Turns a Kubernetes OpenAPI v3 schema into a strict draft-07 schema for ajv, like kubeconform `-strict`: every
 * object schema with `properties` and no `additionalProperties` gets `additionalProperties: false` unless it has
 * `x-kubernetes-preserve-unknown-fields: true`. Kubernetes keywords are mapped (`nullable`, OpenAPI's boolean
 * `exclusiveMinimum`) or dropped (`x-kubernetes-validations`, CEL, is not evaluated). Subschemas under
 * `allOf`/`anyOf`/`oneOf`/`not` only constrain values (structural-schema rule), so they are not made strict.
 *
 * @example
 * ```ts
 * toStrictSchema({ type: "object", properties: { a: { type: "string", description: "A." } } });
 * // { type: "object", properties: { a: { type: "string" } }, additionalProperties: false }
 * ```
 */
export function toStrictSchema(schema: JsonSchema, options: StrictSchemaOptions = {}): JsonSchema {
  const root = convert(schema, true);
  if (options.metadata !== undefined && isMapping(root.properties) && "metadata" in root.properties) {
    root.properties = { ...root.properties, metadata: options.metadata };
  }
  return root;
}

function convert(schema: JsonSchema, structural: boolean): JsonSchema {
  const out: JsonSchema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (VALUE_KEYWORDS.has(keyword)) {
      if (keyword === "format" && !KNOWN_FORMATS.has(String(value))) continue;
      out[keyword] = value;
    }
  }
  if (schema.exclusiveMinimum === true && typeof schema.minimum === "number") {
    out.exclusiveMinimum = schema.minimum;
    delete out.minimum;
  }
  if (schema.exclusiveMaximum === true && typeof schema.maximum === "number") {
    out.exclusiveMaximum = schema.maximum;
    delete out.maximum;
  }
  if (schema.nullable === true && typeof out.type === "string") out.type = [out.type, "null"];
  if (schema["x-kubernetes-list-type"] === "set") out.uniqueItems = true;

  const preserveUnknown = schema["x-kubernetes-preserve-unknown-fields"] === true;
  if (isMapping(schema.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([name, sub]) => [name, isMapping(sub) ? convert(sub, structural) : {}]),
    );
  }
  if (isMapping(schema.additionalProperties)) {
    out.additionalProperties = convert(schema.additionalProperties, structural);
  } else if (typeof schema.additionalProperties === "boolean") {
    out.additionalProperties = schema.additionalProperties;
  } else if (structural && isMapping(schema.properties) && !preserveUnknown) {
    out.additionalProperties = false;
  }
  if (isMapping(schema.items)) out.items = convert(schema.items, structural);
  for (const combinator of ["allOf", "anyOf", "oneOf"] as const) {
    const branches = schema[combinator];
    if (Array.isArray(branches)) {
      out[combinator] = branches.map((branch: unknown) => (isMapping(branch) ? convert(branch, false) : {}));
    }
  }
  if (isMapping(schema.not)) out.not = convert(schema.not, false);
  if (isMapping(schema.definitions)) {
    out.definitions = Object.fromEntries(
      Object.entries(schema.definitions).map(([name, sub]) => [name, isMapping(sub) ? convert(sub, structural) : {}]),
    );
  }
  return out;
}
