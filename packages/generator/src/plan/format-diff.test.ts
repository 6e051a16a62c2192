import { describe, expect, it } from "vitest";
import type { ObjectChange, SpokeChange } from "./diff-views.ts";
import { DIFF_COMMENT_MARKER, formatDiff, formatDiffMarkdown, MARKDOWN_LIMIT } from "./format-diff.ts";

const BASE = "90e7dbc21018aa55c0ffee0123456789abcdef01";

const podinfo: ObjectChange = {
  layer: "apps",
  kind: "HelmRelease",
  namespace: "production",
  name: "podinfo",
  change: "modified",
  fields: [{ path: "spec.values.ingress.hosts[0].host", before: "podinfo.production", after: "podinfo.example.com" }],
};

const production: SpokeChange = { name: "production", changed: true, objects: [podinfo] };
const unchanged = (name: string): SpokeChange => ({ name, changed: false, objects: [] });

/** A spoke with `count` modified ConfigMaps, each with a field of `size` characters. */
function bigSpoke(name: string, count: number, size: number): SpokeChange {
  return {
    name,
    changed: true,
    objects: Array.from({ length: count }, (_, i) => ({
      layer: "apps",
      kind: "ConfigMap",
      namespace: name,
      name: `config-${i}`,
      change: "modified" as const,
      fields: [{ path: "data.big", before: "a", after: "x".repeat(size) }],
    })),
  };
}

