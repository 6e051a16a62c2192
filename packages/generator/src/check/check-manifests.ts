import { LAYERS, type Cluster, type Component, type Fleet, type ManifestsComponent } from "@flux-fleet/fleet";
import { isClusterScoped } from "@flux-fleet/schemas";
import type { Issue, Where } from "@flux-fleet/validate";
import { checkDns1123Label, checkDns1123Subdomain, describeValue, type RuleResult } from "./rules.ts";

// The names kustomize reads as a kustomization file in a folder: a component file with one of them would
// turn deploy/<layer>/ into a second kustomization, or overwrite the layer's own.
const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "kustomization"];
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\.yaml$/;

/** Why a component's `file` option cannot be its file in `deploy/<layer>/`, or undefined when it can. */
export function checkComponentFile(file: unknown, layer: string, name: string): RuleResult {
  if (file === undefined) return undefined;
  const example = JSON.stringify(`${name}.yaml`);
  if (typeof file !== "string") return `must be a file name such as ${example}, got ${describeValue(file)}.`;
  const quoted = JSON.stringify(file);
  if (file.includes("/") || file.includes("\\"))
    return `${quoted} is a path: give a file name without folders (it goes into deploy/${layer}/), such as ${example}.`;
  if (KUSTOMIZATION_FILES.includes(file.toLowerCase()))
    return `${quoted} is the name of deploy/${layer}/'s own kustomization file, which gen writes: choose another name, such as ${example}.`;
  if (!FILE_NAME.test(file))
    return `${quoted} is not a YAML file name: use letters, digits, ".", "-" and "_", ending in ".yaml", such as ${example}.`;
  return undefined;
}

