import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readKustomizationInputs, type KustomizationDir } from "./kustomization-closure.ts";
import { buildConcurrency, buildKustomizations, type BuildOutcome } from "./kustomize-builds.ts";

const GIB = 2 ** 30;

describe("buildConcurrency", () => {
  it.each([
    ["four builds per core when memory is plenty", { cores: 2, freeBytes: 20 * GIB, maxRssBytes: GIB }, 8],
    ["no more builds than free memory holds at the memory bound", { cores: 2, freeBytes: 3.5 * GIB, maxRssBytes: GIB }, 3],
    [
      "more builds when each may use less memory (FLUX_FLEET_KUSTOMIZE_MEMORY)",
      { cores: 2, freeBytes: 3.5 * GIB, maxRssBytes: GIB / 4 },
      8,
    ],
    ["one build at least, even when memory is short", { cores: 8, freeBytes: GIB / 2, maxRssBytes: GIB }, 1],
  ])("runs %s", (_what, machine, expected) => {
    expect(buildConcurrency(machine)).toBe(expected);
  });
});

describe("buildKustomizations with outcomes shared between calls", () => {
  const roots: string[] = [];
  afterEach(async () => {
    await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
  });

  /** A repository whose overlays `clusters/<name>/apps` each hold one ConfigMap with the given data. */
  async function repository(overlays: Record<string, string>): Promise<{ root: string; dirs: KustomizationDir[] }> {
    const root = await mkdtemp(join(tmpdir(), "flux-fleet-builds-"));
    roots.push(root);
    const tree = new Map<string, string>();
    for (const [name, value] of Object.entries(overlays)) {
      tree.set(
        `clusters/${name}/apps/kustomization.yaml`,
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - settings.yaml\n",
      );
      tree.set(
        `clusters/${name}/apps/settings.yaml`,
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  value: "${value}"\n`,
      );
    }
    for (const [path, content] of tree) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), content);
    }
    return { root, dirs: readKustomizationInputs(root, tree).closures };
  }

  it("builds a content both trees hold once, and each tree gets its outcome", async () => {
    const base = await repository({ staging: "a", production: "b" });
    const head = await repository({ staging: "a", production: "changed" });
    const shared = new Map<string, Promise<BuildOutcome>>();
    const [before, after] = await Promise.all([
      buildKustomizations(base.dirs, { root: base.root, shared }),
      buildKustomizations(head.dirs, { root: head.root, shared }),
    ]);
    // Three distinct contents (staging's twice): three kustomize runs between the two calls, not four.
    expect(before.stats.built + after.stats.built).toBe(3);
    const value = (outcome: BuildOutcome | undefined) =>
      outcome?.ok ? (outcome.documents[0] as { data: { value: string } }).data.value : outcome?.error;
    expect(
      [before, after].map(({ outcomes }) => ["staging", "production"].map((name) => value(outcomes.get(`clusters/${name}/apps`)))),
    ).toEqual([
      ["a", "b"],
      ["a", "changed"],
    ]);
  });

  it("fails the other call, rather than leaving it waiting, when the call that owes a build fails", async () => {
    const base = await repository({ staging: "a" });
    const head = await repository({ staging: "a" });
    const shared = new Map<string, Promise<BuildOutcome>>();
    const path = process.env["PATH"];
    // Neither kustomize nor kubectl on PATH: the first call throws before it builds what the second borrowed.
    process.env["PATH"] = "";
    try {
      const results = await Promise.allSettled([
        buildKustomizations(base.dirs, { root: base.root, shared }),
        buildKustomizations(head.dirs, { root: head.root, shared }),
      ]);
      expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
      expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/Neither kustomize nor kubectl is on PATH/);
    } finally {
      process.env["PATH"] = path;
    }
  });
});
