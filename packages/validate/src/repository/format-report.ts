import { formatIssues, plural } from "../errors.ts";
import type { ValidationReport } from "./validate-tree.ts";

/**
 * The summary line of a validation: `2 errors, 1 warning, 3 skipped`.
 *
 * @example
 * ```ts
 * summarizeValidation(report); // "0 errors, 0 warnings, 2 skipped"
 * ```
 */
export function summarizeValidation(report: ValidationReport): string {
  const errors = report.issues.filter((issue) => issue.severity === "error").length;
  return `${plural(errors, "error")}, ${plural(report.issues.length - errors, "warning")}, ${report.skipped.length} skipped`;
}

/**
 * The human report: problems grouped by cluster and object, the skipped objects by kind, what was built
 * and checked, and the summary line.
 *
 * @example
 * ```ts
 * process.stdout.write(formatValidation(report));
 * ```
 */
export function formatValidation(report: ValidationReport, options: { fromCache?: boolean } = {}): string {
  const lines: string[] = [];
  if (report.issues.length > 0) lines.push(formatIssues(sortIssues(report.issues)).split("\n").slice(0, -1).join("\n"));
  const skippedKinds = new Map<string, string[]>();
  for (const skipped of report.skipped) {
    if (skipped.rule !== undefined) {
      const { rule, path, why } = skipped.rule;
      const kind = skipped.object.split("/")[0] ?? "";
      lines.push(
        `skipped CEL rule "${rule}" of ${skipped.apiVersion} ${kind} at ${path}: ${why} (first on ${skipped.where.cluster ?? skipped.where.generated ?? ""})`,
      );
      continue;
    }
    const key = `${skipped.apiVersion} ${skipped.object.split("/")[0]}`;
    skippedKinds.set(key, [...(skippedKinds.get(key) ?? []), skipped.where.cluster ?? skipped.where.generated ?? ""]);
  }
  for (const [kind, places] of skippedKinds) {
    const unique = [...new Set(places)];
    const shown = unique.length > 6 ? `${unique.slice(0, 5).join(", ")} and ${unique.length - 5} more` : unique.join(", ");
    lines.push(`skipped ${plural(places.length, "object")} of ${kind}: no schema is vendored for it (${shown})`);
  }
  const { stats } = report;
  lines.push(
    `Checked ${plural(stats.files, "file")}, ${plural(stats.spokes, "spoke")} and ${plural(stats.objects, "object")}; ` +
      `${plural(stats.directories, "kustomization")} (${stats.covered > 0 ? `${stats.covered} built as bases of the others; ` : ""}${stats.distinct} distinct: ${stats.built} built with kustomize, ${stats.cached} from cache).`,
  );
  if (options.fromCache)
    lines.push(
      "Nothing changed since the last validation (files, record, kustomize, flux-fleet): its report is repeated; --no-cache checks again.",
    );
  lines.push(summarizeValidation(report));
  return `${lines.join("\n")}\n`;
}

function sortIssues(issues: ValidationReport["issues"]): ValidationReport["issues"] {
  const key = (issue: ValidationReport["issues"][number]) =>
    `${issue.where.cluster ?? ""}\0${issue.where.generated ?? ""}\0${issue.where.object ?? ""}`;
  return [...issues].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
