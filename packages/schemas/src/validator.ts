import type { Ajv, ValidateFunction } from "ajv";
import { splitApiVersion } from "./api-version.ts";
import { compileCelRules, type CelRuleSet, type UnevaluatedRule } from "./cel-rules.ts";
import { crdCatalogOf, currentFluxCrds, legacyFluxCrds, type CrdCatalog, type CrdEntry, type CrdText } from "./crd-catalog.ts";
import { FLUX_API_REMOVALS } from "./flux-api-removals.ts";
import { kubernetesCatalog } from "./kubernetes-catalog.ts";
import { checkObjectMeta } from "./object-meta.ts";
import { toProblems, type SchemaProblem } from "./problems.ts";
import { isClusterScoped } from "./scope.ts";
import { withoutSops } from "./sops.ts";
import { builtInKey, createAjv, crdVersionKey, KUBERNETES_SCHEMA_ID, precompiledValidator, strictCrdSchema } from "./schema-compiler.ts";
import { isMapping } from "./mapping.ts";

/**
 * The outcome of validating one object. `skipped` means no schema is known for its apiVersion and kind.
 *
 * @example
 * ```ts
 * const result: SchemaResult = createSchemaValidator().validate(doc);
 * if (result.status === "invalid") for (const p of result.problems) console.log(`${p.path}: ${p.message}`);
 * ```
 */
export type SchemaResult =
  | { status: "valid"; unevaluated?: UnevaluatedRule[] }
  | { status: "invalid"; problems: SchemaProblem[]; unevaluated?: UnevaluatedRule[] }
  | { status: "skipped"; reason: string };

/**
 * Options of {@link createSchemaValidator}.
 *
 * @example
 * ```ts
 * const options: SchemaValidatorOptions = { crds: [{ file: "crds/widgets.yaml", text }] };
 * ```
 */
export interface SchemaValidatorOptions {
  /**
   * CRDs of kinds other than Flux's (a fleet's or a component's own, such as cert-manager's): objects of these kinds
   * are validated strictly, CEL rules included, instead of being skipped. Flux and built-in kinds keep their schemas.
   */
  crds?: readonly CrdText[];
  /** `false` leaves the CEL rules out (default `true`); `pnpm bench` uses it to measure what they cost. */
  celRules?: boolean;
  /**
   * `false` compiles every schema at run time instead of using the validators precompiled for the vendored ones, and
   * evaluates every CEL rule with the CEL library instead of the vendored CRDs' precompiled rules (default `true`);
   * tests use it to prove that both give the same verdicts.
   */
  precompiled?: boolean;
}

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
  /**
   * Validates one object (a plain object parsed from YAML). Never throws for bad input. `unevaluated` lists the CEL
   * rules that applied to the object but that the library cannot evaluate: the object is not proven valid by them.
   */
  validate(doc: unknown): SchemaResult;
  /**
   * Whether a kind is cluster-scoped (`true`), namespaced (`false`) or unknown (`undefined`): built-in and Flux kinds
   * as {@link isClusterScoped} says, other kinds from the CRDs given in the options.
   */
  isClusterScoped(apiVersion: string, kind: string): boolean | undefined;
}

type Route = { validate: () => ValidateFunction; rules?: () => CelRuleSet } | { result: SchemaResult };

