import { execFileSync } from "node:child_process";
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { diff } from "../src/commands/diff.ts";
import { plan } from "../src/commands/plan.ts";
import { UsageError } from "@flux-fleet/validate";
import type { SpokeChange } from "../src/plan/diff-views.ts";
import { formatDiffMarkdown } from "../src/plan/format-diff.ts";
import { startGitHubStandIn } from "./github-api.ts";
import { createDefaultFleetRepo, createFixtureRepo, createFleetRepo, runCli, runInProcess } from "./helpers.ts";

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "test",
  GIT_COMMITTER_EMAIL: "test@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

function git(root: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd: root, env: GIT_ENV, encoding: "utf8" }).trim();
}

async function edit(root: string, file: string, from: string, to: string): Promise<void> {
  const content = await readFile(join(root, file), "utf8");
  if (!content.includes(from)) throw new Error(`${file} does not contain ${from}`);
  await writeFile(join(root, file), content.replace(from, to));
}

/**
 * Generates with the real CLI: most tests edit the fleet and generate again, which a fleet module imported in this
 * process would not see. The first gen of a new repository runs in this process (`inProcess`).
 */
async function gen(root: string, inProcess = false): Promise<void> {
  const result = await (inProcess ? runInProcess : runCli)(["gen"], root);
  expect(result.stderr).not.toContain("error  ");
  expect(result.code).toBe(0);
}

function collect(): { out: (text: string) => void; text: () => string } {
  let text = "";
  return { out: (chunk) => (text += chunk), text: () => text };
}

let root: string;
let first: string;

beforeAll(async () => {
  root = await createDefaultFleetRepo();
  await writeFile(join(root, ".gitignore"), "node_modules\n.fleet/\n.flux-fleet/\n");
  await gen(root, true);
  git(root, "init", "--quiet", "--initial-branch=main");
  git(root, "add", "-A");
  git(root, "commit", "--quiet", "-m", "first");
  first = git(root, "rev-parse", "HEAD");
});

beforeEach(() => {
  git(root, "reset", "--quiet", "--hard", first);
  git(root, "clean", "--quiet", "-fd");
});

