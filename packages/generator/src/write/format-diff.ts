import { createTwoFilesPatch } from "diff";
import type { FileChange } from "./plan-tree.ts";

/**
 * A unified diff of one file between the disk (`a/`) and what the fleet generates (`b/`).
 *
 * @example
 * ```ts
 * process.stdout.write(formatChange({ path: "hub/staging.yaml", before: "a\n", after: "b\n", handEdited: false }));
 * ```
 */
export function formatChange(change: Pick<FileChange, "path" | "before" | "after">): string {
  const from = change.before === undefined ? "/dev/null" : `a/${change.path}`;
  const to = change.after === undefined ? "/dev/null" : `b/${change.path}`;
  const patch = createTwoFilesPatch(from, to, change.before ?? "", change.after ?? "", undefined, undefined, { context: 3 });
  // Drop the "Index:"/"====" preamble that createTwoFilesPatch adds; git-style diffs start at "---".
  return patch.slice(patch.indexOf("---"));
}
