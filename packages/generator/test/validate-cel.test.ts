import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createDefaultFleetRepo, createFleetRepo, runCli, runInProcess } from "./helpers.ts";

// The edits users make by hand that the API server rejects through the CRDs' CEL rules or its own semantics:
// each must fail validate with the CRD's (or the API server's) message, at the object and field it concerns.
const HAND_EDITS: Array<[name: string, file: string, from: string | RegExp, to: string, place: string, message: string]> = [
  [
    "a hub Kustomization with both kubeConfig.secretRef and configMapRef",
    "hub/staging.yaml",
    "  kubeConfig:\n    secretRef:\n      name: cluster-kubeconfig\n  postBuild:",
    "  kubeConfig:\n    secretRef:\n      name: cluster-kubeconfig\n    configMapRef:\n      name: cluster-kubeconfig\n  postBuild:",
    "hub/staging.yaml, Kustomization/staging/tenants",
    "error   /spec/kubeConfig: spec.kubeConfig: exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified",
  ],
  [
    "a HelmRelease with both spec.chart and spec.chartRef",
    "deploy/apps/podinfo.yaml",
    "  interval: 50m\n",
    "  interval: 50m\n  chartRef:\n    kind: OCIRepository\n    name: podinfo\n",
    'cluster "staging", clusters/staging/apps, HelmRelease/staging/podinfo',
    "error   /spec: spec: either chart or chartRef must be set",
  ],
  [
    "a typo in the ClusterIssuer (spec.acme.servr)",
    "deploy/infra-configs/cluster-issuers.yaml",
    "    server: ",
    "    servr: ",
    "infra-configs, ClusterIssuer/letsencrypt",
    'error   /spec/acme/servr: unknown field "spec.acme.servr"',
  ],
  [
    "a label value that is not a valid label",
    "hub/staging.yaml",
    "kind: Namespace\nmetadata:\n  name: staging\n",
    "kind: Namespace\nmetadata:\n  name: staging\n  labels:\n    team: platform team\n",
    "hub/staging.yaml, Namespace/staging",
    'error   /metadata/labels/team: metadata.labels["team"]: the value "platform team" is not a valid label value',
  ],
  [
    "an object name that is not a DNS-1123 subdomain",
    "deploy/infra-configs/cluster-issuers.yaml",
    "  name: letsencrypt\n",
    "  name: LetsEncrypt\n",
    "ClusterIssuer/LetsEncrypt",
    'error   /metadata/name: metadata.name: "LetsEncrypt" is not a valid ClusterIssuer name: a DNS-1123 subdomain',
  ],
  [
    "a namespace on a cluster-scoped kind",
    "hub/staging.yaml",
    "kind: Namespace\nmetadata:\n  name: staging\n",
    "kind: Namespace\nmetadata:\n  name: staging\n  namespace: flux-system\n",
    "hub/staging.yaml, Namespace/flux-system/staging",
    'error   /metadata/namespace: Namespace is cluster-scoped, so metadata.namespace "flux-system" has no effect: remove it.',
  ],
  [
    "a namespaced object Flux applies without a namespace and without targetNamespace",
    "hub/staging.yaml",
    "  name: tenants\n  namespace: staging\n",
    "  name: tenants\n",
    "hub/staging.yaml, Kustomization/tenants",
    "error   /metadata/namespace: Kustomization is namespaced but sets no metadata.namespace and the Flux Kustomization applying it sets no targetNamespace",
  ],
];

const fixture = (name: string) => readFile(new URL(`./fixtures/shipped-crd-unevaluable-rule/${name}`, import.meta.url), "utf8");