describe("flux-fleet plan", () => {
  it("gives staging's layers in reconcile order, with flux-restricted as the apps identity", async () => {
    const { spokes } = await plan({ root, cluster: "staging", out: () => {} });
    expect(spokes.map((spoke) => spoke.name)).toEqual(["staging"]);
    const layers = spokes[0]!.layers;
    expect(layers.map((layer) => [layer.name, layer.appliesTo, layer.dependsOn])).toEqual([
      ["tenants", "spoke", []],
      ["infra-controllers", "hub", ["tenants"]],
      ["infra-configs", "spoke", ["infra-controllers"]],
      ["apps", "hub", ["infra-configs"]],
    ]);
    expect(layers[3]!.identity).toEqual({ secretRef: "cluster-kubeconfig", serviceAccountName: "flux-restricted" });
    expect(layers[1]!.identity).toEqual({ secretRef: "cluster-kubeconfig", serviceAccountName: "flux-cluster-admin" });
    expect(layers[0]!.identity).toEqual({ secretRef: "cluster-kubeconfig" });
    expect(layers[3]!.objects).toEqual([
      {
        kind: "HelmRelease",
        namespace: "staging",
        name: "podinfo",
        helm: { chart: "podinfo", source: "HelmRepository/staging/podinfo", version: ">=1.0.0-alpha", targetNamespace: "podinfo" },
      },
      { kind: "HelmRepository", namespace: "staging", name: "podinfo" },
    ]);
  });

  it("prints the JSON form through the CLI, every spoke sorted by name", async () => {
    const result = await runInProcess(["plan", "--json"], root);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { spokes: Array<{ name: string; layers: Array<{ name: string; identity: unknown }> }> };
    expect(parsed.spokes.map((spoke) => spoke.name)).toEqual(["production", "staging"]);
    const staging = parsed.spokes[1]!;
    expect(staging.layers.map((layer) => layer.name)).toEqual(["tenants", "infra-controllers", "infra-configs", "apps"]);
    expect(staging.layers[3]!.identity).toEqual({ secretRef: "cluster-kubeconfig", serviceAccountName: "flux-restricted" });
  });

  it("prints a compact tree", async () => {
    const { out, text } = collect();
    await plan({ root, cluster: "production", out });
    expect(text()).toContain(
      "  apps → hub as flux-restricted via Secret cluster-kubeconfig, after infra-configs\n    HelmRelease/production/podinfo: chart podinfo >=1.0.0 from HelmRepository/production/podinfo into podinfo\n",
    );
    expect(text().startsWith("production\n  tenants → spoke via Secret cluster-kubeconfig\n")).toBe(true);
  });

  it("plans a hand edit of a generated file as kustomize builds it", async () => {
    await edit(root, "hub/staging.yaml", "value: flux-restricted", "value: flux-cluster-admin");
    const { spokes } = await plan({ root, cluster: "staging", out: () => {} });
    expect(spokes[0]!.layers[3]!.identity.serviceAccountName).toBe("flux-cluster-admin");
  });

  it("names the workload-identity ConfigMap of a spoke that reaches its cluster through one", async () => {
    const identity = await createFixtureRepo("hub-workload-identity");
    await gen(identity, true);
    const { spokes } = await plan({ root: identity, cluster: "production", out: () => {} });
    expect(spokes[0]!.layers.map((layer) => [layer.name, layer.identity])).toEqual([
      ["tenants", { configMapRef: "cluster-access" }],
      ["infra-controllers", { configMapRef: "cluster-access", serviceAccountName: "flux-cluster-admin" }],
      ["infra-configs", { configMapRef: "cluster-access" }],
      ["apps", { configMapRef: "cluster-access", serviceAccountName: "flux-restricted" }],
    ]);
  });

  it("shows a layer that does not build and exits 1", async () => {
    await edit(root, "clusters/staging/apps/kustomization.yaml", "path: podinfo-values.yaml", "path: podinfo-value.yaml");
    const { out, text } = collect();
    const { exitCode, spokes } = await plan({ root, cluster: "staging", out });
    expect(exitCode).toBe(1);
    expect(spokes[0]!.layers[3]!.objects).toEqual([]);
    // Without a build there are no HelmReleases to read the identity from.
    expect(text()).toContain("  apps → hub, after infra-configs\n    build failed: kubectl kustomize build clusters/staging/apps failed: ");
    expect(text()).toMatch(/\n {6}\tpath: podinfo-value\.yaml\n/);
  });

  it("plans a hand-written repository in dependsOn order, whatever the file order", async () => {
    const kustomization = (resource: string) =>
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ${resource}\n`;
    const flux = (name: string, extra: string) =>
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: demo\nspec:\n${extra}  interval: 10m\n  prune: true\n  path: ./clusters/demo/${name}\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n    namespace: flux-system\n`;
    const hand = await createFleetRepo({
      "hub/demo.yaml": [
        flux("web", "  dependsOn:\n    - name: base\n  targetNamespace: web\n  serviceAccountName: deployer\n"),
        flux("base", ""),
      ].join("---\n"),
      "clusters/demo/web/kustomization.yaml": kustomization("config.yaml"),
      "clusters/demo/web/config.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n",
      "clusters/demo/base/kustomization.yaml": kustomization("namespace.yaml"),
      "clusters/demo/base/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n",
    });
    const { spokes } = await plan({ root: hand, json: true, out: () => {} });
    expect(spokes).toEqual([
      {
        name: "demo",
        layers: [
          {
            name: "base",
            appliesTo: "hub",
            identity: {},
            dependsOn: [],
            path: "clusters/demo/base",
            objects: [{ kind: "Namespace", name: "web" }],
          },
          {
            name: "web",
            appliesTo: "hub",
            identity: { serviceAccountName: "deployer" },
            dependsOn: ["base"],
            path: "clusters/demo/web",
            objects: [{ kind: "ConfigMap", namespace: "web", name: "settings" }],
          },
        ],
      },
    ]);
  });

  it("refuses a spoke the hub does not have, naming those it has", async () => {
    await expect(plan({ root, cluster: "prod", out: () => {} })).rejects.toThrow(
      new UsageError('There is no spoke "prod" on the hub: use one of "production", "staging".'),
    );
  });
});

