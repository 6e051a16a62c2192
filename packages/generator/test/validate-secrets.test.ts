import { cp, mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTree, runInProcess } from "./helpers.ts";
import { addResources, edit, generatedRepos, HOSTILE } from "./validate-helpers.ts";

const repos = generatedRepos();
const PLAIN = "error   A plain Secret is committed to Git: encrypt it with SOPS, every value under data and stringData";

async function append(root: string, file: string, fixture: string): Promise<void> {
  const path = join(root, file);
  await writeFile(path, `${await readFile(path, "utf8")}---\n${await readFile(join(HOSTILE, fixture), "utf8")}`);
}

describe("flux-fleet validate finds secrets in every file it reads", () => {
  const CASES: Array<[name: string, setUp: (root: string) => Promise<void>, expected: string]> = [
    [
      "a new file in hub/",
      (root) => cp(join(HOSTILE, "plain-secret.yaml"), join(root, "hub/leak.yaml")),
      `hub/leak.yaml, Secret/flux-system/leak\n  ${PLAIN}`,
    ],
    [
      "a document appended to hub/staging.yaml",
      (root) => append(root, "hub/staging.yaml", "plain-secret.yaml"),
      `hub/staging.yaml, Secret/flux-system/leak\n  ${PLAIN}`,
    ],
    [
      "a file in hub/flux-system/",
      (root) => cp(join(HOSTILE, "plain-secret.yaml"), join(root, "hub/flux-system/leak.yaml")),
      `hub/flux-system/leak.yaml, Secret/flux-system/leak\n  ${PLAIN}`,
    ],
    [
      "a file in deploy/ that no kustomization references",
      async (root) => {
        await mkdir(join(root, "deploy/unused"), { recursive: true });
        await cp(join(HOSTILE, "plain-secret.yaml"), join(root, "deploy/unused/leak.yaml"));
      },
      `deploy/unused/leak.yaml, Secret/flux-system/leak\n  ${PLAIN}`,
    ],
    [
      "a Secret wrapped in a List",
      (root) => append(root, "deploy/apps/podinfo.yaml", "secret-in-list.yaml"),
      `deploy/apps/podinfo.yaml, Secret/podinfo/listed\n  ${PLAIN}`,
    ],
    [
      "a SOPS Secret with one value left in clear",
      (root) => append(root, "deploy/apps/podinfo.yaml", "sops-one-value.yaml"),
      `deploy/apps/podinfo.yaml, Secret/podinfo/half-encrypted\n  ${PLAIN}`,
    ],
    [
      "a kubeconfig with a token in a ConfigMap",
      async (root) => {
        await cp(join(HOSTILE, "kubeconfig-configmap.yaml"), join(root, "deploy/apps/access.yaml"));
        await addResources(root, "deploy/apps/kustomization.yaml", "access.yaml");
      },
      "deploy/apps/access.yaml, ConfigMap/podinfo/spoke-access\n  error   data.kubeconfig: data.kubeconfig holds a kubeconfig with credentials (users[0].user.token) in a ConfigMap, which anyone who can read the repository or the object can use: keep kubeconfigs in SOPS-encrypted Secrets only.",
    ],
    [
      "a kubeconfig with a token that a configMapGenerator reads",
      async (root) => {
        const text = await readFile(join(HOSTILE, "kubeconfig-configmap.yaml"), "utf8");
        await writeFile(join(root, "clusters/staging/apps/kubeconfig"), text.slice(text.indexOf("|\n") + 2).replace(/^ {4}/gm, ""));
        await edit(
          root,
          "clusters/staging/apps/kustomization.yaml",
          "patches:\n",
          "configMapGenerator:\n  - name: spoke-access\n    files:\n      - kubeconfig\npatches:\n",
        );
      },
      'cluster "staging", clusters/staging/apps, ConfigMap/staging/spoke-access-',
    ],
  ];

  it.each(CASES)("refuses %s", async (_name, setUp, expected) => {
    const root = await repos.copy();
    await setUp(root);
    const result = await runInProcess(["validate", "--no-cache"], root);
    expect(result.stdout).toContain(expected);
    expect(result.stdout).toMatch(/^[1-9]\d* errors?, \d+ warnings?, \d+ skipped$/m);
    expect(result.code).toBe(1);
  });
});

describe("flux-fleet gen refuses secrets", () => {
  it("sees a plain Secret through the List a manifests component wraps it in, and writes nothing", async () => {
    const root = await repos.copy();
    for (const file of await readdir(join(root, "fleet"))) if (file.endsWith(".ts")) await rm(join(root, "fleet", file));
    await cp(join(HOSTILE, "secret-in-list-fleet"), root, { recursive: true });
    const before = await readTree(root);
    const result = await runInProcess(["gen"], root);
    expect(result.stderr).toContain("Secret/cert-manager/db\n  error   A plain Secret is committed to Git");
    expect(result.stderr).toMatch(/Nothing was written\.\n$/);
    expect(result.code).toBe(1);
    expect(await readTree(root)).toEqual(before);
  });
});
