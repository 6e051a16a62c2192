import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { sha256Sums } from "../scripts/refresh-flux-crds.ts";
import { CRD_INDEX_FILES, serializeCrdIndex } from "./crd-catalog.ts";
import { kubernetesCatalog } from "./kubernetes-catalog.ts";

const crds = fileURLToPath(new URL("../crds/", import.meta.url));

describe("vendored schemas", () => {
  it("keeps the Flux CRDs unmodified: every file matches crds/SHA256SUMS", () => {
    const sums = readFileSync(`${crds}SHA256SUMS`, "utf8");
    const files = sums
      .trimEnd()
      .split("\n")
      .map((line) => line.slice(66));
    expect(files).toHaveLength(28);
    expect(sha256Sums(crds, files)).toBe(sums);
  });

  it.each([
    ["current", 15],
    ["legacy", 13],
    ["third-party", 6],
  ] as const)("keeps the JSON index of the %s CRDs equal to their YAML (run index-crds after changing them)", (set, count) => {
    const committed = readFileSync(CRD_INDEX_FILES[set], "utf8");
    expect(committed).toBe(serializeCrdIndex(set));
    expect((JSON.parse(committed) as { crds: unknown[] }).crds).toHaveLength(count);
  });

  it.each([
    ["v1", "Namespace"],
    ["v1", "ServiceAccount"],
    ["v1", "ConfigMap"],
    ["v1", "Secret"],
    ["v1", "Service"],
    ["rbac.authorization.k8s.io/v1", "Role"],
    ["rbac.authorization.k8s.io/v1", "RoleBinding"],
    ["rbac.authorization.k8s.io/v1", "ClusterRole"],
    ["rbac.authorization.k8s.io/v1", "ClusterRoleBinding"],
    ["apps/v1", "Deployment"],
  ])("has a Kubernetes schema and a scope for %s %s", (apiVersion, kind) => {
    const catalog = kubernetesCatalog();
    const entry = catalog.kinds.find((k) => k.apiVersion === apiVersion && k.kind === kind);
    expect(entry?.definition).toBeDefined();
    expect(catalog.definitions[entry?.definition ?? ""]).toMatchObject({ type: "object" });
    expect(catalog.scopes.filter((s) => s.apiVersion === apiVersion && s.kind === kind)).toHaveLength(1);
  });

  it("records where the Kubernetes schemas come from", () => {
    expect(kubernetesCatalog().source).toEqual({ package: "@kubernetes/client-node@2.0.1", openapiSpec: "release-1.36" });
  });
});