describe("formatDiffMarkdown", () => {
  it("gives the marker, a heading with the base, the summary and one collapsible section per changed spoke", () => {
    expect(formatDiffMarkdown(BASE, [production, unchanged("staging")])).toBe(
      [
        DIFF_COMMENT_MARKER,
        "### Fleet diff against `90e7dbc21018`",
        "",
        "**1 spoke changed, 1 spoke unchanged.**",
        "",
        "<details><summary>production (1 object changed)</summary>",
        "",
        "```",
        "  apps",
        "    ~ HelmRelease/production/podinfo",
        '        spec.values.ingress.hosts[0].host: "podinfo.production" → "podinfo.example.com"',
        "```",
        "",
        "</details>",
        "",
      ].join("\n"),
    );
  });

  it("says there are no changes, with no sections", () => {
    const body = formatDiffMarkdown(BASE, [unchanged("production"), unchanged("staging")]);
    expect(body).toBe(`${DIFF_COMMENT_MARKER}\n### Fleet diff against \`90e7dbc21018\`\n\n**No changes: 2 spokes unchanged.**\n`);
  });

  it("lists every layer once, added and removed objects with their sign, and the hidden Secret data as given", () => {
    const spoke: SpokeChange = {
      name: "staging",
      changed: true,
      objects: [
        {
          layer: "hub",
          kind: "Kustomization",
          namespace: "staging",
          name: "apps",
          change: "modified",
          fields: [{ path: "spec.interval", before: "10m", after: "5m" }],
        },
        {
          layer: "apps",
          kind: "Secret",
          namespace: "staging",
          name: "token",
          change: "modified",
          fields: [{ path: "data.token", before: "(hidden)", after: "(hidden)" }],
        },
        { layer: "apps", kind: "ConfigMap", namespace: "staging", name: "new", change: "added" },
        { layer: "tenants", kind: "Namespace", name: "shop", change: "removed" },
      ],
    };
    const body = formatDiffMarkdown(BASE, [spoke]);
    expect(body).toContain("<summary>staging (4 objects changed)</summary>");
    expect(body).toContain(
      [
        "  hub",
        "    ~ Kustomization/staging/apps",
        '        spec.interval: "10m" → "5m"',
        "  apps",
        "    ~ Secret/staging/token",
        '        data.token: "(hidden)" → "(hidden)"',
        "    + ConfigMap/staging/new",
        "  tenants",
        "    - Namespace/shop",
      ].join("\n"),
    );
  });

  it("escapes HTML in a summary and fences values that hold backticks with a longer fence", () => {
    const spoke: SpokeChange = {
      name: "a<b>&c",
      changed: true,
      objects: [{ ...podinfo, fields: [{ path: "spec.values.note", before: "```", after: "````x" }] }],
    };
    const body = formatDiffMarkdown(BASE, [spoke]);
    expect(body).toContain("<summary>a&lt;b&gt;&amp;c (1 object changed)</summary>");
    expect(body).toContain('\n`````\n  apps\n    ~ HelmRelease/production/podinfo\n        spec.values.note: "```" → "````x"\n`````\n');
  });

  it("names the layers that were not compared, one line each", () => {
    const body = formatDiffMarkdown(
      BASE,
      [unchanged("staging")],
      [{ spoke: "staging", layer: "apps", revision: "working tree", message: "kustomize build failed: no file\n\tpath: x.yaml\n" }],
    );
    expect(body).toContain(
      "```\nNot compared: layer apps of spoke staging does not build in the working tree: kustomize build failed: no file\n```\n",
    );
  });

  it("stays under the limit by leaving out whole spokes, and counts them", () => {
    const spokes = Array.from({ length: 40 }, (_, i) => bigSpoke(`spoke-${String(i).padStart(2, "0")}`, 3, 1000));
    const body = formatDiffMarkdown(BASE, spokes, [], { limit: 20_000 });
    expect(body.length).toBeLessThanOrEqual(20_000);
    const shown = body.match(/<details>/g)?.length ?? 0;
    expect(shown).toBeGreaterThan(3);
    expect(shown).toBeLessThan(40);
    expect(body).toContain("**40 spokes changed, 0 spokes unchanged.**");
    expect(body.trimEnd().split("\n").at(-1)).toBe(
      `_Left out to stay under 20,000 characters: ${40 - shown} spokes with ${3 * (40 - shown)} changed objects. Run \`flux-fleet diff --base 90e7dbc21018\` for all of it._`,
    );
    // The sections kept are the first spokes, whole.
    expect(body).toContain(`<summary>spoke-${String(shown - 1).padStart(2, "0")} (3 objects changed)</summary>`);
    expect(body).not.toContain(`<summary>spoke-${String(shown).padStart(2, "0")} `);
  });

  it("cuts a spoke too large for the limit after the objects that fit, and counts the rest", () => {
    const body = formatDiffMarkdown(BASE, [bigSpoke("huge", 100, 1000), bigSpoke("next", 1, 10)], [], { limit: 10_000 });
    expect(body.length).toBeLessThanOrEqual(10_000);
    const shown = body.match(/~ ConfigMap\/huge\//g)?.length ?? 0;
    expect(shown).toBeGreaterThan(0);
    expect(body).toContain(`    … ${100 - shown} more objects\n\`\`\`\n`);
    expect(body.trimEnd().split("\n").at(-1)).toBe(
      `_Left out to stay under 10,000 characters: 1 spoke with 1 changed object, and ${100 - shown} changed objects of the spokes above. Run \`flux-fleet diff --base 90e7dbc21018\` for all of it._`,
    );
  });

  it("keeps a thousand changed spokes under GitHub's comment limit", () => {
    const spokes = Array.from({ length: 1000 }, (_, i) => ({ ...production, name: `spoke-${String(i).padStart(4, "0")}` }));
    const body = formatDiffMarkdown(BASE, spokes);
    expect(body.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(MARKDOWN_LIMIT).toBeLessThan(65_536);
    expect(body).toMatch(/_Left out to stay under 60,000 characters: \d+ spokes with \d+ changed objects\./);
  });
});

describe("formatDiff", () => {
  it("prints the changed spokes, then the summary line", () => {
    expect(formatDiff(BASE, "HEAD", [production, unchanged("staging")])).toBe(
      [
        "Comparing 90e7dbc21018 (HEAD) with the working tree.",
        "",
        "production",
        "  apps",
        "    ~ HelmRelease/production/podinfo",
        '        spec.values.ingress.hosts[0].host: "podinfo.production" → "podinfo.example.com"',
        "",
        "1 spoke changed, 1 spoke unchanged.",
        "",
      ].join("\n"),
    );
  });
});
