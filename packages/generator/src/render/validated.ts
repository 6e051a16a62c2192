import { toPlainObject } from "@flux-fleet/models";
import { createSchemaValidator, type SchemaValidator } from "@flux-fleet/schemas";
import { type Issue, type Where, describeDocument } from "@flux-fleet/validate";

type Model = Parameters<typeof toPlainObject>[0];

let validator: SchemaValidator | undefined;

/**
 * Validates a model strictly against its schema (the Flux CRD or the Kubernetes API, with the CRD's CEL rules, as
 * the spoke view checks every object) and returns it as a plain object; problems are added to `issues` with the
 * fleet file, line, cluster or component and the generated file they concern, once per object the fleet defines
 * rather than once per overlay that applies it.
 */
export function validated(model: Model, where: Where, issues: Issue[]): Record<string, unknown> {
  const plain = toPlainObject(model);
  validator ??= createSchemaValidator();
  const result = validator.validate(plain);
  if (result.status === "invalid") {
    for (const problem of result.problems) {
      issues.push({
        severity: "error",
        message: `${problem.path ? `${problem.path}: ` : ""}${problem.message}`,
        where: { ...where, object: describeDocument(plain) },
      });
    }
  }
  return plain;
}