describe("flux-fleet validate: CEL rules, shipped CRDs and the API server's semantics", () => {
  let generated: string;
  beforeAll(async () => {
    generated = await createDefaultFleetRepo();
    expect((await runInProcess(["gen"], generated)).code).toBe(0);
    // Fills the kustomize build cache (.fleet/cache, keyed by content) that the hand-edited copies take along: each
    // of their validations then rebuilds only the directories its edit reaches.
    expect((await runInProcess(["validate"], generated)).code).toBe(0);
  });

  it("records the CRDs the cert-manager component ships, so the ClusterIssuers are checked, not skipped", async () => {
    const record = JSON.parse(await readFile(join(generated, "flux-fleet.generated.json"), "utf8")) as { crds: Record<string, string> };
    expect(record.crds["@flux-fleet/schemas/third-party-crds/cert-manager/v1.21.1/cert-manager.io_clusterissuers.yaml"]).toBe(
      "30008001b78aafb8e110af61359561104b5fafc3a4dc6ac0013245d0ee3fe4ca",
    );
    expect(Object.keys(record.crds)).toHaveLength(6);
    const result = await runInProcess(["validate", "--no-cache"], generated);
    expect(result.stdout).not.toMatch(/^skipped/m);
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe("0 errors, 3 warnings, 0 skipped");
  });

  it.each(HAND_EDITS)("fails on %s", async (_name, file, from, to, place, message) => {
    const root = await createDefaultFleetRepo();
    await cp(generated, root, { recursive: true, filter: (source) => !source.includes("node_modules") });
    const path = join(root, file);
    const before = await readFile(path, "utf8");
    const after = before.replace(from, to);
    expect(after).not.toBe(before);
    await writeFile(path, after);
    const result = await runInProcess(["validate"], root);
    const lines = result.stdout.split("\n");
    const at = lines.findIndex((line) => line.includes(place));
    expect(at, result.stdout).toBeGreaterThanOrEqual(0);
    expect(
      lines.slice(at + 1).find((line) => line.includes(message)),
      result.stdout,
    ).toBeDefined();
    expect(result.stdout).toMatch(/^[1-9]\d* errors?, \d+ warnings?, \d+ skipped$/m);
    expect(result.code).toBe(1);
  });

  it("reports a CRD rule the CEL library cannot evaluate as skipped in validate and as a warning in gen, never as passed", async () => {
    const root = await createFleetRepo({
      "fleet/fleet.ts": await fixture("fleet.ts"),
      "fleet/crds/widgets.example.com.yaml": await fixture("widgets.example.com.yaml"),
    });
    const generatedRun = await runInProcess(["gen"], root);
    expect(generatedRun.code, generatedRun.stdout + generatedRun.stderr).toBe(0);
    expect(generatedRun.stdout).toContain(
      `warning The Widget CRD's rule "isURL(self.url)" at /spec was not evaluated: it calls isURL(), which the CEL library flux-fleet uses (@bufbuild/cel) does not provide.`,
    );
    const valid = await runInProcess(["validate"], root);
    expect(valid.stdout).toContain('skipped CEL rule "isURL(self.url)" of example.com/v1 Widget at /spec');
    expect(valid.stdout.trimEnd().split("\n").at(-1)).toBe("0 errors, 0 warnings, 1 skipped");
    // The rule the library can evaluate still runs: a hand edit that breaks it fails.
    const path = join(root, "deploy/infra-configs/widgets.yaml");
    await writeFile(path, (await readFile(path, "utf8")).replace("size: 3", "size: 12"));
    const result = await runInProcess(["validate"], root);
    expect(result.stdout).toContain("error   /spec/size: spec.size: size must be at most 10");
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe("1 error, 0 warnings, 1 skipped");
    expect(result.code).toBe(1);
  });

  it("fails gen on a CEL violation in the fleet, before writing anything", async () => {
    const fleet = await fixture("fleet.ts");
    const root = await createFleetRepo({
      "fleet/fleet.ts": fleet,
      "fleet/crds/widgets.example.com.yaml": await fixture("widgets.example.com.yaml"),
    });
    expect((await runInProcess(["gen"], root)).code).toBe(0);
    await writeFile(join(root, "fleet/fleet.ts"), fleet.replace("size: 3", "size: 12"));
    const result = await runCli(["gen"], root);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toContain("error   /spec/size: spec.size: size must be at most 10");
    expect(await readFile(join(root, "deploy/infra-configs/widgets.yaml"), "utf8")).toContain("size: 3");
  });

  it("names the component and field when a shipped CRD file does not exist", async () => {
    const root = await createFleetRepo({ "fleet/fleet.ts": await fixture("fleet.ts") });
    const result = await runInProcess(["gen"], root);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toContain('component "widgets"');
    expect(result.stdout + result.stderr).toContain('crds: The CRD file "./fleet/crds/widgets.example.com.yaml" does not exist.');
  });
});
