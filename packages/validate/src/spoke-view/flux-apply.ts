import { isClusterScoped } from "@flux-fleet/schemas";
import { isMapping } from "@flux-fleet/schemas";
import { parseYamlDocuments } from "../yaml-emitter.ts";
import { describeDocument, isKubeDocument, type KubeDocument } from "./kube-document.ts";
import { mergePatch } from "./merge-patch.ts";

/** The fields of a Flux Kustomization spec that change what it applies. */
export interface FluxKustomizationSpec {
  path?: string;
  targetNamespace?: string;
  patches?: Array<{ patch?: string; target?: PatchTarget }>;
  postBuild?: { substitute?: Record<string, string>; substituteFrom?: unknown[] };
  kubeConfig?: { secretRef?: { name?: string }; configMapRef?: { name?: string } };
  commonMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  serviceAccountName?: string;
  dependsOn?: Array<{ name?: string; namespace?: string }>;
  sourceRef?: { kind?: string; name?: string; namespace?: string };
}

export interface PatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

/** A `${VAR}` that postBuild left in an object. */
export interface Unsubstituted {
  object: string;
  variable: string;
}

export interface AppliedLayer {
  objects: KubeDocument[];
  unsubstituted: Unsubstituted[];
  /** Patches Flux would apply that could not be read. */
  patchProblems: string[];
}

function anchored(pattern: string | undefined): RegExp | undefined {
  if (pattern === undefined) return undefined;
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    return new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
  }
}

function matchesLabels(labels: Record<string, string> | undefined, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector.split(",").every((term) => {
    const [key, value] = term.split("=").map((s) => s.trim());
    return key !== undefined && labels?.[key] === value;
  });
}

/** Whether an object is selected by a kustomize/Flux patch target (names and kinds are anchored regexes). */
export function matchesTarget(doc: KubeDocument, target: PatchTarget): boolean {
  const [group, version] = doc.apiVersion.includes("/") ? doc.apiVersion.split("/") : ["", doc.apiVersion];
  return (
    (target.kind === undefined || anchored(target.kind)!.test(doc.kind)) &&
    (target.name === undefined || anchored(target.name)!.test(doc.metadata.name)) &&
    (target.namespace === undefined || anchored(target.namespace)!.test(doc.metadata.namespace ?? "")) &&
    (target.group === undefined || anchored(target.group)!.test(group ?? "")) &&
    (target.version === undefined || anchored(target.version)!.test(version ?? "")) &&
    matchesLabels(doc.metadata.labels, target.labelSelector) &&
    matchesLabels(doc.metadata.annotations, target.annotationSelector)
  );
}

function pointerSegments(path: string): string[] {
  return path
    .split("/")
    .slice(1)
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** Applies one JSON6902 operation (add, replace, remove) in place; returns a problem, or undefined. */
export function applyJsonPatchOperation(
  doc: Record<string, unknown>,
  op: { op?: string; path?: string; value?: unknown },
): string | undefined {
  if (typeof op.path !== "string" || !op.path.startsWith("/")) return `JSON patch operation without a path: ${JSON.stringify(op)}`;
  const segments = pointerSegments(op.path);
  const last = segments.pop()!;
  let parent: unknown = doc;
  for (const segment of segments) {
    parent = Array.isArray(parent) ? parent[Number(segment)] : isMapping(parent) ? parent[segment] : undefined;
    if (parent === undefined) return `${op.op} ${op.path}: the parent does not exist`;
  }
  if (Array.isArray(parent)) {
    const index = last === "-" ? parent.length : Number(last);
    if (op.op === "add") parent.splice(index, 0, structuredClone(op.value));
    else if (op.op === "replace") parent[index] = structuredClone(op.value);
    else if (op.op === "remove") parent.splice(index, 1);
    else return `unsupported JSON patch operation ${op.op}`;
    return undefined;
  }
  if (!isMapping(parent)) return `${op.op} ${op.path}: the parent is not an object`;
  if (op.op === "add" || op.op === "replace") parent[last] = structuredClone(op.value);
  else if (op.op === "remove") delete parent[last];
  else return `unsupported JSON patch operation ${op.op}`;
  return undefined;
}

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[=-])([^}]*))?\}/g;

