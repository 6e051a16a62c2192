import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createDefaultFleetRepo, readTree, runInProcess } from "./helpers.ts";

/** The default fleet with production's overrides replaced by `overrides` (TypeScript source). */
async function productionWith(overrides: string): Promise<string> {
  const root = await createDefaultFleetRepo();
  const path = join(root, "fleet/clusters.ts");
  const clusters = await readFile(path, "utf8");
  const start = clusters.indexOf("overrides: {", clusters.indexOf('name: "production"'));
  const end = clusters.indexOf("\n  },\n", start) + "\n  },".length;
  const { writeFile } = await import("node:fs/promises");
  await writeFile(path, `${clusters.slice(0, start)}overrides: ${overrides},${clusters.slice(end + 1)}`);
  return root;
}

describe("gen checks each cluster's merged Helm values against the chart's values schema", () => {
  it.each([
    [
      "a misspelt ingress-nginx key",
      `{ "ingress-nginx": { version: ">=4.10.0", values: { controler: { replicaCount: 2 } } } }`,
      '  error   overrides.ingress-nginx.values.controler: Unknown key "controler" in ingress-nginx 4.15.1\'s values (did you mean "controller"?): the chart does not read it; rename it.',
    ],
    [
      "a string where cert-manager's schema wants a boolean",
      `{ "cert-manager": { values: { crds: { enabled: "yes" } } } }`,
      '  error   overrides.cert-manager.values.crds.enabled: "yes" is not a boolean, as cert-manager v1.21.1\'s value crds.enabled must be.',
    ],
    [
      "a Service type Kubernetes does not know (inferred schema)",
      `{ "ingress-nginx": { version: ">=4.10.0", values: { controller: { service: { type: "Nodeport" } } } } }`,
      '  error   overrides.ingress-nginx.values.controller.service.type: "Nodeport" is not allowed for ingress-nginx 4.15.1\'s value controller.service.type: use one of "ClusterIP", "NodePort", "LoadBalancer", "ExternalName".',
    ],
    [
      "a misspelt podinfo key",
      `{ podinfo: { host: "podinfo.production", values: { replicaCunt: 2 } } }`,
      '  error   overrides.podinfo.values.replicaCunt: Unknown key "replicaCunt" in podinfo 6.14.1\'s values (did you mean "replicaCount"?): the chart does not read it; rename it.',
    ],
  ])("refuses %s on production, naming the fleet file and line, and writes nothing", async (_what, overrides, expected) => {
    const component = /overrides\.([a-z-]+)\./.exec(expected)?.[1] ?? "";
    const root = await productionWith(overrides);
    const before = await readTree(root);
    const result = await runInProcess(["gen"], root);
    expect(result.code).toBe(1);
    // Grouped by object under the fleet file and line of the cluster that sets the value.
    const group = result.stderr.slice(result.stderr.indexOf(`fleet/clusters.ts:11, cluster "production", component "${component}"`));
    expect(group).toContain(`\n${expected}\n`);
    expect(result.stderr).toContain("Nothing was written.");
    expect(await readTree(root)).toEqual(before);
  });

  it('generates controller.service.type: "NodePort" and replicas through valuesFor', async () => {
    const root = await productionWith(
      `{ "ingress-nginx": { version: "4.15.1", replicas: 2, values: { controller: { service: { type: "NodePort" } } } } }`,
    );
    const result = await runInProcess(["gen"], root);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(await readFile(join(root, "clusters/production/infra-controllers/ingress-nginx-values.yaml"), "utf8")).toContain(
      "controller:\n      replicaCount: 2\n      service:\n        type: NodePort",
    );
  });

  it("warns when a chart version moves past the version its values schema describes, naming the refresh command", async () => {
    const root = await productionWith(`{ "ingress-nginx": { version: "4.16.0" } }`);
    const result = await runInProcess(["gen"], root);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'warning overrides.ingress-nginx.version: Chart ingress-nginx "4.16.0" is past the version its values schema describes (4.15.1), so values are checked against 4.15.1\'s schema: refresh it with "flux-fleet chart add https://kubernetes.github.io/ingress-nginx ingress-nginx --version 4.16.0" and point valuesSchema at the new module.',
    );
  });
});
