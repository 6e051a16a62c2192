/**
 * The keys a `define*` helper accepts, listed once beside the options type they belong to. Typing the list as
 * a record of every key makes `tsc` ask for the new key when a field is added to the type, so the run-time
 * check of unknown keys (for fleets written in JavaScript, or cast past the types) can never fall behind.
 *
 * @example
 * ```ts
 * export const THING_OPTION_KEYS = optionKeys<ThingOptions>({ name: true, size: true });
 * ```
 */
export function optionKeys<Options>(keys: { readonly [Key in keyof Required<Options>]: true }): readonly (keyof Options & string)[] {
  return Object.keys(keys) as (keyof Options & string)[];
}

/**
 * A `define*` helper's options with the keys it does not know kept as they were: the helper returns them
 * with its result so that the fleet checks can report each one (with a "did you mean") instead of
 * dropping it silently.
 *
 * @example
 * ```ts
 * return { ...unknownOptions(options, THING_OPTION_KEYS), name: options.name };
 * ```
 */
export function unknownOptions(options: object, known: readonly string[]): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  if (options === null || typeof options !== "object") return rest;
  for (const [key, value] of Object.entries(options))
    if (!known.includes(key)) Object.defineProperty(rest, key, { value, enumerable: true, writable: true, configurable: true });
  return rest;
}
