/**
 * A problem with what the user asked for (a non-empty folder, a missing tarball, a bad flag): printed without a
 * stack, exit code 1.
 *
 * @example
 * ```ts
 * throw new CreateError('The folder "my-fleet" is not empty: choose a new folder, or empty this one.');
 * ```
 */
export class CreateError extends Error {
  override name = "CreateError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
