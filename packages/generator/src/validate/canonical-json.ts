import { isPlainObject } from "@flux-fleet/profiles";

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (isPlainObject(value))
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical(value[key])]),
    );
  return value;
}

function identity(doc: unknown): string {
  const { kind, metadata } = (doc ?? {}) as { kind?: string; metadata?: { namespace?: string; name?: string } };
  return `${kind ?? "?"}/${metadata?.namespace ? `${metadata.namespace}/` : ""}${metadata?.name ?? "?"}`;
}

function pathOfDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))) return undefined;
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = pathOfDifference(a[key], b[key], `${path}/${key}`);
      if (found) return found;
    }
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let i = 0; i < a.length; i++) {
      const found = pathOfDifference(a[i], b[i], `${path}/${i}`);
      if (found) return found;
    }
  }
  return path || "/";
}

/**
 * Compares two lists of Kubernetes objects regardless of order and key order; returns where the first
 * difference is (`HelmRelease/podinfo /spec/values`), or undefined when they hold the same objects.
 *
 * @example
 * ```ts
 * firstDifference(expected, built); // undefined
 * ```
 */
export function firstDifference(expected: readonly unknown[], actual: readonly unknown[]): string | undefined {
  const index = (docs: readonly unknown[]) => new Map(docs.map((doc) => [identity(doc), doc]));
  const [want, got] = [index(expected), index(actual)];
  for (const [id, doc] of want) {
    if (!got.has(id)) return `${id} is missing`;
    const path = pathOfDifference(doc, got.get(id), "");
    if (path) return `${id} ${path}`;
  }
  for (const id of got.keys()) if (!want.has(id)) return `${id} is extra`;
  return undefined;
}
