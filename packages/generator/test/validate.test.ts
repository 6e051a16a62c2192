import { cp, readFile, writeFile, mkdtemp, symlink, mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createDefaultFleetRepo, runCli, runInProcess } from "./helpers.ts";

// Each case edits one generated file by hand, as users do, and names the message validate must print.
const HAND_EDITS: Array<[name: string, file: string, from: string | RegExp, to: string, expected: string]> = [
  [
    "a file that does not parse",
    "hub/staging.yaml",
    "  prune: true\n",
    "  prune: true\n   wait: [\n",
    "hub/staging.yaml\n  error   YAML does not parse (line",
  ],
  [
    "an unknown field",
    "deploy/apps/podinfo.yaml",
    "  interval: 50m\n",
    "  interval: 50m\n  intervall: 5m\n",
    'unknown field "spec.intervall"',
  ],
  ["a value of the wrong type", "hub/staging.yaml", "  prune: true\n", '  prune: "yes"\n', "/spec/prune"],
  [
    "an apiVersion Flux no longer serves",
    "hub/staging.yaml",
    /apiVersion: kustomize.toolkit.fluxcd.io\/v1/,
    "apiVersion: kustomize.toolkit.fluxcd.io/v1beta2",
    "use kustomize.toolkit.fluxcd.io/v1",
  ],
  [
    "a removed dependsOn target",
    "hub/staging.yaml",
    "    - name: infra-configs\n",
    "    - name: infra-config\n",
    'Depends on Kustomization "staging/infra-config", which does not exist on the hub',
  ],
  [
    "a broken layer order",
    "hub/staging.yaml",
    "    - name: infra-configs\n",
    "    - name: tenants\n",
    '"apps" does not depend on "infra-configs"',
  ],
  [
    "a dependsOn cycle",
    "hub/staging.yaml",
    /(name: tenants\n {2}namespace: staging\nspec:\n)/,
    "$1  dependsOn:\n    - name: apps\n",
    "dependsOn forms a cycle: tenants → apps → infra-configs → infra-controllers → tenants",
  ],
  [
    "a dangling patch file",
    "clusters/production/apps/kustomization.yaml",
    "path: podinfo-values.yaml",
    "path: podinfo-value.yaml",
    "kubectl kustomize build",
  ],
  [
    "a patch whose target does not exist",
    "clusters/production/apps/kustomization.yaml",
    "name: podinfo\n",
    "name: podinfoo\n",
    'The patch podinfo-values.yaml targets HelmRelease "podinfoo", which none of the resources is',
  ],
  [
    "a kubeconfig Secret the spoke does not have",
    "hub/staging.yaml",
    /(infra-configs\n(?:.*\n)*? {6}name: )cluster-kubeconfig/,
    "$1staging-kubeconfig",
    'Uses kubeconfig Secret "staging-kubeconfig" but the spoke\'s Secret is "cluster-kubeconfig"',
  ],
  [
    "an identity the tenants layer does not create",
    "deploy/tenants/flux.yaml",
    "name: flux-restricted\n",
    "name: flux-limited\n",
    'Runs as ServiceAccount "flux-restricted", which the tenants layer of spoke "staging" does not create in namespace "staging"',
  ],
  [
    "a variable nothing substitutes",
    "deploy/tenants/podinfo.yaml",
    "name: podinfo\n  labels:\n",
    "name: podinfo\n  annotations:\n    owner: ${TEAM}\n  labels:\n",
    '${TEAM} is not set by postBuild.substitute of Kustomization "tenants"',
  ],
  [
    "a restricted release outside its namespaces",
    "deploy/apps/podinfo.yaml",
    "targetNamespace: podinfo",
    "targetNamespace: cert-manager",
    'Runs as the restricted identity "flux-restricted", which is bound only in "podinfo", but targets "cert-manager"',
  ],
  [
    "a restricted release installing CRDs",
    "deploy/apps/podinfo.yaml",
    "  install:\n",
    "  install:\n    crds: Create\n",
    "Installs CRDs (Create) as the restricted identity",
  ],
  [
    "a plain Secret",
    "deploy/infra-configs/cluster-issuers.yaml",
    /$/,
    "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: token\n  namespace: cert-manager\nstringData:\n  token: hunter2\n",
    "A plain Secret is committed to Git",
  ],
  [
    "an object applied to the hub instead of the spoke",
    "deploy/apps/podinfo.yaml",
    /$/,
    "---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: podinfo\n",
    "ServiceAccount is applied to the hub, not to spoke",
  ],
  [
    "a chart source that does not exist",
    "deploy/apps/podinfo.yaml",
    "        name: podinfo\n",
    "        name: podinfo-charts\n",
    'Its chart source HelmRepository "staging/podinfo-charts" is not created by any layer of spoke "staging"',
  ],
];

