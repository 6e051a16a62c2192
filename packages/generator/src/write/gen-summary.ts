import type { TreePlan } from "./plan-tree.ts";

/** How many written or removed files `gen` names one by one; past it, it counts the rest. */
export const SUMMARY_LIMIT = 20;

/** Options of {@link formatGenSummary}. */
export interface GenSummaryOptions {
  /** How many files the fleet generates (written or not). */
  files: number;
  /** The fleet entry, relative to the root. */
  entry: string;
  /** Default {@link SUMMARY_LIMIT}. */
  limit?: number;
}

/**
 * What `gen` tells the user after writing a plan: every file whose hand edits it replaced (always, one line
 * each), the counts, then the files it wrote, removed or created as bootstrap placeholders, by path, up to
 * `limit` of them and a count of the rest, then every stale file it kept because it was edited by hand.
 *
 * @example
 * ```ts
 * formatGenSummary(plan, { files: 29, entry: "fleet/fleet.ts" });
 * // "Generated 29 files from fleet/fleet.ts: 1 written, 0 removed, 28 unchanged.\n  wrote    hub/staging.yaml\n"
 * ```
 */
export function formatGenSummary(plan: TreePlan, options: GenSummaryOptions): string {
  const limit = options.limit ?? SUMMARY_LIMIT;
  const lines: string[] = [];
  for (const change of plan.changes)
    if (change.handEdited) lines.push(`Replaced hand edits in ${change.path} (generated files are rewritten from the fleet).`);
  const written = plan.changes.filter((change) => change.after !== undefined);
  const removed = plan.changes.filter((change) => change.after === undefined);
  const placeholders = plan.placeholders.length;
  lines.push(
    `Generated ${options.files} files from ${options.entry}: ${written.length} written, ${removed.length} removed, ${plan.unchanged} unchanged${placeholders > 0 ? `, ${placeholders} bootstrap placeholders created` : ""}.`,
  );
  const entries = [
    ...written.map((change) => ({ verb: "wrote", path: change.path, note: "" })),
    ...removed.map((change) => ({ verb: "removed", path: change.path, note: "" })),
    ...plan.placeholders.map((file) => ({ verb: "created", path: file.path, note: " (bootstrap placeholder)" })),
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const entry of entries.slice(0, limit)) lines.push(`  ${entry.verb.padEnd(8)} ${entry.path}${entry.note}`);
  const rest = entries.slice(limit);
  if (rest.length > 0) {
    const counts = (["wrote", "removed", "created"] as const)
      .map((verb) => [verb, rest.filter((entry) => entry.verb === verb).length] as const)
      .filter(([, count]) => count > 0)
      .map(([verb, count]) => `${count} ${verb === "wrote" ? "written" : verb}`);
    lines.push(`  … and ${rest.length} more (${counts.join(", ")})`);
  }
  for (const path of plan.kept)
    lines.push(
      `Kept ${path}: the fleet no longer generates it, but it was changed by hand since gen wrote it; delete it yourself if it is not needed.`,
    );
  return `${lines.join("\n")}\n`;
}
