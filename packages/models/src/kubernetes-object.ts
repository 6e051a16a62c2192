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
  return copyDefined(model, true) as KubernetesObject;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * What a model's `toJSON()` returns (own keys, `undefined` left out, plain objects and lists copied, anything
 * else kept as it is), except that every key stays data: kubernetes-models copies by assignment, which turns a
 * `__proto__` key (Helm values may hold one) into a prototype and drops it.
 */
export function copyDefined(value: unknown, top = false): unknown {
  if (Array.isArray(value)) return value.map((item) => copyDefined(item));
  if (!top && !isPlainRecord(value)) return value;
  if (value === null || typeof value !== "object") return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined)
      Object.defineProperty(copy, key, { value: copyDefined(item), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}
