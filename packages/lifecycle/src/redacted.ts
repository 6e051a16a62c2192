/** What a redacted value prints as, everywhere. */
export const REDACTED = "***";

/**
 * A secret string (a Git token, a base64-encoded password) that prints as `***` through `String()`,
 * template literals, `JSON.stringify` and `util.inspect`; only {@link Redacted.reveal} returns it, and only
 * the plan runner calls that, to hand the value to a child process through stdin or its environment.
 *
 * The value sits in a private class field, so neither enumeration nor a test framework's diff shows it.
 *
 * @example
 * ```ts
 * const token = new Redacted(process.env.GITHUB_TOKEN ?? "");
 * `${token}`; // "***"
 * token.reveal(); // the token
 * ```
 */
export class Redacted {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself; never print or persist what this returns. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return REDACTED;
  }
}

/**
 * A deep copy of `value` in which every {@link Redacted} is replaced by its revealed string: what the runner
 * serialises for a child's stdin. (`JSON.stringify` calls `toJSON` before any replacer, so a replacer cannot
 * do this.)
 *
 * @example
 * ```ts
 * JSON.stringify(revealDeep({ password: new Redacted("s3cret") })); // '{"password":"s3cret"}'
 * ```
 */
export function revealDeep(value: unknown): unknown {
  if (value instanceof Redacted) return value.reveal();
  if (Array.isArray(value)) return value.map(revealDeep);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, revealDeep(item)]));
  }
  return value;
}

/**
 * A URL as it may be printed: user information (`https://<token>@host`, `https://user:password@host`) and every
 * query value (`?token=…`) replaced by `***`. Works on text that does not parse as a URL too, so an error
 * message about a malformed URL cannot leak what it carries.
 *
 * @example
 * ```ts
 * redactUrl("https://ghp_abc@github.com/acme/fleet?token=ghp_abc"); // "https://***@github.com/acme/fleet?token=***"
 * ```
 */
export function redactUrl(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/?#@]*@/i, (_match, scheme: string | undefined) => `${scheme ?? ""}${REDACTED}@`)
    .replace(/([?&;][^=&;#]*=)[^&;#]*/g, `$1${REDACTED}`);
}
