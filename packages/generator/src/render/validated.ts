import { toPlainObject, validateModel } from "@flux-fleet/models";
import { type Issue, type Where, describeDocument } from "@flux-fleet/validate";

type Model = Parameters<typeof validateModel>[0];

/**
 * Validates a model against its schema and returns it as a plain object; schema problems are added to
 * `issues` with the generated file and object they concern.
 */
export function validated(model: Model, where: Where, issues: Issue[]): Record<string, unknown> {
  const plain = toPlainObject(model);
  for (const problem of validateModel(model)) {
    issues.push({
      severity: "error",
      message: `${problem.path || "/"} ${problem.message}.`,
      where: { ...where, object: describeDocument(plain) },
    });
  }
  return plain;
}
