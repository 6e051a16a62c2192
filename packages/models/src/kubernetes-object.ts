import type { ClusterRoleBinding, ConfigMap, Namespace, RoleBinding, ServiceAccount } from "./core.ts";
import type { Alert, GitRepository, HelmRelease, HelmRepository, Kustomization, OCIRepository, Provider } from "./flux.ts";
import { modelClass } from "./model-classes.ts";

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

/** A kubernetes-models instance (`new Deployment({...})`), which validates itself. */
interface ValidatableModel {
  validate(): void;
  toJSON(): unknown;
}

/**
 * An object one of the create functions returns: a plain object, typed by kubernetes-models.
 *
 * @example
 * ```ts
 * const models: Model[] = [createNamespace({ name: "podinfo" }), createServiceAccount({ name: "flux", namespace: "podinfo" })];
 * ```
 */
export type Model =
  | HelmRelease
  | Kustomization
  | HelmRepository
  | GitRepository
  | OCIRepository
  | Provider
  | Alert
  | Namespace
  | ConfigMap
  | ServiceAccount
  | RoleBinding
  | ClusterRoleBinding;

/**
 * The metadata of a model the create functions return: any ObjectMeta field, and always a name.
 *
 * @example
 * ```ts
 * const metadata: ModelMetadata<Namespace> = { name: "podinfo", labels: { team: "dev" } };
 * ```
 */
export type ModelMetadata<T extends { metadata?: object | undefined }> = NonNullable<T["metadata"]> & { name: string };

interface AjvErrorLike {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/**
 * Validates a model against its kind's schema in kubernetes-models and returns the problems instead of throwing:
 * an object a create function returned (its kind's kubernetes-models class is loaded on first use), or a
 * kubernetes-models instance, whose own `validate()` runs. An object of another kind is an error.
 *
 * @example
 * ```ts
 * validateModel(createNamespace({ name: "podinfo" })); // []
 * ```
 */
export function validateModel(model: Model | ValidatableModel): ModelProblem[] {
  try {
    if (isValidatable(model)) model.validate();
    else {
      const Model = modelClass(model.apiVersion, model.kind);
      if (Model === undefined)
        throw new TypeError(
          `validateModel knows no model of ${model.apiVersion} ${model.kind}: pass an object a create function returned, or a kubernetes-models instance.`,
        );
      new Model(model).validate();
    }
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

function isValidatable(model: Model | ValidatableModel): model is ValidatableModel {
  return typeof (model as Partial<ValidatableModel>).validate === "function";
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
export function toPlainObject(model: Model | ValidatableModel | KubernetesObject): KubernetesObject {
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
