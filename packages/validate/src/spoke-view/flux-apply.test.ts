import { describe, expect, it } from "vitest";
import { applyFluxKustomization, applyJsonPatchOperation, matchesTarget } from "./flux-apply.ts";
import type { KubeDocument } from "./kube-document.ts";

const template = { spec: { containers: [{ name: "app", image: "podinfo:${TAG}" }] } };
const deployment = (name: string, labels?: Record<string, string>): KubeDocument => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace: "podinfo", ...(labels ? { labels } : {}) },
  spec: { replicas: 1, template: structuredClone(template) },
});
const issuer: KubeDocument = { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: "letsencrypt" }, spec: {} };
const quota: KubeDocument = { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "cache", namespace: "cache" }, spec: {} };

describe("matchesTarget", () => {
  it.each<[string, Parameters<typeof matchesTarget>[1], boolean]>([
    ["the kind and name", { kind: "Deployment", name: "web" }, true],
    ["a kind that is only a prefix (kustomize anchors the regex)", { kind: "Deploy" }, false],
    ["a name regex", { name: "w.*" }, true],
    ["the group and version", { group: "apps", version: "v1" }, true],
    ["another group", { group: "batch" }, false],
    ["the namespace", { namespace: "podinfo" }, true],
    ["a label selector it satisfies", { labelSelector: "tier=web" }, true],
    ["a label selector with one term it fails", { labelSelector: "tier=web,team=ops" }, false],
  ])("selects by %s", (_what, target, selected) => {
    expect(matchesTarget(deployment("web", { tier: "web" }), target)).toBe(selected);
  });

  it("matches the core group as the empty string", () => {
    expect(matchesTarget(quota, { group: "", version: "v1", kind: "ResourceQuota" })).toBe(true);
  });
});

describe("applyJsonPatchOperation", () => {
  it("adds, replaces and removes, in objects and lists, with escaped pointers", () => {
    const doc: Record<string, unknown> = { metadata: { annotations: {} }, spec: { args: ["a", "c"] } };
    expect(applyJsonPatchOperation(doc, { op: "add", path: "/metadata/annotations/example.com~1owner", value: "sre" })).toBeUndefined();
    expect(applyJsonPatchOperation(doc, { op: "add", path: "/spec/args/1", value: "b" })).toBeUndefined();
    expect(applyJsonPatchOperation(doc, { op: "add", path: "/spec/args/-", value: "d" })).toBeUndefined();
    expect(applyJsonPatchOperation(doc, { op: "replace", path: "/spec/args/0", value: "z" })).toBeUndefined();
    expect(applyJsonPatchOperation(doc, { op: "remove", path: "/spec/args/3" })).toBeUndefined();
    expect(doc).toEqual({ metadata: { annotations: { "example.com/owner": "sre" } }, spec: { args: ["z", "b", "c"] } });
  });

  it("reports an operation it cannot apply instead of guessing", () => {
    const doc = { spec: {} };
    expect(applyJsonPatchOperation(doc, { op: "add", path: "/status/ready", value: true })).toBe(
      "add /status/ready: the parent does not exist",
    );
    expect(applyJsonPatchOperation(doc, { op: "move", path: "/spec/x" })).toBe("unsupported JSON patch operation move");
    expect(applyJsonPatchOperation(doc, { op: "add", value: 1 })).toMatch(/^JSON patch operation without a path/);
  });
});

