import { createHash } from "node:crypto";
import { createSchemaValidator, type CrdText, type SchemaValidator } from "@flux-fleet/schemas";
import type { Issue, Where } from "../errors.ts";
import { formatSize, MAX_OBJECT_BYTES } from "../read/document-source.ts";
import { describeDocument, isKubeDocument } from "../spoke-view/kube-document.ts";

/** An object no schema is known for, or a CEL rule that was not evaluated: reported, never silently passed. */
export interface SkippedObject {
  object: string;
  apiVersion: string;
  reason: string;
  where: Where;
  /** Set when what was skipped is one CRD validation rule (reported once per run), not the whole object. */
  rule?: { rule: string; path: string; why: string };
}

/** How Flux applies the checked objects, for the namespace semantics. */
export interface ApplyContext {
  /** The objects are applied by a Flux Kustomization (a hub file, a spoke's layer), not merely built. */
  appliedByFlux: boolean;
  /** The Kustomization's `spec.targetNamespace`, which Flux sets on every object the build yields. */
  targetNamespace?: string | undefined;
}

/** Validators by CRD set: each compiles a schema (and its CEL rules) once per process, however many runs. */
const shared = new Map<string, SchemaValidator>();

function validatorFor(crds: readonly CrdText[], celRules: boolean): SchemaValidator {
  const hash = createHash("sha256").update(String(celRules));
  // By digest: a vendored CRD's text is read only if something asks for it.
  for (const crd of crds) hash.update(`${crd.file}\0${crd.sha256 ?? createHash("sha256").update(crd.text).digest("hex")}\0`);
  const key = hash.digest("hex");
  let validator = shared.get(key);
  if (validator === undefined) {
    validator = createSchemaValidator({ crds, celRules });
    shared.set(key, validator);
  }
  return validator;
}

/**
 * Validates objects strictly against the Flux CRD and Kubernetes schemas and the CRDs the fleet ships, once per
 * distinct content: schema, CEL rules, names, labels and annotations, and, for objects Flux applies, where they
 * land (`metadata.namespace`). Problems become issues at `where`; objects without a schema and rules that could not
 * be evaluated are returned as skipped.
 *
 * @example
 * ```ts
 * const checker = createSchemaChecker();
 * checker.check(documents, { generated: "hub/staging.yaml", cluster: "staging" }, { appliedByFlux: true });
 * ```
 */
export function createSchemaChecker(options: { crds?: readonly CrdText[]; celRules?: boolean } = {}) {
  const validator = validatorFor(options.crds ?? [], options.celRules ?? true);
  const seen = new Set<string>();
  const seenRules = new Set<string>();
  const issues: Issue[] = [];
  const skipped: SkippedObject[] = [];
  let validated = 0;
  return {
    check(documents: readonly unknown[], where: Where, context: ApplyContext = { appliedByFlux: false }): void {
      for (const doc of documents) {
        const key = JSON.stringify(doc);
        if (seen.has(key)) continue;
        seen.add(key);
        validated++;
        const object = isKubeDocument(doc) ? describeDocument(doc) : "a document";
        const size = key.length > MAX_OBJECT_BYTES / 4 ? Buffer.byteLength(key) : 0;
        if (size > MAX_OBJECT_BYTES)
          issues.push({
            severity: "warning",
            message: `Is ${formatSize(size)} as JSON, above the ${formatSize(MAX_OBJECT_BYTES)} the API server accepts for one object: split it or keep the data elsewhere.`,
            where: { ...where, object },
          });
        const error = (message: string) => issues.push({ severity: "error", message, where: { ...where, object } });
        const result = validator.validate(doc);
        if (result.status === "invalid") {
          for (const problem of result.problems) error(`${problem.path ? `${problem.path}: ` : ""}${problem.message}`);
        } else if (result.status === "skipped") {
          skipped.push({
            object,
            apiVersion: isKubeDocument(doc) ? doc.apiVersion : "",
            reason: result.reason,
            where: { ...where, object },
          });
        }
        if (result.status !== "skipped" && isKubeDocument(doc)) {
          for (const rule of result.unevaluated ?? []) {
            const ruleKey = `${doc.apiVersion}\0${doc.kind}\0${rule.path}\0${rule.rule}`;
            if (seenRules.has(ruleKey)) continue;
            seenRules.add(ruleKey);
            skipped.push({
              object,
              apiVersion: doc.apiVersion,
              rule: { rule: rule.rule, path: rule.path || "/", why: rule.reason },
              reason: `the ${doc.kind} CRD's rule "${rule.rule}" at ${rule.path || "/"} was not evaluated: ${rule.reason}`,
              where: { ...where, object },
            });
          }
          checkNamespace(doc, object, context, validator, error);
        }
      }
    },
    result: () => ({ issues, skipped, validated }),
  };
}

/**
 * Where an applied object lands. A cluster-scoped kind with `metadata.namespace` is a mistake in the files (the API
 * server drops the field), except when Flux's `targetNamespace` put it there: Flux sets it on every object and the
 * API server ignores it on cluster-scoped ones. A namespaced kind without a namespace cannot be applied: Flux's
 * server-side apply has no default namespace (unlike kubectl), so with no `targetNamespace` the object needs one.
 * Kinds of unknown scope are left alone.
 */
function checkNamespace(
  doc: { apiVersion: string; kind: string; metadata: { namespace?: string } },
  object: string,
  context: ApplyContext,
  validator: SchemaValidator,
  error: (message: string) => void,
): void {
  const clusterScoped = validator.isClusterScoped(doc.apiVersion, doc.kind);
  const namespace = doc.metadata.namespace;
  if (clusterScoped === true && namespace !== undefined && namespace !== context.targetNamespace) {
    error(`/metadata/namespace: ${doc.kind} is cluster-scoped, so metadata.namespace "${namespace}" has no effect: remove it.`);
  } else if (clusterScoped === false && context.appliedByFlux && namespace === undefined) {
    error(
      `/metadata/namespace: ${doc.kind} is namespaced but sets no metadata.namespace and the Flux Kustomization applying it sets no targetNamespace: Flux cannot apply it; add metadata.namespace.`,
    );
  }
}
