import { Ajv, type ValidateFunction } from "ajv";
import { splitApiVersion } from "./api-version.ts";
import { currentFluxCrds, legacyFluxCrds, type CrdEntry } from "./crd-catalog.ts";
import { FLUX_API_REMOVALS } from "./flux-api-removals.ts";
import { kubernetesCatalog } from "./kubernetes-catalog.ts";
import { toProblems, type SchemaProblem } from "./problems.ts";
import { withoutSops } from "./sops.ts";
import { toStrictSchema } from "./strict-schema.ts";

/**
 * The outcome of validating one object. `skipped` means no schema is known for its apiVersion and kind.
 *
 * @example
 * ```ts
 * const result: SchemaResult = createSchemaValidator().validate(doc);
 * if (result.status === "invalid") for (const p of result.problems) console.log(`${p.path}: ${p.message}`);
 * ```
 */
export type SchemaResult = { status: "valid" } | { status: "invalid"; problems: SchemaProblem[] } | { status: "skipped"; reason: string };

/**
 * Validates parsed Kubernetes objects against the vendored schemas; made by {@link createSchemaValidator}.
 *
 * @example
 * ```ts
 * const validator: SchemaValidator = createSchemaValidator();
 * validator.validate({ apiVersion: "v1", kind: "Namespace", metadata: { name: "apps" } }); // { status: "valid" }
 * ```
 */
export interface SchemaValidator {
  /** Validates one object (a plain object parsed from YAML). Never throws for bad input. */
  validate(doc: unknown): SchemaResult;
}

const KUBERNETES_SCHEMA_ID = "kubernetes";
const OBJECT_META: { $ref: string } = { $ref: `${KUBERNETES_SCHEMA_ID}#/definitions/V1ObjectMeta` };

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function createAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    strictSchema: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    allowUnionTypes: true,
    formats: {
      "date-time": RFC3339,
      byte: BASE64,
      int32: { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 },
      int64: { type: "number", validate: (n: number) => Number.isInteger(n) },
      double: true,
      float: true,
    },
  });
  const { definitions } = kubernetesCatalog();
  ajv.addSchema(toStrictSchema({ definitions }), KUBERNETES_SCHEMA_ID);
  return ajv;
}

type Route = { validate: () => ValidateFunction } | { result: SchemaResult };

function invalid(path: string, message: string): SchemaResult {
  return { status: "invalid", problems: [{ path, message }] };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function preferredVersion(crd: CrdEntry): string | undefined {
  const served = crd.versions.filter((v) => v.served);
  return (served.find((v) => v.storage) ?? served[0])?.name;
}

/** Why a Flux apiVersion that the current CRDs do not serve is wrong, naming the version to use. */
function unservedFluxVersion(group: string, version: string, kind: string, crd: CrdEntry): SchemaResult {
  const apiVersion = `${group}/${version}`;
  const replacement = preferredVersion(crd);
  const use = replacement === undefined ? "" : `: use ${group}/${replacement}`;
  const wasServed = legacyFluxCrds()
    .find(group, kind)
    ?.versions.some((v) => v.name === version && v.served);
  if (wasServed === true) {
    const release = FLUX_API_REMOVALS[apiVersion];
    const removed = release === undefined ? "" : ` (removed in Flux ${release})`;
    return invalid("/apiVersion", `${apiVersion} is no longer served by Flux${removed}${use}`);
  }
  return invalid("/apiVersion", `${apiVersion} is not an API version of ${kind} that Flux serves${use}`);
}

/**
 * Creates a validator for Flux and Kubernetes objects. Strict like kubeconform `-strict`: unknown fields are errors
 * everywhere, `metadata` included, except under fields that preserve unknown fields (HelmRelease `spec.values`).
 * Flux kinds are checked against the vendored CRDs of the exact served apiVersion; a version Flux no longer serves is
 * an error naming its replacement. Built-in kinds use the vendored Kubernetes schemas; anything else is `skipped`.
 * SOPS-encrypted objects are checked as they will be after decryption. Schemas are compiled lazily, once per
 * apiVersion and kind, and shared by later calls.
 *
 * @example
 * ```ts
 * const validator = createSchemaValidator();
 * validator.validate({
 *   apiVersion: "kustomize.toolkit.fluxcd.io/v1",
 *   kind: "Kustomization",
 *   metadata: { name: "apps", namespace: "flux-system" },
 *   spec: { interval: 5, prune: true, sourceRef: { kind: "GitRepository", name: "flux-system" } },
 * });
 * // { status: "invalid", problems: [{ path: "/spec/interval", message: "spec.interval: must be a string, got 5" }] }
 * ```
 */
export function createSchemaValidator(): SchemaValidator {
  let ajv: Ajv | undefined;
  const routes = new Map<string, Route>();

  function compile(schema: object): () => ValidateFunction {
    let compiled: ValidateFunction | undefined;
    return () => {
      ajv ??= createAjv();
      compiled ??= ajv.compile(schema);
      return compiled;
    };
  }

  function route(apiVersion: string, kind: string): Route {
    const builtIn = kubernetesCatalog().kinds.find((k) => k.apiVersion === apiVersion && k.kind === kind);
    if (builtIn !== undefined) {
      return { validate: compile({ $ref: `${KUBERNETES_SCHEMA_ID}#/definitions/${builtIn.definition}` }) };
    }
    const { group, version } = splitApiVersion(apiVersion);
    const crds = currentFluxCrds();
    const crd = crds.find(group, kind);
    if (crd !== undefined) {
      const served = crd.versions.find((v) => v.name === version && v.served);
      if (served === undefined) return { result: unservedFluxVersion(group, version, kind, crd) };
      if (served.schema === undefined) {
        return { result: { status: "skipped", reason: `the ${kind} CRD declares no schema for ${apiVersion}` } };
      }
      return { validate: compile(toStrictSchema(served.schema, { metadata: OBJECT_META })) };
    }
    if (crds.hasGroup(group)) {
      const kinds = crds.entries.filter((e) => e.group === group).map((e) => e.kind);
      const use = kinds.length === 1 ? `use ${kinds.join("")}` : `use one of ${kinds.join(", ")}`;
      return { result: invalid("/kind", `Flux serves no kind "${kind}" in ${group}: ${use}`) };
    }
    return {
      result: {
        status: "skipped",
        reason: `no schema for ${apiVersion} ${kind}: only the Flux CRDs and common built-in Kubernetes kinds are vendored`,
      },
    };
  }

  return {
    validate(doc) {
      if (!isPlainObject(doc)) return invalid("", `a Kubernetes object must be a mapping, got ${JSON.stringify(doc)}`);
      const { apiVersion, kind } = doc;
      if (typeof apiVersion !== "string" || apiVersion === "") {
        return invalid("/apiVersion", `missing required field "apiVersion"`);
      }
      if (typeof kind !== "string" || kind === "") return invalid("/kind", `missing required field "kind"`);
      const key = `${apiVersion}\n${kind}`;
      let found = routes.get(key);
      if (found === undefined) {
        found = route(apiVersion, kind);
        routes.set(key, found);
      }
      if ("result" in found) return found.result;
      const subject = withoutSops(doc);
      const validate = found.validate();
      if (validate(subject)) return { status: "valid" };
      return { status: "invalid", problems: toProblems(validate.errors ?? [], subject) };
    },
  };
}
