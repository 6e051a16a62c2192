import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { formatValidation, summarizeValidation, UsageError, validateRepository } from "../src/index.ts";

// A hub-and-spoke repository as a person writes it, without flux-fleet gen and without its record
// (fixtures/hand-written-repository/): one spoke "edge" whose "apps" layer the hub applies to the spoke through its
// kubeconfig Secret, an overlay that patches a base. Built with real kustomize (kustomize, or kubectl kustomize, on
// PATH).
const FIXTURE = fileURLToPath(new URL("./fixtures/hand-written-repository/", import.meta.url));

const roots: string[] = [];

/** A copy of the fixture in a temporary folder, with `edits` (path → what to do to its content) made. */
async function repository(edits: Record<string, (content: string) => string> = {}): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "flux-fleet-hand-written-"));
  roots.push(root);
  await cp(FIXTURE, root, { recursive: true });
  for (const [path, edit] of Object.entries(edits)) {
    const before = await readFile(join(root, path), "utf8");
    const after = edit(before);
    // An edit that misses would test the unchanged fixture.
    expect(after, path).not.toBe(before);
    await writeFile(join(root, path), after);
  }
  return root;
}

afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

describe("validateRepository on a hand-written repository", () => {
  it("builds it with real kustomize, checks what the spoke receives and finds nothing wrong", async () => {
    const root = await repository();

    const { report, fromCache } = await validateRepository(root);

    expect(report.issues).toEqual([]);
    expect(fromCache).toBe(false);
    expect(report.stats).toMatchObject({ files: 6, spokes: 1, directories: 2, covered: 1, distinct: 1, built: 1, cached: 0 });
    // The hub file's Namespace and Kustomization, and the two objects the spoke's layer applies.
    expect(report.stats.objects).toBe(4);
    expect(summarizeValidation(report)).toBe("0 errors, 0 warnings, 0 skipped");
    expect(formatValidation(report)).toBe(
      "Checked 6 files, 1 spoke and 4 objects; 2 kustomizations (1 built as bases of the others; 1 distinct: 1 built with kustomize, 0 from cache).\n" +
        "0 errors, 0 warnings, 0 skipped\n",
    );
    // Without a cacheDir nothing is written into the repository.
    expect((await readdir(root)).sort()).toEqual(["clusters", "deploy", "hub"]);
  });

  it("reports what Flux would refuse on the spoke: an unknown field, and a dependsOn on no Kustomization", async () => {
    const root = await repository({
      "clusters/edge/apps/greeting.yaml": (content) => content.replace(/^data:/m, "dataa:"),
      "hub/edge.yaml": (content) => content.replace("  interval: 10m\n", "  interval: 10m\n  dependsOn:\n    - name: infra\n"),
    });

    const { report } = await validateRepository(root);

    expect(report.issues).toEqual([
      {
        severity: "error",
        message: 'Depends on Kustomization "edge/infra", which does not exist on the hub: Flux would wait for it forever.',
        where: { cluster: "edge", generated: "hub/edge.yaml", object: "Kustomization/edge/apps", field: "spec.dependsOn[0]" },
      },
      {
        severity: "error",
        message: '/dataa: unknown field "dataa"',
        where: { cluster: "edge", generated: "clusters/edge/apps", object: "ConfigMap/web/web-settings" },
      },
    ]);
    // No fleet file describes a hand-written repository: the report names the files and objects only, by cluster.
    expect(formatValidation(report)).toBe(
      [
        'cluster "edge", clusters/edge/apps, ConfigMap/web/web-settings',
        '  error   /dataa: unknown field "dataa"',
        'cluster "edge", hub/edge.yaml, Kustomization/edge/apps',
        '  error   spec.dependsOn[0]: Depends on Kustomization "edge/infra", which does not exist on the hub: Flux would wait for it forever.',
        "Checked 6 files, 1 spoke and 4 objects; 2 kustomizations (1 built as bases of the others; 1 distinct: 1 built with kustomize, 0 from cache).",
        "2 errors, 0 warnings, 0 skipped",
        "",
      ].join("\n"),
    );
  });

  it("repeats the report of an unchanged repository from its cache, and checks again after a change", async () => {
    const root = await repository();
    const cacheDir = join(root, ".cache");

    const first = await validateRepository(root, { cacheDir });
    const second = await validateRepository(root, { cacheDir });
    const settings = join(root, "deploy/web/settings.yaml");
    await writeFile(settings, (await readFile(settings, "utf8")).replace("greeting: hello", "greeting: hi"));
    const third = await validateRepository(root, { cacheDir });

    expect([first.fromCache, second.fromCache, third.fromCache]).toEqual([false, true, false]);
    expect(second.report).toEqual(first.report);
    expect(third.report.issues).toEqual([]);
    expect(formatValidation(second.report, { fromCache: second.fromCache })).toContain("Nothing changed since the last validation");
  });

  it("refuses a folder with nothing to validate", async () => {
    const root = await mkdtemp(join(tmpdir(), "flux-fleet-hand-written-"));
    roots.push(root);

    const validation = validateRepository(root);

    await expect(validation).rejects.toThrow(UsageError);
    await expect(validation).rejects.toThrow(`There is nothing to validate in ${root}: no deploy/, clusters/ or hub/ files.`);
  });
});
