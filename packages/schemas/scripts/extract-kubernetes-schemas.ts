/**
 * Regenerates `kubernetes/kubernetes-schemas.json`: JSON schemas for the built-in Kubernetes kinds that a fleet
 * emits, derived from the OpenAPI-generated models of the official JavaScript client `@kubernetes/client-node`
 * (Apache-2.0, The Kubernetes Authors). The models carry, per field, the JSON name, the OpenAPI type and format
 * (`attributeTypeMap`) and, in their `.d.ts`, whether the field is required.
 *
 * Usage (from packages/schemas):
 *
 * ```sh
 * npm pack @kubernetes/client-node@2.0.1 && tar xzf kubernetes-client-node-2.0.1.tgz
 * node scripts/extract-kubernetes-schemas.ts --from package
 * ```
 *
 * Only the definitions reachable from {@link KINDS} (and ObjectMeta) are kept, without descriptions.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

/**
 * The built-in kinds to vendor: apiVersion, kind and the client-node model class.
 *
 * @example
 * ```ts
 * KINDS.find((k) => k.kind === "Deployment")?.model; // "V1Deployment"
 * ```
 */
export const KINDS = [
  { apiVersion: "v1", kind: "Namespace", model: "V1Namespace" },
  { apiVersion: "v1", kind: "ServiceAccount", model: "V1ServiceAccount" },
  { apiVersion: "v1", kind: "ConfigMap", model: "V1ConfigMap" },
  { apiVersion: "v1", kind: "Secret", model: "V1Secret" },
  { apiVersion: "v1", kind: "Service", model: "V1Service" },
  { apiVersion: "v1", kind: "PersistentVolumeClaim", model: "V1PersistentVolumeClaim" },
  { apiVersion: "v1", kind: "ResourceQuota", model: "V1ResourceQuota" },
  { apiVersion: "v1", kind: "LimitRange", model: "V1LimitRange" },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", model: "V1Role" },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", model: "V1RoleBinding" },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", model: "V1ClusterRole" },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", model: "V1ClusterRoleBinding" },
  { apiVersion: "apps/v1", kind: "Deployment", model: "V1Deployment" },
  { apiVersion: "apps/v1", kind: "StatefulSet", model: "V1StatefulSet" },
  { apiVersion: "apps/v1", kind: "DaemonSet", model: "V1DaemonSet" },
  { apiVersion: "batch/v1", kind: "Job", model: "V1Job" },
  { apiVersion: "batch/v1", kind: "CronJob", model: "V1CronJob" },
  { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", model: "V1NetworkPolicy" },
  { apiVersion: "networking.k8s.io/v1", kind: "Ingress", model: "V1Ingress" },
] as const;

/**
 * Fields whose OpenAPI type is `resource.Quantity` (a string or a number in YAML, `cpu: 1` is valid). client-node
 * types them as plain strings, so they are listed here; the list was read off the compiled validators of
 * `kubernetes-models` 5.1.0, which keep the Quantity reference (every `IoK8sApiCoreV1*` schema importing
 * `IoK8sApimachineryPkgApiResourceQuantity`, and the property that reaches it).
 */
const QUANTITY_FIELDS: Record<string, readonly string[]> = {
  V1ContainerStatus: ["allocatedResources"],
  V1EmptyDirVolumeSource: ["sizeLimit"],
  V1LimitRangeItem: ["default", "defaultRequest", "max", "maxLimitRequestRatio", "min"],
  V1PersistentVolumeClaimStatus: ["allocatedResources", "capacity"],
  V1PodSpec: ["overhead"],
  V1PodStatus: ["allocatedResources"],
  V1ResourceFieldSelector: ["divisor"],
  V1ResourceQuotaSpec: ["hard"],
  V1ResourceQuotaStatus: ["hard", "used"],
  V1ResourceRequirements: ["limits", "requests"],
  V1VolumeResourceRequirements: ["limits", "requests"],
};

interface Attribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}

type JsonSchema = Record<string, unknown>;

const QUANTITY: JsonSchema = { anyOf: [{ type: "string" }, { type: "number" }] };

function scalarSchema(type: string, format: string): JsonSchema | undefined {
  switch (type) {
    case "string":
      return format === "byte" ? { type: "string", format: "byte" } : { type: "string" };
    case "boolean":
      return { type: "boolean" };
    case "number":
      return format === "int32" || format === "int64" ? { type: "integer", format } : { type: "number" };
    case "Date":
      // date-time-micro is RFC 3339 with microseconds: still a date-time.
      return { type: "string", format: "date-time" };
    case "IntOrString":
      return { anyOf: [{ type: "integer" }, { type: "string" }], "x-kubernetes-int-or-string": true };
    case "any":
      return {};
    default:
      return undefined;
  }
}

/**
 * Turns one client-node attribute type (`Array<V1Container>`, `{ [key: string]: string; }`, …) into a schema,
 * adding the definitions it references to `refs`.
 *
 * @example
 * ```ts
 * typeToSchema("Array<V1Container>", "", new Set()); // { type: "array", items: { $ref: "#/definitions/V1Container" } }
 * ```
 */
