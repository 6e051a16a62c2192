/**
 * A value that can be deep-merged: plain objects merge key by key, everything else (arrays included)
 * replaces what was there.
 */
export type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * Merges `overlay` over `base` without touching either: plain objects merge recursively, arrays and scalars
 * from the overlay replace the base's, `undefined` in the overlay keeps the base value. Class instances
 * (such as Kubernetes models) are never merged: they are rejected, since merging them would silently drop
 * their prototype.
 *
 * @example
 * ```ts
 * deepMerge({ controller: { replicaCount: 1, service: { type: "NodePort" } } }, { controller: { replicaCount: 2 } });
 * // { controller: { replicaCount: 2, service: { type: "NodePort" } } }
 * ```
 */
export function deepMerge<T>(base: T, overlay: DeepPartial<T> | undefined): T {
  if (overlay === undefined) return base;
  assertMergeable(base, "base");
  assertMergeable(overlay, "overlay");
  if (!isPlainObject(base) || !isPlainObject(overlay)) return overlay as T;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    if (value === undefined) continue;
    // Every key is data, `__proto__` too (it arrives from JSON.parse or a computed key): defining it keeps it an
    // own key, where assigning it would replace the prototype and drop it.
    const next = Object.hasOwn(base, key) ? deepMerge(base[key], value) : value;
    Object.defineProperty(merged, key, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return merged as T;
}

function assertMergeable(value: unknown, side: string): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value) && !isPlainObject(value)) {
    const name = (value as { constructor?: { name?: string } }).constructor?.name ?? "object";
    throw new TypeError(`deepMerge merges plain objects only, but the ${side} holds a ${name} instance`);
  }
}
