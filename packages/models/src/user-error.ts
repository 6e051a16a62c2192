const USER_ERROR = Symbol.for("@flux-fleet/user-error");

/**
 * The base of every error a user can fix (a bad fleet, a wrong flag, a missing tool): the CLI prints its message
 * without a stack and exits 1; any other error is a bug. `error instanceof UserError` holds across packages, even
 * when two copies of this package are installed, since it checks a registered symbol rather than the prototype.
 *
 * @example
 * ```ts
 * class UsageError extends UserError {}
 * new UsageError("no fleet") instanceof UserError; // true
 * ```
 */
export class UserError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    Object.defineProperty(this, USER_ERROR, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    // Subclasses keep the ordinary prototype check: `instanceof UsageError` must not match a LifecycleError.
    if (this !== UserError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === "object" && value !== null && USER_ERROR in value;
  }
}
