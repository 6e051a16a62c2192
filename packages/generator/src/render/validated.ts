import { toPlainObject, validateModel, type KubernetesObject } from "@flux-fleet/models";
import type { Issue, Where } from "../errors.ts";

type Model = Parameters<typeof validateModel>[0];

function describe(object: KubernetesObject): string {
  const { namespace, name } = object.metadata ?? {};
  return `${object.kind}/${namespace ? `${namespace}/` : ""}${name}`;
}

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
      where: { ...where, object: describe(plain) },
    });
  }
  return plain;
}
