import { cp, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runInProcess } from "./helpers.ts";
import { addResources, generatedRepos, HOSTILE, summary } from "./validate-helpers.ts";

const repos = generatedRepos();
const APPS = "deploy/apps/kustomization.yaml";

function configMap(name: string, bytes: number): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: podinfo\ndata:\n  blob: ${"x".repeat(bytes)}\n`;
}

describe("flux-fleet validate parses YAML within limits", () => {
  it("refuses an alias bomb in a kustomize resource, naming the file, and never runs kustomize on it", async () => {
    const root = await repos.copy();
    await cp(join(HOSTILE, "alias-bomb.yaml"), join(root, "deploy/apps/alias-bomb.yaml"));
    await addResources(root, APPS, "alias-bomb.yaml");
    const result = await runInProcess(["validate", "--no-cache"], root);
    expect(result.stdout).toContain(
      "deploy/apps/alias-bomb.yaml\n  error   YAML does not parse (line 2): its aliases expand to more than 100 nodes, as a YAML alias bomb does: write the values out or use fewer aliases",
    );
    expect(result.stdout).toContain("Not built with kustomize: deploy/apps/alias-bomb.yaml cannot be read safely (see its error).");
    expect(result.stdout).toContain("5 distinct: 5 built with kustomize");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(1);
  });

  it("names the file and the key of a duplicate key", async () => {
    const root = await repos.copy();
    await cp(join(HOSTILE, "duplicate-key.yaml"), join(root, "deploy/apps/settings.yaml"));
    await addResources(root, APPS, "settings.yaml");
    const result = await runInProcess(["validate", "--no-cache"], root);
    expect(result.stdout).toContain(
      'deploy/apps/settings.yaml\n  error   YAML does not parse (line 8): duplicate key "mode": each key may appear once in a mapping',
    );
    expect(result.code).toBe(1);
  });

  it("refuses a 50 MB ConfigMap at once, without parsing or building it", async () => {
    const root = await repos.copy();
    await writeFile(join(root, "deploy/apps/huge.yaml"), configMap("huge", 50 * 1024 * 1024));
    await addResources(root, APPS, "huge.yaml");
    const result = await runInProcess(["validate", "--no-cache"], root);
    expect(result.stdout).toContain(
      "deploy/apps/huge.yaml\n  error   The file is 50.0 MiB, above the 8 MiB validate reads from one file: the API server refuses objects above 1 MiB; split it or keep the data elsewhere.",
    );
    expect(result.stdout).toContain('resources[0]: "huge.yaml" is 50.0 MiB, above the 8 MiB validate reads from one file');
    expect(result.code).toBe(1);
  });

  it("warns about an object above the 1 MiB the API server accepts", async () => {
    const root = await repos.copy();
    await writeFile(join(root, "deploy/apps/large.yaml"), configMap("large", 1536 * 1024));
    await addResources(root, APPS, "large.yaml");
    const result = await runInProcess(["validate", "--no-cache"], root);
    expect(result.stdout).toContain(
      'cluster "staging", clusters/staging/apps, ConfigMap/staging/large\n  warning Is 1.5 MiB as JSON, above the 1 MiB the API server accepts for one object: split it or keep the data elsewhere.',
    );
    expect(summary(result.stdout)).toBe("0 errors, 5 warnings, 0 skipped");
    expect(result.code).toBe(0);
  });
});
