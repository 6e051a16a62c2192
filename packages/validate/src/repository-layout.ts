/**
 * Where things live in a fleet repository: the one place that the writer, validate and diff learn the layout from.
 */

/**
 * The top-level folders the generator writes into and validate reads.
 *
 * @example
 * ```ts
 * OUTPUT_DIRS; // ["deploy", "clusters", "hub"]
 * ```
 */
export const OUTPUT_DIRS = ["deploy", "clusters", "hub"] as const;

/**
 * Every folder the writer may create, change or delete files in: the output folders and the GitHub workflows.
 *
 * @example
 * ```ts
 * OWNED_DIRS.includes(".github/workflows"); // true
 * ```
 */
export const OWNED_DIRS = [...OUTPUT_DIRS, ".github/workflows"] as const;

/**
 * Where the CLI's validate, plan and diff keep kustomize builds, parsed files and the last report, relative to the
 * repository root (git-ignored).
 *
 * @example
 * ```ts
 * validateRepository(root, { cacheDir: join(root, CACHE_DIR) });
 * ```
 */
export const CACHE_DIR = ".fleet/cache";