function substitute(value: unknown, variables: Record<string, string>, found: Set<string>): unknown {
  if (typeof value === "string") {
    // Most strings hold no variable: skip the regular expression's replace for them.
    if (!value.includes("${")) return value;
    return value.replace(VARIABLE, (whole, name: string, operator: string | undefined, fallback: string | undefined) => {
      if (name in variables) return variables[name]!;
      if (operator !== undefined) return fallback ?? "";
      found.add(name);
      return whole;
    });
  }
  // A list or mapping with no variable in it is returned as it is, not copied: most of an object holds none, and
  // the parts spokes share stay one value (the checks after this one skip a value they have seen).
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const next = substitute(item, variables, found);
      if (copy === undefined && next !== item) copy = value.slice(0, i);
      copy?.push(next);
    }
    return copy ?? value;
  }
  if (isMapping(value)) {
    const keys = Object.keys(value);
    // Built only once a field changed; Object.fromEntries keeps every key data (`__proto__` too).
    let entries: Array<[string, unknown]> | undefined;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const item = value[key];
      const next = substitute(item, variables, found);
      if (entries === undefined && next !== item) entries = keys.slice(0, i).map((before) => [before, value[before]]);
      entries?.push([key, next]);
    }
    return entries === undefined ? value : Object.fromEntries(entries);
  }
  return value;
}

const parsedPatches = new Map<string, ReturnType<typeof parseYamlDocuments>>();

// Every spoke's Kustomizations carry the same few patch strings: parse each once.
function parsePatch(patch: string): ReturnType<typeof parseYamlDocuments> {
  let parsed = parsedPatches.get(patch);
  if (!parsed) {
    parsed = parseYamlDocuments(patch);
    parsedPatches.set(patch, parsed);
  }
  return parsed;
}

/**
 * What a Flux Kustomization applies, computed from its kustomize build as kustomize-controller does:
 * `targetNamespace` on namespaced objects, then its `patches` (JSON6902 or strategic merge), its
 * `commonMetadata`, then the `postBuild.substitute` variables. Variables left without a value are reported.
 *
 * @example
 * ```ts
 * const { objects, unsubstituted } = applyFluxKustomization(buildOutput, kustomization.spec);
 * ```
 */
export function applyFluxKustomization(built: readonly unknown[], spec: FluxKustomizationSpec): AppliedLayer {
  const patchProblems: string[] = [];
  // Objects are shared with the build results: copy what changes, never modify in place.
  let objects: KubeDocument[] = built.filter(isKubeDocument);
  const namespace = spec.targetNamespace;
  if (namespace) {
    objects = objects.map((doc) =>
      isClusterScoped(doc.apiVersion, doc.kind) === true ? doc : { ...doc, metadata: { ...doc.metadata, namespace } },
    );
  }
  for (const { patch, target } of spec.patches ?? []) {
    const { documents, problems } = parsePatch(patch ?? "");
    if (problems.length > 0 || documents.length !== 1) {
      patchProblems.push(`a patch is not one YAML document${problems[0] ? `: ${problems[0].message}` : ""}`);
      continue;
    }
    const body = documents[0];
    const selector: PatchTarget | undefined = target ?? (isKubeDocument(body) ? { kind: body.kind, name: body.metadata.name } : undefined);
    if (!selector) {
      patchProblems.push("a JSON6902 patch has no target");
      continue;
    }
    const targets = objects.filter((doc) => matchesTarget(doc, selector));
    for (const [i, doc] of objects.entries()) {
      if (!targets.includes(doc)) continue;
      if (Array.isArray(body)) {
        const patched = structuredClone(doc);
        objects[i] = patched;
        for (const op of body as Array<{ op?: string; path?: string; value?: unknown }>) {
          const problem = applyJsonPatchOperation(patched, op);
          if (problem) patchProblems.push(`${describeDocument(doc)}: ${problem}`);
        }
      } else if (isMapping(body)) {
        objects[i] = mergePatch(doc, body) as KubeDocument;
      }
    }
  }
  // commonMetadata is set on every object the Kustomization applies, over what the build gave them.
  const common = spec.commonMetadata;
  if (common && (common.labels || common.annotations)) {
    objects = objects.map((doc) => ({
      ...doc,
      metadata: {
        ...doc.metadata,
        ...(common.labels ? { labels: { ...doc.metadata.labels, ...common.labels } } : {}),
        ...(common.annotations ? { annotations: { ...doc.metadata.annotations, ...common.annotations } } : {}),
      },
    }));
  }
  const unsubstituted: Unsubstituted[] = [];
  const variables = spec.postBuild?.substitute ?? {};
  const applied = objects.map((doc) => {
    if (doc.metadata.annotations?.["kustomize.toolkit.fluxcd.io/substitute"] === "disabled") return doc;
    const found = new Set<string>();
    const result = substitute(doc, variables, found) as KubeDocument;
    for (const variable of found) unsubstituted.push({ object: describeDocument(result), variable });
    return result;
  });
  return { objects: applied, unsubstituted, patchProblems };
}