describe("applyFluxKustomization", () => {
  it("moves namespaced objects into targetNamespace and leaves cluster-scoped ones", () => {
    const { objects } = applyFluxKustomization([deployment("web"), issuer, quota], { targetNamespace: "staging" });
    expect(objects.map((doc) => `${doc.kind}/${doc.metadata.namespace ?? "-"}`)).toEqual([
      "Deployment/staging",
      "ClusterIssuer/-",
      // Declared for "cache", applied in "staging": the case the namespace check refuses.
      "ResourceQuota/staging",
    ]);
  });

  it("applies a JSON6902 patch to its targets only, and a strategic-merge patch to the object it names", () => {
    const { objects, patchProblems } = applyFluxKustomization([deployment("web"), deployment("api")], {
      patches: [
        { target: { kind: "Deployment", name: "web" }, patch: "- op: replace\n  path: /spec/replicas\n  value: 3\n" },
        { patch: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  paused: true\n" },
      ],
    });
    expect(patchProblems).toEqual([]);
    expect(objects.map((doc) => [doc.metadata.name, doc["spec"]])).toEqual([
      ["web", { replicas: 3, template }],
      ["api", { replicas: 1, paused: true, template }],
    ]);
  });

  it("never changes the build's objects, which other spokes share", () => {
    const built = [deployment("web")];
    const before = structuredClone(built);
    applyFluxKustomization(built, {
      targetNamespace: "staging",
      patches: [{ target: { kind: "Deployment" }, patch: "- op: replace\n  path: /spec/replicas\n  value: 3\n" }],
      commonMetadata: { labels: { team: "ops" } },
      postBuild: { substitute: { TAG: "6.14.1" } },
    });
    expect(built).toEqual(before);
  });

  it("reports a patch that is not one YAML document and a JSON6902 patch without a target", () => {
    const { patchProblems } = applyFluxKustomization([deployment("web")], {
      patches: [{ patch: "a: 1\n---\nb: 2\n" }, { patch: "- op: remove\n  path: /spec/replicas\n" }],
    });
    expect(patchProblems).toEqual(["a patch is not one YAML document", "a JSON6902 patch has no target"]);
  });

  it("sets commonMetadata over what the build gave", () => {
    const { objects } = applyFluxKustomization([deployment("web", { team: "dev", tier: "web" })], {
      commonMetadata: { labels: { team: "ops" }, annotations: { owner: "sre" } },
    });
    expect(objects[0]!.metadata).toMatchObject({ labels: { team: "ops", tier: "web" }, annotations: { owner: "sre" } });
  });

  it("substitutes postBuild variables and their defaults, and reports what strict substitution would refuse", () => {
    const doc: KubeDocument = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings", namespace: "apps" },
      data: { tag: "${TAG}", region: "${REGION:=eu}", zone: "${ZONE}" },
    };
    const { objects, unsubstituted } = applyFluxKustomization([doc], { postBuild: { substitute: { TAG: "6.14.1" } } });
    expect(objects[0]!["data"]).toEqual({ tag: "6.14.1", region: "eu", zone: "${ZONE}" });
    expect(unsubstituted).toEqual([{ object: "ConfigMap/apps/settings", variable: "ZONE" }]);
  });

  it("copies only the parts substitution changes: the rest stays the build's own value, and the build is never modified", () => {
    const shared = { replicas: 2, ports: [{ port: 80 }, { port: 443 }] };
    const doc: KubeDocument = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings", namespace: "apps" },
      data: JSON.parse('{"__proto__": "${TAG}", "plain": "x"}') as Record<string, unknown>,
      spec: shared,
      list: ["a", "${TAG}", "c", { deep: "${TAG}" }],
    };
    const before = structuredClone(doc);
    const { objects } = applyFluxKustomization([doc], { postBuild: { substitute: { TAG: "1.0" } } });
    const result = objects[0]!;
    expect(doc).toEqual(before);
    expect(result["spec"]).toBe(shared);
    expect(result.metadata).toBe(doc.metadata);
    expect(result["list"]).toEqual(["a", "1.0", "c", { deep: "1.0" }]);
    const data = result["data"] as Record<string, unknown>;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.keys(data)).toEqual(["__proto__", "plain"]);
    expect(data["__proto__"]).toBe("1.0");
    // Nothing to substitute (${TAG} has no value here, and stays): the very object the build gave.
    const untouched = applyFluxKustomization([doc], { postBuild: { substitute: { OTHER: "y" } } });
    expect(untouched.objects[0]).toBe(doc);
    expect(untouched.unsubstituted.map((u) => u.variable)).toEqual(["TAG"]);
  });

  it("leaves an object whose substitution is disabled as it is", () => {
    const doc = deployment("web");
    doc.metadata.annotations = { "kustomize.toolkit.fluxcd.io/substitute": "disabled" };
    const { objects, unsubstituted } = applyFluxKustomization([doc], { postBuild: { substitute: {} } });
    expect(objects[0]).toEqual(doc);
    expect(unsubstituted).toEqual([]);
  });
});
