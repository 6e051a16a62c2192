import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type * as AjvModule from "ajv";
import type { Ajv, Options, ValidateFunction } from "ajv";
import { currentFluxCrds, thirdPartyCrds, type CrdEntry } from "./crd-catalog.ts";
import { kubernetesCatalog } from "./kubernetes-catalog.ts";
import { toStrictSchema, type JsonSchema } from "./strict-schema.ts";

/** The id under which the vendored Kubernetes definitions are registered with ajv. */
export const KUBERNETES_SCHEMA_ID = "kubernetes";
/** What a CRD root's `metadata` is checked against: the built-in ObjectMeta, strictly. */
export const OBJECT_META: { $ref: string } = { $ref: `${KUBERNETES_SCHEMA_ID}#/definitions/V1ObjectMeta` };

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The number formats of Kubernetes schemas. Precompiled validators embed these functions' source, so they must not
 * refer to anything outside themselves.
 */
export const NUMBER_FORMATS = {
  int32: { type: "number", validate: (n: number): boolean => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 },
  int64: { type: "number", validate: (n: number): boolean => Number.isInteger(n) },
} as const;

/** ajv's options for every schema this package checks, at run time and when precompiling. */
export function ajvOptions(extra: Options = {}): Options {
  return {
    allErrors: true,
    strictSchema: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    allowUnionTypes: true,
    formats: { "date-time": RFC3339, byte: BASE64, ...NUMBER_FORMATS, double: true, float: true },
    ...extra,
  };
}

/**
 * An ajv instance with the Kubernetes definitions registered. ajv is loaded here, on first need: a run whose kinds
 * are all precompiled never loads it.
 *
 * @example
 * ```ts
 * const validate = createAjv().compile({ $ref: "kubernetes#/definitions/V1Namespace" });
 * ```
 */
export function createAjv(extra: Options = {}): Ajv {
  const { Ajv: AjvClass } = createRequire(import.meta.url)("ajv") as typeof AjvModule;
  const ajv = new AjvClass(ajvOptions(extra));
  ajv.addSchema(toStrictSchema({ definitions: kubernetesCatalog().definitions }), KUBERNETES_SCHEMA_ID);
  return ajv;
}

/** The key of a built-in kind's validator. */
export function builtInKey(apiVersion: string, kind: string): string {
  return `${apiVersion} ${kind}`;
}

/** The key of the validator of one version of a CRD: the CRD file's SHA-256 and the version, so an edited CRD never matches. */
export function crdVersionKey(crd: Pick<CrdEntry, "sha256">, version: string): string {
  return `${crd.sha256} ${version}`;
}

/** The strict schema of one served CRD version, as validation compiles it. */
export function strictCrdSchema(schema: JsonSchema): JsonSchema {
  return toStrictSchema(schema, { metadata: OBJECT_META });
}

/**
 * Every schema that is precompiled (`compiled/validators.js`): each built-in kind, and each served version of the
 * vendored Flux and third-party CRDs, by key.
 */
export function precompiledSchemas(): Array<{ key: string; schema: JsonSchema }> {
  const schemas: Array<{ key: string; schema: JsonSchema }> = [];
  for (const { apiVersion, kind, definition } of kubernetesCatalog().kinds)
    schemas.push({ key: builtInKey(apiVersion, kind), schema: { $ref: `${KUBERNETES_SCHEMA_ID}#/definitions/${definition}` } });
  for (const crd of [...currentFluxCrds().entries, ...thirdPartyCrds().entries])
    for (const version of crd.versions)
      if (version.served && version.schema !== undefined)
        schemas.push({ key: crdVersionKey(crd, version.name), schema: strictCrdSchema(version.schema) });
  return schemas;
}

/** SHA-256 of the inputs of the precompiled validators: the generated module records it, a test compares. */
export function precompiledInputsDigest(): string {
  const hash = createHash("sha256");
  const ajvPackage = createRequire(import.meta.url)("ajv/package.json") as { version: string };
  hash.update(`ajv ${ajvPackage.version}`);
  hash.update(JSON.stringify(ajvOptions({ formats: {} })));
  // Without whitespace: type stripping and vitest's transform lay the same source out differently.
  for (const format of Object.values(NUMBER_FORMATS)) hash.update(format.validate.toString().replace(/\s+/g, ""));
  for (const { key, schema } of precompiledSchemas()) hash.update(key).update(JSON.stringify(schema));
  hash.update(JSON.stringify(kubernetesCatalog().definitions));
  return hash.digest("hex");
}

/** The folder of the precompiled validators. */
export const COMPILED_DIRECTORY = new URL("../compiled/", import.meta.url);

/** The content of `compiled/index.json`. */
export interface PrecompiledIndex {
  comment: string;
  /** {@link precompiledInputsDigest} when the modules were written. */
  inputsDigest: string;
  /** {@link builtInKey} / {@link crdVersionKey} → module file in `compiled/`. */
  modules: Record<string, string>;
}

let index: PrecompiledIndex | undefined;
const requireHere = createRequire(import.meta.url);

/**
 * The precompiled validator of a key, loaded on first use; `undefined` when the key has none (a CRD that is not
 * vendored, or one whose file differs from the vendored copy).
 *
 * @example
 * ```ts
 * precompiledValidator(builtInKey("v1", "Namespace"))?.({ apiVersion: "v1", kind: "Namespace", metadata: { name: "a" } }); // true
 * ```
 */
export function precompiledValidator(key: string): ValidateFunction | undefined {
  index ??= JSON.parse(readFileSync(new URL("index.json", COMPILED_DIRECTORY), "utf8")) as PrecompiledIndex;
  const file = index.modules[key];
  if (file === undefined) return undefined;
  const loaded = requireHere(fileURLToPath(new URL(file, COMPILED_DIRECTORY))) as ValidateFunction | { default: ValidateFunction };
  return "default" in loaded ? loaded.default : loaded;
}
