/**
 * Where things live in a fleet repository: the one place that the writer, validate and diff learn the layout from.
 */

/** The top-level folders the generator writes into and validate reads. */
export const OUTPUT_DIRS = ["deploy", "clusters", "hub"] as const;

/** Every folder the writer may create, change or delete files in: the output folders and the GitHub workflows. */
export const OWNED_DIRS = [...OUTPUT_DIRS, ".github/workflows"] as const;
