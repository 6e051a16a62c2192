/**
 * The shape every Kubernetes object shares; what the generator serialises.
 *
 * @example
 * ```ts
 * const issuer: KubernetesObject = { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: "letsencrypt" } };
 * ```
 */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** A problem found by a model's schema, at a JSON pointer inside the object. */
export interface ModelProblem {
  path: string;
  message: string;
}

interface ValidatableModel {
  validate(): void;
  toJSON(): unknown;
}

interface AjvErrorLike {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/**
 * Runs a model's own `validate()` and returns its problems instead of throwing.
 *
 * @example
 * ```ts
 * validateModel(new Namespace({ metadata: { name: "podinfo" } })); // []
 * ```
 */
export function validateModel(model: ValidatableModel): ModelProblem[] {
  try {
    model.validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: AjvErrorLike[] }).errors;
    if (!Array.isArray(errors)) throw error;
    return errors.map((e) => ({
      path: e.instancePath ?? "",
      message: describeAjvError(e),
    }));
  }
}

function describeAjvError(error: AjvErrorLike): string {
  const allowed = error.params?.["allowedValues"];
  if (Array.isArray(allowed)) return `${error.message ?? "is invalid"}: ${allowed.map((v) => JSON.stringify(v)).join(", ")}`;
  return error.message ?? "is invalid";
}

/**
 * Turns a model into the plain object that is written as YAML.
 *
 * @example
 * ```ts
 * toPlainObject(createNamespace({ name: "podinfo" })).kind; // "Namespace"
 * ```
 */
export function toPlainObject(model: ValidatableModel | KubernetesObject): KubernetesObject {
  const json = typeof (model as ValidatableModel).toJSON === "function" ? (model as ValidatableModel).toJSON() : model;
  return json as KubernetesObject;
}
