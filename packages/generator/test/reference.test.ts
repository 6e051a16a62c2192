import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseYamlDocuments } from "@flux-fleet/validate";
import { kustomizeBuild } from "../../validate/src/read/kustomize.ts";
import { createDefaultFleetRepo, FIXTURES, runInProcess } from "./helpers.ts";

type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown> };

const REFERENCE = join(FIXTURES, "reference-seed");
const SERVED = new Map([
  ["helm.toolkit.fluxcd.io/v2beta2", "helm.toolkit.fluxcd.io/v2"],
  ["source.toolkit.fluxcd.io/v1beta2", "source.toolkit.fluxcd.io/v1"],
]);
const LAYERS = ["tenants", "infra-controllers", "infra-configs", "apps"];

function parse(text: string): KubeObject[] {
  const { documents, problems } = parseYamlDocuments(text);
  expect(problems).toEqual([]);
  return documents as KubeObject[];
}

function sortObjects(objects: KubeObject[]): KubeObject[] {
  const key = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
  return [...objects].sort((a, b) => key(a).localeCompare(key(b)));
}

/**
 * The reference's objects with the generated repository's intended differences applied: served API versions,
 * production's ingress-nginx customisation, and ingress-nginx's admissionWebhooks under `controller`, where the
 * chart reads it (the reference puts it at the top level, which the chart's values schema refuses).
 */
function expectedFromReference(objects: KubeObject[], cluster: string, layer: string): KubeObject[] {
  return objects.map((object) => {
    const updated = structuredClone({ ...object, apiVersion: SERVED.get(object.apiVersion) ?? object.apiVersion });
    if (layer === "infra-controllers" && object.kind === "HelmRelease" && object.metadata.name === "ingress-nginx") {
      const values = (updated.spec as { values: { controller: Record<string, unknown>; admissionWebhooks?: unknown } }).values;
      values.controller["admissionWebhooks"] = values.admissionWebhooks;
      delete values.admissionWebhooks;
    }
    if (
      cluster === "production" &&
      layer === "infra-controllers" &&
      object.kind === "HelmRelease" &&
      object.metadata.name === "ingress-nginx"
    ) {
      const spec = updated.spec as { chart: { spec: { version: string } }; values: { controller: Record<string, unknown> } };
      spec.chart.spec.version = ">=4.10.0";
      spec.values.controller["replicaCount"] = 2;
    }
    return updated;
  });
}

describe("the default fleet reproduces fluxcd/flux2-hub-spoke-example", () => {
  let root: string;
  beforeAll(async () => {
    root = await createDefaultFleetRepo();
    const result = await runInProcess(["gen"], root);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  const overlays = ["staging", "production"].flatMap((cluster) => LAYERS.map((layer) => [cluster, layer] as const));

  it.each(overlays)("clusters/%s/%s builds with kustomize to the reference's objects", async (cluster, layer) => {
    const [ours, theirs] = await Promise.all([
      kustomizeBuild(join(root, "clusters", cluster, layer)),
      kustomizeBuild(join(REFERENCE, "clusters", cluster, layer)),
    ]);
    const expected = sortObjects(expectedFromReference(parse(theirs), cluster, layer));
    expect(expected.length).toBeGreaterThan(0);
    expect(sortObjects(parse(ours))).toEqual(expected);
  });

  it.each(["staging", "production"])("hub/%s.yaml holds the reference's Namespace and Kustomizations", async (cluster) => {
    const [ours, theirs] = await Promise.all([
      readFile(join(root, "hub", `${cluster}.yaml`), "utf8"),
      readFile(join(REFERENCE, "hub", `${cluster}.yaml`), "utf8"),
    ]);
    expect(parse(ours)).toEqual(parse(theirs));
  });

  it("hub/flux-system/kustomization.yaml tunes the controllers and labels the tenant as the reference does", async () => {
    const [ours, theirs] = await Promise.all([
      readFile(join(root, "hub/flux-system/kustomization.yaml"), "utf8"),
      readFile(join(REFERENCE, "hub/flux-system/kustomization.yaml"), "utf8"),
    ]);
    expect(parse(ours)).toEqual(parse(theirs));
    await expect(kustomizeBuild(join(root, "hub/flux-system"))).resolves.toBe("");
  });

  it("creates the bootstrap placeholders that flux bootstrap overwrites", async () => {
    for (const file of ["gotk-components.yaml", "gotk-sync.yaml"]) {
      expect(await readFile(join(root, "hub/flux-system", file), "utf8")).toMatch(/^# .*flux bootstrap/);
    }
  });
});