function invalid(path: string, message: string): SchemaResult {
  return { status: "invalid", problems: [{ path, message }] };
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
export function createSchemaValidator(options: SchemaValidatorOptions = {}): SchemaValidator {
  let ajv: Ajv | undefined;
  const routes = new Map<string, Route>();
  const extra: CrdCatalog | undefined = options.crds && options.crds.length > 0 ? crdCatalogOf(options.crds) : undefined;

  function crdRoute(crd: CrdEntry, group: string, version: string, kind: string, apiVersion: string): Route {
    const served = crd.versions.find((v) => v.name === version && v.served);
    if (served === undefined) {
      if (crd === currentFluxCrds().find(group, kind)) return { result: unservedFluxVersion(group, version, kind, crd) };
      const use = preferredVersion(crd);
      return {
        result: invalid(
          "/apiVersion",
          `${apiVersion} is not an API version the ${kind} CRD (${crd.file}) serves${use === undefined ? "" : `: use ${group}/${use}`}`,
        ),
      };
    }
    const schema = served.schema;
    if (schema === undefined) {
      return { result: { status: "skipped", reason: `the ${kind} CRD declares no schema for ${apiVersion}` } };
    }
    let rules: CelRuleSet | undefined;
    return {
      validate: compile(crdVersionKey(crd, version), () => strictCrdSchema(schema)),
      rules: () => (rules ??= compileCelRules(schema, { precompiled: options.precompiled !== false })),
    };
  }

  /** The validator of a key: precompiled when the package ships one for it, else compiled here once. */
  function compile(key: string, schema: () => object): () => ValidateFunction {
    let compiled: ValidateFunction | undefined;
    return () => {
      if (compiled === undefined && options.precompiled !== false) compiled = precompiledValidator(key);
      if (compiled === undefined) {
        ajv ??= createAjv();
        compiled = ajv.compile(schema());
      }
      return compiled;
    };
  }

  function route(apiVersion: string, kind: string): Route {
    const builtIn = kubernetesCatalog().kinds.find((k) => k.apiVersion === apiVersion && k.kind === kind);
    if (builtIn !== undefined) {
      return {
        validate: compile(builtInKey(apiVersion, kind), () => ({ $ref: `${KUBERNETES_SCHEMA_ID}#/definitions/${builtIn.definition}` })),
      };
    }
    const { group, version } = splitApiVersion(apiVersion);
    const crds = currentFluxCrds();
    const crd = crds.find(group, kind);
    if (crd !== undefined) return crdRoute(crd, group, version, kind, apiVersion);
    if (crds.hasGroup(group)) {
      const kinds = crds.entries.filter((e) => e.group === group).map((e) => e.kind);
      const use = kinds.length === 1 ? `use ${kinds.join("")}` : `use one of ${kinds.join(", ")}`;
      return { result: invalid("/kind", `Flux serves no kind "${kind}" in ${group}: ${use}`) };
    }
    const shipped = extra?.find(group, kind);
    if (shipped !== undefined) return crdRoute(shipped, group, version, kind, apiVersion);
    return {
      result: {
        status: "skipped",
        reason: `no schema for ${apiVersion} ${kind}: only the Flux CRDs, common built-in Kubernetes kinds and the CRDs a fleet ships are known`,
      },
    };
  }

  return {
    validate(doc) {
      if (!isMapping(doc)) return invalid("", `a Kubernetes object must be a mapping, got ${JSON.stringify(doc)}`);
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
      const problems = validate(subject) ? [] : toProblems(validate.errors ?? [], subject);
      const structural = problems.length === 0;
      problems.push(...checkObjectMeta({ apiVersion, kind, metadata: (subject as Record<string, unknown>).metadata }));
      const cel = options.celRules === false ? undefined : found.rules?.().evaluate(subject);
      // On an object that already breaks its schema, a rule may fail only because a field has the wrong type:
      // the schema problem is the one to fix, as the API server reports it first.
      for (const problem of cel?.problems ?? []) {
        if (structural || !problem.evaluationError) problems.push({ path: problem.path, message: problem.message });
      }
      const unevaluated = cel !== undefined && cel.unevaluated.length > 0 ? { unevaluated: cel.unevaluated } : {};
      if (problems.length === 0) return { status: "valid", ...unevaluated };
      return { status: "invalid", problems, ...unevaluated };
    },
    isClusterScoped(apiVersion, kind) {
      const known = isClusterScoped(apiVersion, kind);
      if (known !== undefined || extra === undefined) return known;
      const crd = extra.find(splitApiVersion(apiVersion).group, kind);
      return crd === undefined ? undefined : !crd.namespaced;
    },
  };
}
