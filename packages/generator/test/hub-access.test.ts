import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseYamlDocuments } from "@flux-fleet/validate";
import { createFixtureRepo, runInProcess } from "./helpers.ts";
import { generatedFixture } from "./hub-fixtures.ts";
import { edit, summary } from "./validate-helpers.ts";

interface Doc {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec?: { kubeConfig?: unknown; patches?: Array<{ patch: string }> };
}

const fixture = generatedFixture("hub-workload-identity");
const hubDocs = async (root: string, cluster: string) =>
  parseYamlDocuments(await readFile(join(root, `hub/${cluster}.yaml`), "utf8")).documents as Doc[];

describe("spoke access: kubeconfig Secret or workload identity (kubeConfig.configMapRef)", () => {
  it("points every layer and HelmRelease of a workload-identity spoke at its generated ConfigMap", async () => {
    const root = await fixture.original();
    const production = await hubDocs(root, "production");
    expect(production.find((doc) => doc.kind === "ConfigMap")).toMatchObject({
      metadata: { name: "cluster-access", namespace: "production" },
      data: {
        provider: "aws",
        cluster: "arn:aws:eks:eu-west-1:123456789012:cluster/production",
        serviceAccountName: "flux-production",
      },
    });
    const layers = production.filter((doc) => doc.kind === "Kustomization");
    expect(
      layers.map((doc) => [
        doc.metadata.name,
        doc.spec?.kubeConfig ?? doc.spec?.patches?.[0]?.patch.includes("configMapRef:\n      name: cluster-access"),
      ]),
    ).toEqual([
      ["tenants", { configMapRef: { name: "cluster-access" } }],
      ["infra-controllers", true],
      ["infra-configs", { configMapRef: { name: "cluster-access" } }],
      ["apps", true],
    ]);
    expect((await hubDocs(root, "edge")).find((doc) => doc.kind === "ConfigMap")?.data).toEqual({
      provider: "generic",
      address: "https://edge.example.com:6443",
      audiences: "flux-hub",
    });
    // The Secret-based spoke is exactly as before: no ConfigMap, secretRef everywhere.
    const staging = await readFile(join(root, "hub/staging.yaml"), "utf8");
    expect(staging).not.toContain("ConfigMap");
    expect(staging.match(/name: cluster-kubeconfig/g)).toHaveLength(4);
  });

  it("passes validate with real kustomize", async () => {
    const result = await runInProcess(["validate", "--no-cache"], await fixture.original());
    expect(summary(result.stdout)).toBe("0 errors, 0 warnings, 0 skipped");
    expect(result.code).toBe(0);
  });

  it.each([
    [
      "a HelmRelease patched with the kubeconfig Secret of a workload-identity spoke",
      "hub/production.yaml",
      /(path: \.\/clusters\/production\/apps\n(?:.*\n)*? {12})configMapRef:\n {14}name: cluster-access/,
      "$1secretRef:\n              name: cluster-kubeconfig",
      'Uses kubeconfig Secret "cluster-kubeconfig" but spoke "production" is reached through workload-identity ConfigMap "cluster-access"',
    ],
    [
      "a layer giving both secretRef and configMapRef",
      "hub/production.yaml",
      /(path: \.\/clusters\/production\/tenants\n(?:.*\n)*? {2}kubeConfig:\n)/,
      "$1    secretRef:\n      name: cluster-kubeconfig\n",
      "exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified",
    ],
    [
      "a workload-identity ConfigMap that is not on the hub",
      "hub/production.yaml",
      "  name: cluster-access\n  namespace: production\n",
      "  name: spoke-access\n  namespace: production\n",
      'The workload-identity ConfigMap "production/cluster-access" does not exist on the hub',
    ],
    [
      "an unknown provider",
      "hub/production.yaml",
      "  provider: aws\n",
      "  provider: eks\n",
      'Names the provider "eks": Flux needs one of "aws", "azure", "gcp", "generic".',
    ],
    [
      "a generic provider without the API server's address",
      "hub/edge.yaml",
      "  address: https://edge.example.com:6443\n",
      "",
      "The generic provider needs the API server's address",
    ],
  ])("reports %s", async (_name, file, from, to, expected) => {
    const result = await fixture.validateEdited(file, from, to);
    expect(result.stdout).toContain(expected);
    expect(result.code).toBe(1);
  });

  it.each([
    [
      'address: "https://edge.example.com:6443", ',
      "",
      'access.address: The generic provider needs the spoke\'s API server address: add access.address ("https://…").',
    ],
    [
      'provider: "aws",',
      'provider: "eks",',
      'access.provider: Unknown workload identity provider "eks": use one of "aws", "azure", "gcp", "generic".',
    ],
    [
      '    cluster: "arn:aws:eks:eu-west-1:123456789012:cluster/production",\n',
      "",
      "access.cluster: The aws provider needs the cluster's resource name in the cloud API (access.cluster, the EKS cluster ARN), unless both access.address and access.caCert are given.",
    ],
  ])("refuses a fleet whose access lacks what its provider needs (%s → %s)", async (from, to, expected) => {
    const root = await createFixtureRepo("hub-workload-identity");
    await edit(root, "fleet/clusters.ts", from, to);
    const result = await runInProcess(["gen"], root);
    expect(result.stdout + result.stderr).toContain(expected);
    expect(result.stdout + result.stderr).toMatch(/fleet\/clusters\.ts:\d+, cluster "(edge|production)"/);
    expect(result.code).toBe(1);
  });
});
