import { describe, expect, it } from "vitest";
import {
  SERVED_FLUX_API_VERSIONS,
  createClusterRoleBinding,
  createFluxKustomization,
  createHelmRelease,
  createNamespace,
  createOciHelmRepository,
  toPlainObject,
  createRoleBinding,
  gitRepositoryRef,
  validateModel,
} from "./index.ts";

describe("models", () => {
  it("creates objects at the API versions current Flux serves", () => {
    const release = createHelmRelease({
      name: "podinfo",
      spec: { interval: "50m", chart: { spec: { chart: "podinfo", sourceRef: { kind: "HelmRepository", name: "podinfo" } } } },
    });
    const repository = createOciHelmRepository({ name: "podinfo", interval: "12h", url: "oci://ghcr.io/stefanprodan/charts" });
    const kustomization = createFluxKustomization({
      name: "apps",
      namespace: "staging",
      spec: { interval: "1h", prune: true, path: "./clusters/staging/apps", sourceRef: gitRepositoryRef("flux-system", "flux-system") },
    });
    expect(toPlainObject(release).apiVersion).toBe(SERVED_FLUX_API_VERSIONS.HelmRelease);
    expect(toPlainObject(repository)).toEqual({
      apiVersion: "source.toolkit.fluxcd.io/v1",
      kind: "HelmRepository",
      metadata: { name: "podinfo" },
      spec: { interval: "12h", type: "oci", url: "oci://ghcr.io/stefanprodan/charts" },
    });
    expect(toPlainObject(kustomization).apiVersion).toBe("kustomize.toolkit.fluxcd.io/v1");
    expect([release, repository, kustomization].flatMap(validateModel)).toEqual([]);
  });

  it("omits empty labels and keeps the binding subject", () => {
    expect(toPlainObject(createNamespace({ name: "podinfo", labels: {} }))).toEqual({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "podinfo" },
    });
    const binding = toPlainObject(
      createRoleBinding({
        name: "flux",
        namespace: "podinfo",
        clusterRole: "cluster-admin",
        subject: { name: "flux-restricted", namespace: "x" },
      }),
    );
    expect(binding["roleRef"]).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" });
    expect(binding["subjects"]).toEqual([{ kind: "ServiceAccount", name: "flux-restricted", namespace: "x" }]);
  });

  it("reports schema problems with their path instead of throwing", () => {
    const release = createHelmRelease({ name: "bad", spec: { interval: 5 as unknown as string } });
    expect(validateModel(release)).toEqual([{ path: "/spec/interval", message: "must be string" }]);
    const binding = createClusterRoleBinding({ name: "x", clusterRole: "cluster-admin", subject: { name: "a", namespace: "b" } });
    expect(validateModel(binding)).toEqual([]);
  });

  it("keeps a __proto__ key of free-form Helm values as data, where kubernetes-models' own copy drops it", () => {
    const values = JSON.parse('{"config": {"__proto__": {"mode": "a"}, "level": 1}}') as Record<string, unknown>;
    const release = createHelmRelease({ name: "x", spec: { interval: "1h", values, suspend: undefined } });
    expect(validateModel(release)).toEqual([]);
    expect(JSON.stringify(toPlainObject(release))).toBe(
      '{"apiVersion":"helm.toolkit.fluxcd.io/v2","kind":"HelmRelease","metadata":{"name":"x"},"spec":{"interval":"1h","values":{"config":{"__proto__":{"mode":"a"},"level":1}}}}',
    );
  });
});