export function typeToSchema(type: string, format: string, refs: Set<string>): JsonSchema {
  const array = /^Array<(.+)>$/.exec(type);
  if (array?.[1] !== undefined) return { type: "array", items: typeToSchema(array[1], format, refs) };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map?.[1] !== undefined) return { type: "object", additionalProperties: typeToSchema(map[1], format, refs) };
  const scalar = scalarSchema(type, format);
  if (scalar !== undefined) return scalar;
  if (!/^[A-Z]\w+$/.test(type)) throw new Error(`unsupported client-node type "${type}"`);
  refs.add(type);
  return { $ref: `#/definitions/${type}` };
}

function requiredFields(dts: string): string[] {
  return [...dts.matchAll(/^ {4}'([^']+)': /gm)].map((match) => match[1] ?? "");
}

async function loadModel(modelsDir: string, model: string): Promise<{ attributes: Attribute[]; required: string[] }> {
  const module = (await import(pathToFileURL(join(modelsDir, `${model}.js`)).href)) as Record<string, { attributeTypeMap?: Attribute[] }>;
  const attributes = module[model]?.attributeTypeMap;
  if (attributes === undefined) throw new Error(`${model}.js has no attributeTypeMap`);
  const requiredNames = new Set(requiredFields(readFileSync(join(modelsDir, `${model}.d.ts`), "utf8")));
  const required = attributes.filter((a) => requiredNames.has(a.name)).map((a) => a.baseName);
  return { attributes, required };
}

/**
 * The scope of every kind that the client-node API classes can create: `createNamespacedX` posts to
 * `…/namespaces/{namespace}/…`, `createX` to a cluster path. Subresources (paths with `{name}`) are skipped.
 *
 * @example
 * ```ts
 * kindScopes(readFileSync("dist/gen/apis/AppsV1Api.js", "utf8"))[0];
 * // { apiVersion: "apps/v1", kind: "ControllerRevision", namespaced: true }
 * ```
 */
export function kindScopes(apiSource: string): { apiVersion: string; kind: string; namespaced: boolean }[] {
  const scopes: { apiVersion: string; kind: string; namespaced: boolean }[] = [];
  const pattern = /async create(Namespaced)?(\w+)\([^]*?localVarPath = '(\/api\/v1|\/apis\/[^/]+\/[^/]+)(\/[^']*)'/g;
  for (const match of apiSource.matchAll(pattern)) {
    const [, namespaced, kind = "", prefix = "", rest = ""] = match;
    if (rest.includes("{name}") || prefix.includes("{")) continue;
    scopes.push({ apiVersion: prefix === "/api/v1" ? "v1" : prefix.slice("/apis/".length), kind, namespaced: namespaced !== undefined });
  }
  return scopes;
}

function allKindScopes(apisDir: string): { apiVersion: string; kind: string; namespaced: boolean }[] {
  const scopes = readdirSync(apisDir)
    .filter((file) => /^\w+Api\.js$/.test(file))
    .flatMap((file) => kindScopes(readFileSync(join(apisDir, file), "utf8")));
  const unique = new Map(scopes.map((scope) => [`${scope.apiVersion} ${scope.kind}`, scope]));
  return [...unique.values()].sort((a, b) => `${a.apiVersion} ${a.kind}`.localeCompare(`${b.apiVersion} ${b.kind}`));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { from: { type: "string" }, out: { type: "string" } } });
  if (values.from === undefined) throw new Error("usage: extract-kubernetes-schemas.ts --from <unpacked @kubernetes/client-node>");
  const root = resolve(values.from);
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; version: string };
  const modelsDir = join(root, "dist/gen/models");
  const specVersion = /OpenAPI spec version: (\S+)/.exec(readFileSync(join(modelsDir, "V1ConfigMap.d.ts"), "utf8"))?.[1];
  const scopes = allKindScopes(join(root, "dist/gen/apis"));

  const definitions: Record<string, JsonSchema> = {};
  const pending = ["V1ObjectMeta", ...KINDS.map((k) => k.model)];
  while (pending.length > 0) {
    const model = pending.pop() ?? "";
    if (model in definitions) continue;
    const { attributes, required } = await loadModel(modelsDir, model);
    const refs = new Set<string>();
    const quantities = new Set(QUANTITY_FIELDS[model] ?? []);
    const properties: Record<string, JsonSchema> = {};
    for (const attribute of attributes) {
      const schema = typeToSchema(attribute.type, attribute.format, refs);
      properties[attribute.baseName] = quantities.has(attribute.baseName)
        ? schema.type === "object"
          ? { type: "object", additionalProperties: QUANTITY }
          : QUANTITY
        : schema;
    }
    definitions[model] = { type: "object", properties, ...(required.length > 0 ? { required } : {}) };
    pending.push(...refs);
  }

  const output = {
    $comment:
      "Generated by scripts/extract-kubernetes-schemas.ts from @kubernetes/client-node models (Apache-2.0, The Kubernetes Authors); do not edit.",
    source: { package: `${pkg.name}@${pkg.version}`, openapiSpec: specVersion ?? "unknown" },
    kinds: KINDS.map(({ apiVersion, kind, model }) => ({ apiVersion, kind, definition: model })),
    scopes,
    definitions: Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b))),
  };
  const out = values.out ?? new URL("../kubernetes/kubernetes-schemas.json", import.meta.url).pathname;
  writeFileSync(out, `${JSON.stringify(output, null, 1)}\n`);
  console.log(`wrote ${Object.keys(definitions).length} definitions for ${KINDS.length} kinds to ${out}`);
}

if (import.meta.main) await main();