// Kinds whose names the API server checks as path segments rather than DNS-1123 subdomains.
const PATH_SEGMENT_NAMED = new Set(["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]);
// Namespaces every Kubernetes cluster has.
const BUILT_IN_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

/** Why an object's `metadata.name` is one the API server refuses for its kind, or undefined. */
export function checkObjectName(kind: string, name: string): RuleResult {
  if (name.includes("/") || name.includes("%"))
    return `${JSON.stringify(name)} contains "${name.includes("/") ? "/" : "%"}", which no object name may hold (the name is a segment of the object's API path): use "-" instead.`;
  if (name === "." || name === "..") return `${JSON.stringify(name)} is not an object name: name the ${kind} with letters and digits.`;
  if (PATH_SEGMENT_NAMED.has(kind)) return undefined;
  if (kind === "Namespace" || kind === "Service") return checkDns1123Label(name, `a ${kind} name`);
  return checkDns1123Subdomain(name, `a ${kind} name`);
}

interface ObjectShape {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: unknown };
}

/**
 * The names and namespaces of a manifests component's objects, and the objects another component of the
 * same layer already ships (kustomize refuses a layer that holds one object twice).
 */
export function checkManifestObjectNames(
  component: ManifestsComponent,
  where: Where,
  layerObjects: Map<string, Component>,
  issues: Issue[],
): void {
  (component.objects as readonly ObjectShape[]).forEach((object, i) => {
    const field = `objects[${i}].metadata`;
    const problem = checkObjectName(object.kind, object.metadata.name);
    if (problem) issues.push({ severity: "error", message: problem, where: { ...where, field: `${field}.name` } });
    const namespace = object.metadata.namespace;
    if (namespace !== undefined) {
      const invalid = checkDns1123Label(namespace, "a namespace");
      if (invalid) issues.push({ severity: "error", message: invalid, where: { ...where, field: `${field}.namespace` } });
    }
    const id = `${component.layer}/${object.apiVersion.split("/").length > 1 ? object.apiVersion.split("/")[0] : ""}/${object.kind}/${typeof namespace === "string" ? namespace : ""}/${object.metadata.name}`;
    const other = layerObjects.get(id);
    if (other && other !== component)
      issues.push({
        severity: "error",
        message: `${object.kind} "${object.metadata.name}" is also shipped by component "${other.name}" in the ${component.layer} layer: kustomize refuses an object twice in one layer; keep one.`,
        where: { ...where, field: `objects[${i}]` },
      });
    else layerObjects.set(id, component);
  });
}

/** The namespaces that exist on a spoke before a layer is applied: the built-in ones and the tenants layer's. */
export function spokeNamespaces(fleet: Fleet, cluster: Cluster): Set<string> {
  const namespaces = new Set(BUILT_IN_NAMESPACES);
  namespaces.add(fleet.fluxNamespace.replaceAll("${CLUSTER_NAME}", cluster.name));
  for (const tenant of fleet.tenants) for (const namespace of tenant.namespaces) namespaces.add(namespace);
  return namespaces;
}

/**
 * Where Flux puts each namespaced object of the cluster's spoke-applied manifests (infra-configs): the hub's
 * Kustomization of the layer sets `targetNamespace` to the spoke's name, which replaces any namespace an
 * object declares. An object that declares another namespace would not land where its author meant, and a
 * namespace that neither the tenants layer nor the layer itself creates makes Flux fail with "namespace not
 * found". Each object is reported once, for the first cluster where it goes wrong.
 */
export function checkPlacement(
  fleet: Fleet,
  cluster: Cluster,
  componentWhere: (component: Component) => Where,
  reported: Set<string>,
  issues: Issue[],
): void {
  const existing = spokeNamespaces(fleet, cluster);
  const byLayer = new Map<string, ManifestsComponent[]>();
  for (const component of cluster.profile.components) {
    if (component.type !== "manifests" || LAYERS[component.layer]?.delivery !== "spoke") continue;
    byLayer.set(component.layer, [...(byLayer.get(component.layer) ?? []), component]);
  }
  for (const [layerName, components] of byLayer) {
    const layer = LAYERS[layerName as keyof typeof LAYERS];
    const created = new Set(existing);
    for (const component of components)
      for (const object of component.objects as readonly ObjectShape[])
        if (object.kind === "Namespace" && object.apiVersion === "v1") created.add(object.metadata.name);
    for (const component of components) {
      (component.objects as readonly ObjectShape[]).forEach((object, i) => {
        const declared = typeof object.metadata.namespace === "string" ? object.metadata.namespace : undefined;
        const scope = isClusterScoped(object.apiVersion, object.kind);
        if (scope === true || (scope === undefined && declared === undefined)) return;
        const key = `${component.name}/${i}`;
        if (reported.has(key)) return;
        const target = layer.targetNamespace ? cluster.name : (declared ?? "default");
        const what = `${object.kind} "${object.metadata.name}"`;
        const where = { ...componentWhere(component), cluster: cluster.name, field: `objects[${i}].metadata.namespace` };
        if (declared !== undefined && declared !== target) {
          reported.add(key);
          issues.push({
            severity: "error",
            message: `${what} declares namespace "${declared}", but Flux would create it in namespace "${target}" on spoke "${cluster.name}": the hub's ${layerName} Kustomization sets targetNamespace to the spoke's name, which replaces every namespace in the layer; leave metadata.namespace out to place it there, or ship a cluster-scoped object.`,
            where,
          });
        } else if (!created.has(target)) {
          reported.add(key);
          issues.push({
            severity: "error",
            message: layer.targetNamespace
              ? `${what} would be created in namespace "${target}" on spoke "${cluster.name}" (the hub's ${layerName} Kustomization sets targetNamespace to the spoke's name), which the tenants layer does not create because fluxNamespace is ${JSON.stringify(fleet.fluxNamespace)}, so Flux would fail with "namespace not found": keep the default fluxNamespace "\${CLUSTER_NAME}", or ship only cluster-scoped objects in ${layerName}.`
              : `${what} would be created in namespace "${target}" on spoke "${cluster.name}", which neither the tenants layer nor the ${layerName} layer creates, so Flux would fail with "namespace not found": add "${target}" to a tenant's namespaces.`,
            where: declared === undefined ? { ...where, field: `objects[${i}]` } : where,
          });
        }
      });
    }
  }
}
