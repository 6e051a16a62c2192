import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { chmod, cp, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInProcess } from "./helpers.ts";
import { addResources, edit, generatedRepos, HOSTILE, summary } from "./validate-helpers.ts";

const repos = generatedRepos();
const APPS = "deploy/apps/kustomization.yaml";

describe("flux-fleet validate is offline", () => {
  let server: ReturnType<typeof createServer>;
  let port: number;
  const requests: string[] = [];
  beforeAll(async () => {
    const content = await readFile(join(HOSTILE, "outside/configmap.yaml"), "utf8");
    server = createServer((request, response) => {
      requests.push(request.url ?? "");
      response.end(content);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("refuses an http resource before kustomize runs, and the server receives no request", async () => {
    const root = await repos.copy();
    const url = `http://127.0.0.1:${port}/podinfo-extra.yaml`;
    await addResources(root, APPS, url);
    const result = await runInProcess(["validate", "--no-cache"], root);
    expect(result.stdout).toContain(
      `deploy/apps/kustomization.yaml\n  error   resources[0]: "${url}" is a remote base: validate builds offline, as Flux's kustomize-controller does with --no-remote-bases; vendor it into the repository and reference the local copy.`,
    );
    expect(result.stdout).toContain("Not built with kustomize: deploy/apps/kustomization.yaml has resources[0], which validate refuses");
    expect(requests).toEqual([]);
    expect(result.code).toBe(1);
  });

  it("refuses a patch file fetched over http, and the server receives no request", async () => {
    const root = await repos.copy();
    const url = `http://127.0.0.1:${port}/values.yaml`;
    await edit(root, "clusters/staging/apps/kustomization.yaml", "path: podinfo-values.yaml", `path: ${url}`);
    const result = await runInProcess(["validate", "--no-cache"], root);
    expect(result.stdout).toContain(`patches[0].path: "${url}" is a remote file: validate builds offline`);
    expect(requests).toEqual([]);
    expect(result.code).toBe(1);
  });

  it.each([
    ["a GitHub base with a ref", "github.com/fluxcd/flux2-kustomize-helm-example//infrastructure/controllers?ref=main"],
    ["a go-getter git:: URL", "git::https://github.com/fluxcd/flux2-kustomize-helm-example.git//apps/base"],
    ["an ssh URL", "ssh://git@github.com/fluxcd/flux2-kustomize-helm-example.git/apps/base"],
    ["an scp-like git address", "git@github.com:fluxcd/flux2-kustomize-helm-example.git/apps/base"],
    ["an OCI artifact", "oci://ghcr.io/stefanprodan/manifests/podinfo"],
  ])("refuses %s without running git", async (_name, entry) => {
    const root = await repos.copy();
    // kubectl kustomize runs `git fetch` for such a base; a git first on PATH records any call and fails.
    const bin = await mkdtemp(join(tmpdir(), "git-spy-"));
    await writeFile(join(bin, "git"), `#!/bin/sh\necho "$@" >> "${bin}/calls"\nexit 128\n`);
    await chmod(join(bin, "git"), 0o755);
    await addResources(root, APPS, entry);
    const result = await runInProcess(["validate", "--no-cache"], root, { PATH: `${bin}:${process.env["PATH"] ?? ""}` });
    expect(result.stdout).toContain(`error   resources[0]: "${entry}" is a remote base: validate builds offline`);
    await expect(stat(join(bin, "calls"))).rejects.toThrow("ENOENT");
    expect(result.code).toBe(1);
  });
});

describe("flux-fleet validate reads only inside the repository", () => {
  let outside: string;
  beforeAll(async () => {
    outside = await mkdtemp(join(tmpdir(), "outside-the-repository-"));
    await cp(join(HOSTILE, "outside"), outside, { recursive: true });
  });

  const refused: Array<[name: string, setUp: (root: string) => Promise<void>, expected: string]> = [
    [
      "a base above the repository",
      async (root) => {
        await cp(join(HOSTILE, "outside"), join(root, "../outside-of-" + root.split("/").at(-1)), { recursive: true });
        await addResources(root, APPS, `../../../outside-of-${root.split("/").at(-1)}/base`);
      },
      'resources[0]: "../../../outside-of-',
    ],
    [
      "an absolute path",
      (root) => addResources(root, APPS, join(outside, "base")),
      "is an absolute path: Flux's kustomize-controller reads only inside the repository",
    ],
    [
      "a generator file outside the repository (/etc/passwd)",
      (root) => edit(root, APPS, "resources:\n", "configMapGenerator:\n  - name: passwd\n    files:\n      - /etc/passwd\nresources:\n"),
      'configMapGenerator[0].files[0]: "/etc/passwd" is an absolute path',
    ],
    [
      "a resource that is a symbolic link to a file outside",
      async (root) => {
        await symlink(join(outside, "configmap.yaml"), join(root, "deploy/apps/linked.yaml"));
        await addResources(root, APPS, "linked.yaml");
      },
      'resources[0]: "linked.yaml" leads outside the repository through a symbolic link',
    ],
    [
      "a base that is a symbolic link to a folder outside",
      async (root) => {
        await symlink(join(outside, "base"), join(root, "deploy/apps/linked"));
        await addResources(root, APPS, "linked");
      },
      'resources[0]: "linked" leads outside the repository through a symbolic link',
    ],
    [
      "a patch file that is a symbolic link to /etc/passwd",
      async (root) => {
        await rm(join(root, "clusters/staging/apps/podinfo-values.yaml"));
        await symlink("/etc/passwd", join(root, "clusters/staging/apps/podinfo-values.yaml"));
      },
      'patches[0].path: "podinfo-values.yaml" leads outside the repository through a symbolic link',
    ],
  ];

  it.each(refused)("refuses %s before kustomize runs", async (_name, setUp, expected) => {
    const root = await repos.copy();
    await setUp(root);
    const result = await runInProcess(["validate", "--no-cache"], root);
    expect(result.stdout).toContain(expected);
    expect(result.stdout).not.toContain("from outside the repository");
    expect(result.stdout).toMatch(/^[1-9]\d* errors?, \d+ warnings?, \d+ skipped$/m);
    expect(result.code).toBe(1);
  });

  it("reads files inside the repository but outside deploy/, clusters/ and hub/, and its cache key covers them", async () => {
    const root = await repos.copy();
    await mkdir(join(root, "manifests"), { recursive: true });
    const extra = join(root, "manifests/extra.yaml");
    await writeFile(extra, await readFile(join(HOSTILE, "outside/configmap.yaml"), "utf8"));
    await addResources(root, APPS, "../../manifests/extra.yaml");
    const first = await runInProcess(["validate"], root);
    expect(summary(first.stdout)).toBe("0 errors, 3 warnings, 0 skipped");
    expect((await runInProcess(["validate"], root)).stdout).toContain("Nothing changed since the last validation");
    await writeFile(extra, `${await readFile(extra, "utf8")}---\n${await readFile(join(HOSTILE, "plain-secret.yaml"), "utf8")}`);
    const changed = await runInProcess(["validate"], root);
    expect(changed.stdout).not.toContain("Nothing changed");
    expect(changed.stdout).toContain("manifests/extra.yaml, Secret/flux-system/leak\n  error   A plain Secret is committed to Git");
    expect(changed.code).toBe(1);
  });
});

describe("flux-fleet validate bounds every kustomize child", () => {
  it("stops a build that runs longer than its time limit and names the overlay", async () => {
    const root = await repos.copy();
    const result = await runInProcess(["validate", "--no-cache"], root, { FLUX_FLEET_KUSTOMIZE_TIMEOUT: "0.001" });
    expect(result.stdout).toMatch(
      /kubectl kustomize build clusters\/(staging|production)\/[a-z-]+ was stopped: it ran longer than 0\.001 s \(FLUX_FLEET_KUSTOMIZE_TIMEOUT, in seconds, raises the limit\)\./,
    );
    expect(result.code).toBe(1);
  });

  it("stops a build whose memory passes its bound and names the overlay", async () => {
    const root = await repos.copy();
    // 4 KiB: less than any process holds, so the watchdog's first look stops it.
    const result = await runInProcess(["validate", "--no-cache"], root, { FLUX_FLEET_KUSTOMIZE_MEMORY: String(4 / 1024) });
    expect(result.stdout).toMatch(
      /kubectl kustomize build clusters\/(staging|production)\/[a-z-]+ was stopped: it used more than 4 KiB of memory \(FLUX_FLEET_KUSTOMIZE_MEMORY, in MiB, raises the bound\)\./,
    );
    expect(result.code).toBe(1);
  });
});
