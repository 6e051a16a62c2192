import { createSchemaValidator, type SchemaValidator } from "@flux-fleet/schemas";
import type { Issue, Where } from "../errors.ts";
import { formatSize, MAX_OBJECT_BYTES } from "./document-source.ts";
import { describeDocument, isKubeDocument } from "./kube-document.ts";

/** An object no schema is known for: reported, never silently passed. */
export interface SkippedObject {
  object: string;
  apiVersion: string;
  reason: string;
  where: Where;
}

let shared: SchemaValidator | undefined;

/**
 * Validates objects strictly against the Flux CRD and Kubernetes schemas, once per distinct content.
 * Problems become issues at `where`; objects without a schema are returned as skipped.
 *
 * @example
 * ```ts
 * const checker = createSchemaChecker();
 * checker.check(documents, { generated: "hub/staging.yaml", cluster: "staging" });
 * ```
 */
export function createSchemaChecker() {
  const validator = (shared ??= createSchemaValidator());
  const seen = new Set<string>();
  const issues: Issue[] = [];
  const skipped: SkippedObject[] = [];
  let validated = 0;
  return {
    check(documents: readonly unknown[], where: Where): void {
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
        const result = validator.validate(doc);
        if (result.status === "invalid") {
          for (const problem of result.problems) {
            issues.push({
              severity: "error",
              message: `${problem.path ? `${problem.path}: ` : ""}${problem.message}`,
              where: { ...where, object },
            });
          }
        } else if (result.status === "skipped") {
          skipped.push({
            object,
            apiVersion: isKubeDocument(doc) ? doc.apiVersion : "",
            reason: result.reason,
            where: { ...where, object },
          });
        }
      }
    },
    result: () => ({ issues, skipped, validated }),
  };
}
