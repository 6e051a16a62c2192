import { closest, distance } from "fastest-levenshtein";

/**
 * The known key a misspelt one most likely meant: the closest by edit distance, if it is close enough to be a
 * typo (at most a third of the key's letters, at least 2) rather than a different word.
 */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const sameLetters = known.find((k) => k.toLowerCase() === key.toLowerCase());
  if (sameLetters !== undefined) return sameLetters;
  const candidate = closest(key, known);
  return distance(key, candidate) <= Math.max(2, Math.floor(key.length / 3)) ? candidate : undefined;
}

/**
 * The sentence for a key that a `define*` call or an override does not know:
 * `Unknown override "hots" (did you mean "host"?): use one of "version", "values", ….`
 */
export function unknownKeyMessage(key: string, what: string, known: readonly string[]): string {
  const suggestion = didYouMean(key, known);
  const hint = suggestion === undefined ? "" : ` (did you mean ${JSON.stringify(suggestion)}?)`;
  return `Unknown ${what} ${JSON.stringify(key)}${hint}: use one of ${known.map((k) => JSON.stringify(k)).join(", ")}.`;
}

/** The keys of `value` that are neither in `known` nor added by the helper itself (`definedAt`, `type`, `kind`). */
export function unknownKeysOf(value: object, known: readonly string[], added: readonly string[] = ["definedAt"]): string[] {
  return Object.keys(value).filter((key) => !known.includes(key) && !added.includes(key));
}