describe("flux-fleet graph", () => {
  it("draws the default fleet's two spokes and their layers, and writes a .md file with a mermaid block", async () => {
    const printed = await runInProcess(["graph"], root);
    expect(printed.code).toBe(0);
    const lines = printed.stdout.split("\n");
    expect(lines.slice(0, 2)).toEqual(["flowchart LR", '  hub["hub<br/>flux-system"]']);
    expect(lines).toEqual(
      expect.arrayContaining([
        '  hub -->|"kubeconfig Secret cluster-kubeconfig"| spoke_production',
        '  hub -->|"kubeconfig Secret cluster-kubeconfig"| spoke_staging',
        '  spoke_staging_apps["apps<br/>on the hub as flux-restricted via Secret cluster-kubeconfig"]',
        '  spoke_staging_tenants["tenants<br/>on the spoke via Secret cluster-kubeconfig"]',
        "  spoke_staging --> spoke_staging_tenants",
        "  spoke_staging_tenants --> spoke_staging_infra_controllers",
        "  spoke_staging_infra_controllers --> spoke_staging_infra_configs",
        "  spoke_staging_infra_configs --> spoke_staging_apps",
      ]),
    );
    const output = join(root, ".fleet-graph.md");
    const written = await runInProcess(["graph", "--cluster", "staging", "--output", output], root);
    expect(written.stdout).toBe(`Wrote the graph of 1 spoke to ${output}.\n`);
    const file = await readFile(output, "utf8");
    expect(file.startsWith("```mermaid\nflowchart LR\n")).toBe(true);
    expect(file.endsWith("```\n")).toBe(true);
    expect(file).not.toContain("production");
  });

  it("refuses a spoke the hub does not have, in one line", async () => {
    const result = await runInProcess(["graph", "--cluster", "nope"], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('flux-fleet: There is no spoke "nope" on the hub: use one of "production", "staging".\n');
  });
});

describe("flux-fleet diff", () => {
  it("lists exactly production when its podinfo host changes in the fleet, with the field that changed", async () => {
    await edit(root, "fleet/clusters.ts", 'host: "podinfo.production"', 'host: "podinfo.example.com"');
    await gen(root);
    const result = await runInProcess(["diff", "--base", "HEAD", "--json"], root);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      base: first,
      spokes: [
        {
          name: "production",
          changed: true,
          objects: [
            {
              layer: "apps",
              kind: "HelmRelease",
              namespace: "production",
              name: "podinfo",
              change: "modified",
              fields: [{ path: "spec.values.ingress.hosts[0].host", before: "podinfo.production", after: "podinfo.example.com" }],
            },
          ],
        },
        { name: "staging", changed: false, objects: [] },
      ],
    });
  });

  it("compares a branch with where it left main when no --base is given, so its own commits count", async () => {
    git(root, "checkout", "--quiet", "-b", "feature");
    try {
      await edit(root, "fleet/clusters.ts", 'host: "podinfo.production"', 'host: "podinfo.example.com"');
      await gen(root);
      git(root, "commit", "--quiet", "-am", "production host");
      const result = await runInProcess(["diff"], root);
      expect(result.code).toBe(0);
      expect(result.stdout.split("\n")[0]).toBe(`Comparing ${first.slice(0, 12)} (merge base with main) with the working tree.`);
      expect(result.stdout).toContain("production\n  apps\n    ~ HelmRelease/production/podinfo\n");
      expect(result.stdout.trimEnd().split("\n").at(-1)).toBe("1 spoke changed, 1 spoke unchanged.");
    } finally {
      git(root, "checkout", "--quiet", "--force", "main");
      git(root, "branch", "--quiet", "-D", "feature");
    }
  });

  it("lists every spoke for a change to what every spoke uses, from a second commit", async () => {
    await edit(root, "fleet/tenants.ts", 'namespaces: ["podinfo"]', 'namespaces: ["podinfo", "shop"]');
    await gen(root);
    git(root, "commit", "--quiet", "-am", "second");
    git(root, "add", "-A");
    git(root, "commit", "--quiet", "--allow-empty", "-m", "second, new files");
    const { spokes } = await diff({ root, base: "HEAD~2", out: () => {} });
    expect(spokes.map((spoke) => [spoke.name, spoke.changed])).toEqual([
      ["production", true],
      ["staging", true],
    ]);
    for (const spoke of spokes)
      expect(spoke.objects.map((object) => [object.layer, object.change, object.kind, object.namespace ?? "", object.name])).toEqual([
        ["tenants", "added", "Namespace", "", "shop"],
        ["tenants", "added", "RoleBinding", "shop", "flux"],
      ]);
  });

  it("lists every spoke a hand edit of a shared deploy/ base reaches, and prints them", async () => {
    await edit(root, "deploy/apps/podinfo.yaml", "  interval: 50m\n", "  interval: 10m\n");
    const { out, text } = collect();
    const { spokes } = await diff({ root, out });
    expect(spokes.filter((spoke) => spoke.changed).map((spoke) => spoke.name)).toEqual(["production", "staging"]);
    expect(text()).toBe(
      [
        `Comparing ${first.slice(0, 12)} (HEAD) with the working tree.`,
        "",
        "production",
        "  apps",
        "    ~ HelmRelease/production/podinfo",
        '        spec.interval: "50m" → "10m"',
        "",
        "staging",
        "  apps",
        "    ~ HelmRelease/staging/podinfo",
        '        spec.interval: "50m" → "10m"',
        "",
        "2 spokes changed, 0 spokes unchanged.",
        "",
      ].join("\n"),
    );
  });

  it("collapses unchanged spokes into one line for a hand edit of one spoke's overlay", async () => {
    await edit(root, "clusters/staging/apps/podinfo-values.yaml", "host: podinfo.staging", "host: podinfo.test");
    const { out, text } = collect();
    const { spokes } = await diff({ root, base: "main", out });
    expect(spokes.map((spoke) => spoke.changed)).toEqual([false, true]);
    expect(text()).toContain(
      'staging\n  apps\n    ~ HelmRelease/staging/podinfo\n        spec.values.ingress.hosts[0].host: "podinfo.staging" → "podinfo.test"\n\n1 spoke changed, 1 spoke unchanged.\n',
    );
  });

  it("lists every object of a spoke the fleet adds, and no other spoke", async () => {
    await writeFile(
      join(root, "fleet/clusters.ts"),
      `${await readFile(join(root, "fleet/clusters.ts"), "utf8")}\nexport const canary = defineCluster({ name: "canary", profile: seedProfile, overrides: { podinfo: { host: "podinfo.canary" } } });\n`,
    );
    await edit(root, "fleet/fleet.ts", "clusters: [staging, production]", "clusters: [staging, production, canary]");
    await edit(root, "fleet/fleet.ts", "import { production, staging }", "import { canary, production, staging }");
    await gen(root);
    const { out, text } = collect();
    const { spokes } = await diff({ root, out });
    expect(spokes.map((spoke) => [spoke.name, spoke.changed])).toEqual([
      ["canary", true],
      ["production", false],
      ["staging", false],
    ]);
    const canary = spokes[0]!;
    expect(new Set(canary.objects.map((object) => object.change))).toEqual(new Set(["added"]));
    expect([...new Set(canary.objects.map((object) => object.layer))]).toEqual([
      "hub",
      "tenants",
      "infra-controllers",
      "infra-configs",
      "apps",
    ]);
    expect(text()).toContain("    + HelmRelease/canary/podinfo\n");
    expect(text().endsWith("1 spoke changed, 2 spokes unchanged.\n")).toBe(true);
  });

  it("lists a spoke's objects as removed when its hub file is gone", async () => {
    git(root, "rm", "--quiet", "hub/production.yaml");
    const { spokes } = await diff({ root, out: () => {} });
    const production = spokes.find((spoke) => spoke.name === "production")!;
    expect(production.changed).toBe(true);
    expect(new Set(production.objects.map((object) => object.change))).toEqual(new Set(["removed"]));
    expect(production.objects.find((object) => object.kind === "HelmRelease" && object.name === "podinfo")?.layer).toBe("apps");
    expect(spokes.find((spoke) => spoke.name === "staging")?.changed).toBe(false);
  });

  it("lists a hand edit of a spoke's Kustomization in the hub file under the layer hub", async () => {
    await edit(
      root,
      "hub/staging.yaml",
      "  timeout: 5m\n  prune: true\n  wait: true\n  path: ./clusters/staging/apps\n",
      "  timeout: 9m\n  prune: true\n  wait: true\n  path: ./clusters/staging/apps\n",
    );
    const { spokes } = await diff({ root, out: () => {} });
    expect(spokes.map((spoke) => spoke.objects)).toEqual([
      [],
      [
        {
          layer: "hub",
          kind: "Kustomization",
          namespace: "staging",
          name: "apps",
          change: "modified",
          fields: [{ path: "spec.timeout", before: "5m", after: "9m" }],
        },
      ],
    ]);
  });

  it("says which layer does not build instead of listing its objects as removed, and exits 1", async () => {
    await edit(root, "clusters/staging/apps/kustomization.yaml", "path: podinfo-values.yaml", "path: podinfo-value.yaml");
    const { out, text } = collect();
    const { exitCode, spokes, errors } = await diff({ root, out });
    expect(exitCode).toBe(1);
    expect(spokes.every((spoke) => !spoke.changed)).toBe(true);
    expect(errors.map((error) => [error.spoke, error.layer, error.revision])).toEqual([["staging", "apps", "working tree"]]);
    expect(text()).toContain("Not compared: layer apps of spoke staging does not build in the working tree: ");
  });

  it("compares a fleet in a sub-folder of the git repository with the same folder at the base", async () => {
    const parent = await mkdtemp(join(tmpdir(), "flux-fleet-monorepo-"));
    const sub = join(parent, "platform", "fleet-repo");
    await cp(root, sub, { recursive: true, verbatimSymlinks: true, filter: (path) => !path.endsWith("/.git") });
    await writeFile(join(parent, "README.md"), "# a monorepo\n");
    git(parent, "init", "--quiet", "--initial-branch=main");
    git(parent, "add", "-A");
    git(parent, "commit", "--quiet", "-m", "first");
    await edit(sub, "deploy/apps/podinfo.yaml", "  interval: 50m\n", "  interval: 10m\n");
    const { spokes } = await diff({ root: sub, out: () => {} });
    expect(spokes.map((spoke) => [spoke.name, spoke.objects.map((object) => `${object.change} ${object.kind}/${object.name}`)])).toEqual([
      ["production", ["modified HelmRelease/podinfo"]],
      ["staging", ["modified HelmRelease/podinfo"]],
    ]);
  });

  it("refuses a base that does not have the fleet's folder", async () => {
    const parent = await mkdtemp(join(tmpdir(), "flux-fleet-monorepo-"));
    await writeFile(join(parent, "README.md"), "# a monorepo\n");
    git(parent, "init", "--quiet", "--initial-branch=main");
    git(parent, "add", "-A");
    git(parent, "commit", "--quiet", "-m", "before the fleet");
    const sub = join(parent, "fleet-repo");
    await cp(root, sub, { recursive: true, verbatimSymlinks: true, filter: (path) => !path.endsWith("/.git") });
    git(parent, "add", "-A");
    git(parent, "commit", "--quiet", "-m", "the fleet");
    const base = git(parent, "rev-parse", "HEAD~1");
    await expect(diff({ root: sub, base: "HEAD~1", out: () => {} })).rejects.toThrow(
      new UsageError(
        `The commit ${base.slice(0, 12)} has no folder "fleet-repo": diff compares this folder in both revisions, so give a --base that has it.`,
      ),
    );
  });

  it("does not touch the working tree", async () => {
    await edit(root, "deploy/apps/podinfo.yaml", "  interval: 50m\n", "  interval: 10m\n");
    const before = git(root, "status", "--porcelain");
    await diff({ root, out: () => {} });
    expect(git(root, "status", "--porcelain")).toBe(before);
  });

  it("prints the pull-request comment with --markdown, and posts it as one comment with --comment", async () => {
    await edit(root, "fleet/clusters.ts", 'host: "podinfo.production"', 'host: "podinfo.example.com"');
    await gen(root);
    const markdown = await runInProcess(["diff", "--base", "HEAD", "--markdown"], root);
    expect(markdown.code).toBe(0);
    // The formatter's text is checked in format-diff.test.ts; here, that the command gives it this comparison.
    const { spokes } = JSON.parse((await runInProcess(["diff", "--base", "HEAD", "--json"], root)).stdout) as { spokes: SpokeChange[] };
    expect(spokes.filter((spoke) => spoke.changed).map((spoke) => spoke.name)).toEqual(["production"]);
    expect(markdown.stdout).toBe(formatDiffMarkdown(first, spokes));
    expect(markdown.stdout).toContain(
      "<details><summary>production (1 object changed)</summary>\n\n```\n  apps\n    ~ HelmRelease/production/podinfo\n",
    );
    const github = await startGitHubStandIn("acme/fleet", "token");
    try {
      const event = join(root, ".fleet-event.json");
      await writeFile(event, JSON.stringify({ pull_request: { number: 3, head: { repo: { full_name: "acme/fleet" } } } }));
      const env = { GITHUB_API_URL: github.url, GITHUB_TOKEN: "token", GITHUB_REPOSITORY: "acme/fleet", GITHUB_EVENT_PATH: event };
      for (const action of ["created", "updated"]) {
        const posted = await runInProcess(["diff", "--base", "HEAD", "--markdown", "--comment"], root, env);
        expect(posted.stderr).toBe(`flux-fleet: ${action} the pull request comment 1000.\n`);
        expect(posted.code).toBe(0);
      }
      expect(github.comments.get(3)).toEqual([{ id: 1000, body: markdown.stdout }]);
    } finally {
      await github.close();
    }
  });

  it.each([["--markdown"], ["--comment"]])("refuses --json with %s in one line, before comparing", async (flag) => {
    const result = await runInProcess(["diff", "--base", "no-such-branch", "--json", flag], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`flux-fleet: --json and ${flag} cannot go together: give one of them.\n`);
  });

  it("refuses a revision that does not exist with one line through the CLI", async () => {
    const result = await runInProcess(["diff", "--base", "no-such-branch"], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `flux-fleet: --base "no-such-branch" is not a commit of the repository at ${root}: give a branch, tag or commit, such as HEAD or main.\n`,
    );
  });

  it("refuses a folder that is not in a git repository", async () => {
    const bare = await createFleetRepo({ "hub/x.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n" });
    await expect(diff({ root: bare, out: () => {} })).rejects.toThrow(UsageError);
  });
});
