import { describe, expect, it } from "vitest";
import { formatIssues, summarizeIssues, type Issue } from "./errors.ts";

describe("formatIssues", () => {
  it("groups issues by the object they concern and ends with the summary", () => {
    const issues: Issue[] = [
      { severity: "error", message: "bad name.", where: { file: "fleet/clusters.ts", line: 3, cluster: "prod_1", field: "name" } },
      {
        severity: "warning",
        message: "range on production.",
        where: { file: "fleet/clusters.ts", line: 9, cluster: "production", component: "podinfo", field: "overrides.podinfo.version" },
      },
      {
        severity: "error",
        message: "bad host.",
        where: { file: "fleet/clusters.ts", line: 3, cluster: "prod_1", field: "overrides.podinfo.host" },
      },
    ];
    expect(formatIssues(issues)).toBe(
      [
        'fleet/clusters.ts:3, cluster "prod_1"',
        "  error   name: bad name.",
        "  error   overrides.podinfo.host: bad host.",
        'fleet/clusters.ts:9, cluster "production", component "podinfo"',
        "  warning overrides.podinfo.version: range on production.",
        "Found 2 errors and 1 warning.",
      ].join("\n"),
    );
  });

  it.each([
    [[], "Found 0 errors and 0 warnings."],
    [[{ severity: "error", message: "", where: {} }], "Found 1 error and 0 warnings."],
    [
      [
        { severity: "warning", message: "", where: {} },
        { severity: "warning", message: "", where: {} },
      ],
      "Found 0 errors and 2 warnings.",
    ],
  ] as const)("summarizes %j", (issues, expected) => {
    expect(summarizeIssues(issues)).toBe(expected);
  });
});
