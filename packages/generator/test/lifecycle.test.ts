import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseYamlDocuments } from "@flux-fleet/validate";
import { createDefaultFleetRepo, REPO_ROOT, runCli, runInProcess } from "./helpers.ts";

/** The default fleet plus one spoke, added the way the README tells users to. */
async function repoWithCanary(): Promise<string> {
  const root = await createDefaultFleetRepo();
  const clusters = join(root, "fleet/clusters.ts");
  await writeFile(
    clusters,
    `${await readFile(clusters, "utf8")}\nexport const canary = defineCluster({ name: "canary", profile: seedProfile });\n`,
  );
  const fleet = join(root, "fleet/fleet.ts");
  await writeFile(
    fleet,
    (await readFile(fleet, "utf8"))
      .replace("import { production, staging }", "import { canary, production, staging }")
      .replace("[staging, production]", "[staging, production, canary]"),
  );
  return root;
}

describe("the fleet drives the local kind fleet and the CI workflows", () => {
  it("fleet up --dry-run creates the hub and every spoke, then their kubeconfig Secrets", async () => {
    const result = await runInProcess(["fleet", "up", "--dry-run", "--kubernetes-version", "v1.35.0"], await repoWithCanary());
    expect(result.code).toBe(0);
    const commands = result.stdout.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
    expect(commands.slice(0, 4)).toEqual([
      "kind create cluster --name flux-hub --image kindest/node:v1.35.0 --wait 5m",
      "kind create cluster --name flux-staging --image kindest/node:v1.35.0 --wait 5m",
      "kind create cluster --name flux-production --image kindest/node:v1.35.0 --wait 5m",
      "kind create cluster --name flux-canary --image kindest/node:v1.35.0 --wait 5m",
    ]);
    expect(commands.filter((c) => c.startsWith("kind get kubeconfig --internal"))).toEqual([
      "kind get kubeconfig --internal --name flux-staging > .fleet/kubeconfigs/staging.yaml",
      "kind get kubeconfig --internal --name flux-production > .fleet/kubeconfigs/production.yaml",
      "kind get kubeconfig --internal --name flux-canary > .fleet/kubeconfigs/canary.yaml",
    ]);
    expect(
      commands.filter((c) =>
        c.includes("create secret generic cluster-kubeconfig --namespace canary --from-file=value=.fleet/kubeconfigs/canary.yaml"),
      ),
    ).toHaveLength(1);
  });

  it("fleet down --dry-run deletes exactly the fleet's clusters", async () => {
    const result = await runInProcess(["fleet", "down", "--dry-run"], await repoWithCanary());
    expect(result.stdout.split("\n").filter((line) => line.startsWith("kind "))).toEqual([
      "kind delete cluster --name flux-hub",
      "kind delete cluster --name flux-staging",
      "kind delete cluster --name flux-production",
      "kind delete cluster --name flux-canary",
    ]);
  });

  it("flux up --dry-run never shows the token", async () => {
    // The real CLI: a token must not appear anywhere a process prints.
    const result = await runCli(
      ["flux", "up", "--dry-run", "--repository-url", "https://github.com/acme/fleet"],
      await createDefaultFleetRepo(),
      { GITHUB_TOKEN: "ghp_secret123" },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("flux install --context kind-flux-hub");
    expect(`${result.stdout}${result.stderr}`).not.toContain("ghp_secret123");
  });

  it("gen waits for a new spoke in the e2e workflow with no other edit", async () => {
    const root = await repoWithCanary();
    expect((await runInProcess(["gen"], root)).code).toBe(0);
    const e2e = await readFile(join(root, ".github/workflows/e2e.yaml"), "utf8");
    expect(e2e.match(/Wait for the apps of spoke \w+/g)).toEqual([
      "Wait for the apps of spoke staging",
      "Wait for the apps of spoke production",
      "Wait for the apps of spoke canary",
    ]);
    expect(e2e).toContain(
      "kubectl --context kind-flux-hub --namespace canary wait kustomizations.kustomize.toolkit.fluxcd.io/apps --for=condition=Ready",
    );
  });

  it("the committed workflows parse and call only scripts the root package.json has", async () => {
    const scripts = Object.keys(
      (JSON.parse(await readFile(join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts,
    );
    for (const name of ["test", "e2e", "release"]) {
      const text = await readFile(join(REPO_ROOT, ".github/workflows", `${name}.yaml`), "utf8");
      const { documents, problems } = parseYamlDocuments(text);
      expect(problems).toEqual([]);
      const steps = Object.values(
        (documents[0] as { jobs: Record<string, { steps: Array<{ run?: string; with?: Record<string, unknown> }> }> }).jobs,
      ).flatMap((job) => job.steps);
      // Commands run in `run:` steps and in action inputs such as changesets' `publish: pnpm release`.
      const commands = steps.flatMap((step) => [
        step.run ?? "",
        ...Object.values(step.with ?? {}).filter((v): v is string => typeof v === "string"),
      ]);
      const called = commands
        .flatMap((command) => [...command.matchAll(/\bpnpm (?:run )?([\w:-]+)/g)].map((m) => m[1]!))
        // pnpm's own commands: `pnpm exec flux-fleet` runs the CLI this repository depends on.
        .filter((s) => s !== "install" && s !== "exec");
      expect(called.length).toBeGreaterThan(0);
      for (const script of called) expect(scripts, `${name}.yaml calls pnpm ${script}`).toContain(script);
    }
  });

  it("refuses to write workflows that call a script the repository lacks", async () => {
    const root = await createDefaultFleetRepo();
    const manifest = join(root, "package.json");
    const pkg = JSON.parse(await readFile(manifest, "utf8")) as { scripts: Record<string, string> };
    delete pkg.scripts["fleet:up"];
    await writeFile(manifest, JSON.stringify(pkg));
    const result = await runInProcess(["gen"], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('runs "pnpm fleet:up"');
    expect(result.stderr).toContain('but the root package.json has no "fleet:up" script');
  });
});
