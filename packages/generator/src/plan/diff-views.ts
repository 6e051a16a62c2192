import { isMapping } from "@flux-fleet/schemas";
import type { KubeDocument } from "@flux-fleet/validate";
import type { FleetView } from "./spoke-view.ts";

/** One field that differs: its path in the object, and its values before and after (absent: not set). */
export interface FieldChange {
  path: string;
  before?: unknown;
  after?: unknown;
}

export interface ObjectChange {
  layer: string;
  kind: string;
  namespace?: string;
  name: string;
  change: "added" | "removed" | "modified";
  /** For a modified object, every field that differs. */
  fields?: FieldChange[];
}

export interface SpokeChange {
  name: string;
  changed: boolean;
  objects: ObjectChange[];
}

function fieldPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === "" ? key : `${parent}.${key}`;
}

/** Whether two parsed values are equal, without building anything: most objects of a diff did not change. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => deepEqual(item, other[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && deepEqual(left[key], right[key]));
}

/**
 * Every leaf that differs between two values, by path (`spec.values.ingress.hosts[0].host`): objects key by key,
 * arrays index by index; a value that changes type is one change.
 *
 * @example
 * ```ts
 * diffFields({ a: { b: 1 } }, { a: { b: 2 } }); // [{ path: "a.b", before: 1, after: 2 }]
 * ```
 */
export function diffFields(before: unknown, after: unknown, path = ""): FieldChange[] {
  if (isMapping(before) && isMapping(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffFields(before[key], after[key], fieldPath(path, key)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    return Array.from({ length: Math.max(before.length, after.length) }, (_, i) =>
      diffFields(i < before.length ? before[i] : undefined, i < after.length ? after[i] : undefined, fieldPath(path, i)),
    ).flat();
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path: path || ".", ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) }];
}

/** What diff prints instead of a Secret's data: a pull-request comment or CI log must not carry it. */
export const HIDDEN = "(hidden)";

/** A Secret's changed fields, with the values of its data left out. */
function hideSecretData(fields: FieldChange[]): FieldChange[] {
  return fields.map((field) =>
    /^(data|stringData)\b/.test(field.path)
      ? { path: field.path, ...("before" in field ? { before: HIDDEN } : {}), ...("after" in field ? { after: HIDDEN } : {}) }
      : field,
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * What changes on each spoke from one view of the fleet to another, object by object in layer order; every spoke
 * of either view is listed, unchanged ones with no objects. A layer that fails to build on either side is left out
 * (see {@link buildErrors}).
 *
 * @example
 * ```ts
 * const spokes = diffViews(await readFleetView(baseRoot), await readFleetView(root));
 * ```
 */
export function diffViews(base: FleetView, head: FleetView): SpokeChange[] {
  // A layer that does not build on one side has no objects there: comparing would list them all as changed.
  const failed = new Set(
    [base, head].flatMap((view) =>
      view.spokes.flatMap((spoke) => spoke.layers.filter((layer) => layer.error).map((layer) => `${spoke.name}\0${layer.name}`)),
    ),
  );
  const names = [...new Set([...base.applied.keys(), ...head.applied.keys()])].sort(compare);
  return names.map((name) => {
    const before = base.applied.get(name) ?? new Map<string, Map<string, KubeDocument>>();
    const after = head.applied.get(name) ?? new Map<string, Map<string, KubeDocument>>();
    // The working tree's reconcile order, then layers only the base has.
    const layers = [...new Set([...after.keys(), ...before.keys()])];
    const objects = layers.flatMap((layer) => {
      if (failed.has(`${name}\0${layer}`)) return [];
      const was = before.get(layer) ?? new Map<string, KubeDocument>();
      const is = after.get(layer) ?? new Map<string, KubeDocument>();
      const keys = [...new Set([...was.keys(), ...is.keys()])].sort(compare);
      return keys.flatMap((key): ObjectChange[] => {
        const [old, now] = [was.get(key), is.get(key)];
        const doc = (now ?? old)!;
        const id = {
          layer,
          kind: doc.kind,
          ...(doc.metadata.namespace ? { namespace: doc.metadata.namespace } : {}),
          name: doc.metadata.name,
        };
        if (!old) return [{ ...id, change: "added" }];
        if (!now) return [{ ...id, change: "removed" }];
        if (deepEqual(old, now)) return [];
        const fields = doc.kind === "Secret" && doc.apiVersion === "v1" ? hideSecretData(diffFields(old, now)) : diffFields(old, now);
        return fields.length === 0 ? [] : [{ ...id, change: "modified", fields }];
      });
    });
    return { name, changed: objects.length > 0, objects };
  });
}

/** A layer that kustomize could not build, in the base or the working tree. */
export interface BuildError {
  spoke: string;
  layer: string;
  revision: "base" | "working tree";
  message: string;
}

/**
 * Every layer that did not build in either view: diff says so instead of listing their objects as changed.
 *
 * @example
 * ```ts
 * for (const { spoke, layer, message } of buildErrors(base, head)) console.error(`${spoke}/${layer}: ${message}`);
 * ```
 */
export function buildErrors(base: FleetView, head: FleetView): BuildError[] {
  return (
    [
      ["base", base],
      ["working tree", head],
    ] as const
  ).flatMap(([revision, view]) =>
    view.spokes.flatMap((spoke) =>
      spoke.layers.flatMap((layer) => (layer.error ? [{ spoke: spoke.name, layer: layer.name, revision, message: layer.error }] : [])),
    ),
  );
}