describe("flux-fleet validate", () => {
  let generated: string;
  beforeAll(async () => {
    generated = await createDefaultFleetRepo();
    expect((await runInProcess(["gen"], generated)).code).toBe(0);
  });

  async function copyOfGenerated(): Promise<string> {
    const root = await createDefaultFleetRepo();
    // The kustomize cache is keyed by content, so sharing it only spares rebuilding the unchanged directories.
    await cp(generated, root, { recursive: true, filter: (source) => !source.includes("node_modules") });
    return root;
  }

  it("passes the default fleet with its warnings, checking the ClusterIssuers against cert-manager's CRDs", async () => {
    const result = await runInProcess(["validate"], generated);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("skipped 2 objects");
    expect(result.stdout).toContain('warning spec.chart.spec.version: Production cluster "production" follows the range ">=1.0.0"');
    expect(result.stdout).toMatch(
      /13 kustomizations \(4 built as bases of the others; 7 distinct: \d+ built with kustomize, \d+ from cache\)/,
    );
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe("0 errors, 3 warnings, 0 skipped");
  });

  it("repeats its report when nothing changed, reuses unchanged builds, and rebuilds with --no-cache", async () => {
    const root = await copyOfGenerated();
    await rm(join(root, ".fleet"), { recursive: true, force: true });
    expect((await runInProcess(["validate"], root)).stdout).toContain(
      "(4 built as bases of the others; 7 distinct: 7 built with kustomize, 0 from cache)",
    );
    const again = await runInProcess(["validate"], root);
    expect(again.stdout).toContain("Nothing changed since the last validation");
    expect(again.stdout.trimEnd().split("\n").at(-1)).toBe("0 errors, 3 warnings, 0 skipped");
    const overlay = join(root, "clusters/staging/apps/podinfo-values.yaml");
    await writeFile(overlay, (await readFile(overlay, "utf8")).replace("podinfo.staging", "podinfo.staging.example.com"));
    const changed = await runInProcess(["validate"], root);
    expect(changed.stdout).toContain("(4 built as bases of the others; 7 distinct: 1 built with kustomize, 6 from cache)");
    expect(changed.stdout).not.toContain("Nothing changed");
    expect((await runInProcess(["validate", "--no-cache"], root)).stdout).toContain(
      "(4 built as bases of the others; 7 distinct: 7 built with kustomize, 0 from cache)",
    );
  });

  it("prints the same report as JSON", async () => {
    const result = await runInProcess(["validate", "--json"], generated);
    const report = JSON.parse(result.stdout) as {
      summary: string;
      errors: number;
      issues: Array<{ severity: string }>;
      skipped: unknown[];
    };
    expect(report.summary).toBe("0 errors, 3 warnings, 0 skipped");
    expect(report.errors).toBe(0);
    expect(report.issues.map((issue) => issue.severity)).toEqual(["warning", "warning", "warning"]);
    expect(report.skipped).toHaveLength(0);
  });

  it.each(HAND_EDITS)("fails on %s", async (_name, file, from, to, expected) => {
    const root = await copyOfGenerated();
    const path = join(root, file);
    const before = await readFile(path, "utf8");
    const after = before.replace(from, to);
    expect(after).not.toBe(before);
    await writeFile(path, after);
    const result = await runInProcess(["validate"], root);
    expect(result.stdout).toContain(expected);
    expect(result.stdout).toMatch(/^[1-9]\d* errors?, \d+ warnings?, \d+ skipped$/m);
    expect(result.code).toBe(1);
  });

  it("accepts a Secret encrypted with SOPS", async () => {
    const root = await copyOfGenerated();
    const path = join(root, "deploy/infra-configs/cluster-issuers.yaml");
    const sops =
      "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: token\n  namespace: cert-manager\ntype: Opaque\nstringData:\n  token: ENC[AES256_GCM,data:bXk=,iv:aXY=,tag:dGFn,type:str]\n" +
      'sops:\n  lastmodified: "2026-01-01T00:00:00Z"\n  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\n  version: 3.9.0\n  age:\n    - recipient: age1xyz\n      enc: secret\n';
    await writeFile(path, (await readFile(path, "utf8")) + sops);
    const result = await runInProcess(["validate"], root);
    expect(result.stdout).not.toContain("plain Secret");
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe("0 errors, 3 warnings, 0 skipped");
    expect(result.code).toBe(0);
  });

  it("turns chart ranges on production into errors when the profile asks for strict pinning", async () => {
    const root = await copyOfGenerated();
    const record = join(root, "flux-fleet.generated.json");
    await writeFile(record, (await readFile(record, "utf8")).replace('"pinning": "warn"', '"pinning": "strict"'));
    const result = await runInProcess(["validate"], root);
    expect(result.stdout).toContain('error   spec.chart.spec.version: Production cluster "production" follows the range ">=1.0.0"');
    expect(result.code).toBe(1);
  });

  it("stops repeating the chart ranges on production that gen recorded as acknowledged by the fleet", async () => {
    const root = await copyOfGenerated();
    const record = join(root, "flux-fleet.generated.json");
    await writeFile(
      record,
      (await readFile(record, "utf8")).replace(
        /("production": \{\n(?:.*\n)*?\s*"pinning": "warn")/,
        '$1,\n      "unpinnedAcknowledged": true',
      ),
    );
    const result = await runInProcess(["validate"], root);
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe("0 errors, 0 warnings, 0 skipped");
    expect(result.code).toBe(0);
  });

  // The real CLI, for its stderr and exit code; the other cases run the command in this process.
  it("says clearly when neither kustomize nor kubectl is installed", async () => {
    const root = await copyOfGenerated();
    const bin = await mkdtemp(join(tmpdir(), "no-kubectl-"));
    await mkdir(bin, { recursive: true });
    await symlink(process.execPath, join(bin, "node"));
    const result = await runCli(["validate", "--no-cache"], root, { PATH: bin });
    expect(result.stderr).toBe(
      "flux-fleet: Neither kustomize nor kubectl is on PATH: install kubectl (it has kustomize built in) or kustomize v5, then run again.\n",
    );
    expect(result.code).toBe(1);
  });
});
