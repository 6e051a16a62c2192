import { describe, expect, it } from "vitest";
import { formatGenSummary } from "./gen-summary.ts";
import type { FileChange, TreePlan } from "./plan-tree.ts";

const change = (path: string, before: string | undefined, after: string | undefined, handEdited = false): FileChange => ({
  path,
  before,
  after,
  handEdited,
});

function plan(changes: FileChange[], extra: Partial<TreePlan> = {}): TreePlan {
  return { changes, unchanged: 3, placeholders: [], record: { before: undefined, after: "{}" }, kept: [], ...extra };
}

describe("formatGenSummary", () => {
  it("says which stale files it kept because they were edited by hand, after the list", () => {
    const text = formatGenSummary(plan([change("hub/staging.yaml", "a", "b")], { kept: ["clusters/old/apps/notes.yaml"] }), {
      files: 4,
      entry: "fleet/fleet.ts",
    });
    expect(text.split("\n").at(-2)).toBe(
      "Kept clusters/old/apps/notes.yaml: the fleet no longer generates it, but it was changed by hand since gen wrote it; delete it yourself if it is not needed.",
    );
  });

  it("names every written, removed and created file by path, sorted, after the counts", () => {
    const text = formatGenSummary(
      plan(
        [
          change("hub/staging.yaml", "a", "b"),
          change("clusters/old/apps/kustomization.yaml", "a", undefined),
          change("deploy/apps/redis.yaml", undefined, "x"),
        ],
        {
          placeholders: [{ path: "hub/flux-system/gotk-sync.yaml", content: "# placeholder\n" }],
        },
      ),
      { files: 6, entry: "fleet/fleet.ts" },
    );
    expect(text).toBe(
      [
        "Generated 6 files from fleet/fleet.ts: 2 written, 1 removed, 3 unchanged, 1 bootstrap placeholders created.",
        "  removed  clusters/old/apps/kustomization.yaml",
        "  wrote    deploy/apps/redis.yaml",
        "  created  hub/flux-system/gotk-sync.yaml (bootstrap placeholder)",
        "  wrote    hub/staging.yaml",
        "",
      ].join("\n"),
    );
  });

  it("says nothing more than the counts when nothing changed", () => {
    expect(formatGenSummary(plan([]), { files: 3, entry: "fleet/fleet.ts" })).toBe(
      "Generated 3 files from fleet/fleet.ts: 0 written, 0 removed, 3 unchanged.\n",
    );
  });

  it("counts the files past the limit, by what happened to them", () => {
    const changes = [
      ...Array.from({ length: 4 }, (_, i) => change(`a/${i}.yaml`, undefined, "x")),
      ...Array.from({ length: 3 }, (_, i) => change(`b/${i}.yaml`, "x", undefined)),
    ];
    const lines = formatGenSummary(plan(changes), { files: 7, entry: "fleet/fleet.ts", limit: 2 }).trimEnd().split("\n");
    expect(lines.slice(1)).toEqual(["  wrote    a/0.yaml", "  wrote    a/1.yaml", "  … and 5 more (2 written, 3 removed)"]);
  });

  it("puts every replaced hand edit first, whatever the limit", () => {
    const changes = [change("x.yaml", undefined, "x"), change("clusters/staging/apps/podinfo-values.yaml", "mine", "theirs", true)];
    const lines = formatGenSummary(plan(changes), { files: 2, entry: "fleet/fleet.ts", limit: 0 }).trimEnd().split("\n");
    expect(lines[0]).toBe(
      "Replaced hand edits in clusters/staging/apps/podinfo-values.yaml (generated files are rewritten from the fleet).",
    );
    expect(lines.at(-1)).toBe("  … and 2 more (2 written)");
  });
});
