import { Ajv } from "ajv";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createSchemaValidator } from "./validator.ts";

const validator = createSchemaValidator();

const helmRelease = {
  apiVersion: "helm.toolkit.fluxcd.io/v2",
  kind: "HelmRelease",
  metadata: { name: "podinfo", namespace: "apps", labels: { "app.kubernetes.io/name": "podinfo" } },
  spec: {
    interval: "10m",
    chart: {
      spec: { chart: "podinfo", version: "6.x", sourceRef: { kind: "HelmRepository", name: "podinfo" } },
    },
    install: { remediation: { retries: 3 } },
    values: { replicaCount: 2, ingress: { enabled: true, hosts: [{ host: "podinfo.example.com" }] }, anything: null },
  },
};

const kustomization = {
  apiVersion: "kustomize.toolkit.fluxcd.io/v1",
  kind: "Kustomization",
  metadata: { name: "apps", namespace: "flux-system" },
  spec: {
    interval: "10m",
    path: "./deploy/apps",
    prune: true,
    sourceRef: { kind: "GitRepository", name: "flux-system" },
    dependsOn: [{ name: "infra-controllers" }],
  },
};

const ociHelmRepository = {
  apiVersion: "source.toolkit.fluxcd.io/v1",
  kind: "HelmRepository",
  metadata: { name: "podinfo", namespace: "apps" },
  spec: { type: "oci", interval: "1h", url: "oci://ghcr.io/stefanprodan/charts" },
};

const namespace = {
  apiVersion: "v1",
  kind: "Namespace",
  metadata: { name: "apps", labels: { "toolkit.fluxcd.io/tenant": "apps" } },
};

const roleBinding = {
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "RoleBinding",
  metadata: { name: "flux-apps", namespace: "apps" },
  roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "admin" },
  subjects: [{ kind: "ServiceAccount", name: "flux", namespace: "apps" }],
};

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "apps" },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: "web" } },
    strategy: { rollingUpdate: { maxUnavailable: "25%", maxSurge: 1 } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: {
        containers: [
          {
            name: "web",
            image: "nginx:1.29",
            ports: [{ containerPort: 80 }],
            resources: { limits: { cpu: 1, memory: "256Mi" }, requests: { cpu: "100m" } },
          },
        ],
      },
    },
  },
};

const sopsSecret = {
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name: "registry", namespace: "apps" },
  type: "Opaque",
  data: { password: "ENC[AES256_GCM,data:Tr7o1Xw=,iv:1=,tag:2=,type:str]" },
  stringData: { username: "ENC[AES256_GCM,data:Zm9v,iv:3=,tag:4=,type:str]" },
  sops: {
    age: [{ recipient: "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p", enc: "-----BEGIN AGE ENCRYPTED FILE-----" }],
    lastmodified: "2026-11-01T10:00:00Z",
    mac: "ENC[AES256_GCM,data:abc=,iv:5=,tag:6=,type:str]",
    encrypted_regex: "^(data|stringData)$",
    version: "3.9.0",
  },
};

const plainSecret = {
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name: "token", namespace: "apps" },
  type: "Opaque",
  data: { token: "c2VjcmV0" },
};

describe("createSchemaValidator", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([
    ["HelmRelease with arbitrary spec.values", helmRelease],
    ["Kustomization", kustomization],
    ["OCI HelmRepository", ociHelmRepository],
    ["Namespace", namespace],
    ["RoleBinding", roleBinding],
    ["Deployment with a numeric CPU quantity and int-or-string rollout", deployment],
    ["SOPS-encrypted Secret", sopsSecret],
    ["plain Secret", plainSecret],
    ["ServiceAccount", { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "flux", namespace: "apps" } }],
    [
      "ClusterRoleBinding",
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name: "flux" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
        subjects: [{ kind: "ServiceAccount", name: "flux", namespace: "flux-system" }],
      },
    ],
    [
      "Service with a named targetPort",
      {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "web", namespace: "apps" },
        spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort: "http" }] },
      },
    ],
  ])("accepts a valid %s", (_name, doc) => {
    expect(validator.validate(doc)).toEqual({ status: "valid" });
  });

  it.each([
    [
      "an unknown field in spec",
      { ...kustomization, spec: { ...kustomization.spec, intervall: "5m" } },
      [{ path: "/spec/intervall", message: 'unknown field "spec.intervall"' }],
    ],
    [
      "a value of the wrong type",
      { ...kustomization, spec: { ...kustomization.spec, interval: 5 } },
      [{ path: "/spec/interval", message: "spec.interval: must be a string, got 5" }],
    ],
    [
      "an unknown field in the metadata of a Flux object",
      { ...helmRelease, metadata: { ...helmRelease.metadata, lables: { a: "b" } } },
      [{ path: "/metadata/lables", message: 'unknown field "metadata.lables"' }],
    ],
    [
      "an unknown field in the metadata of a built-in object",
      { ...namespace, metadata: { name: "apps", annotation: { a: "b" } } },
      [{ path: "/metadata/annotation", message: 'unknown field "metadata.annotation"' }],
    ],
    [
      "a label value that is not a string",
      { ...namespace, metadata: { name: "apps", labels: { "example.com/managed": true } } },
      [
        {
          path: "/metadata/labels/example.com~1managed",
          message: 'metadata.labels["example.com/managed"]: must be a string, got true',
        },
      ],
    ],
    [
      "an unknown field deep inside a Flux spec",
      {
        ...helmRelease,
        spec: {
          ...helmRelease.spec,
          chart: { spec: { chart: "podinfo", sourceRef: { kind: "HelmRepository", name: "podinfo", namespce: "x" } } },
        },
      },
      [{ path: "/spec/chart/spec/sourceRef/namespce", message: 'unknown field "spec.chart.spec.sourceRef.namespce"' }],
    ],
    [
      "a value outside an enum",
      { ...ociHelmRepository, spec: { ...ociHelmRepository.spec, type: "OCI" } },
      [{ path: "/spec/type", message: 'spec.type: must be one of "default", "oci", got "OCI"' }],
    ],
    [
      "a value that does not match a pattern",
      { ...kustomization, spec: { ...kustomization.spec, interval: "10 minutes" } },
      [
        {
          path: "/spec/interval",
          message: 'spec.interval: "10 minutes" does not match the pattern ^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$',
        },
      ],
    ],
    [
      "a plain Secret with an unknown field",
      { ...plainSecret, strinData: { token: "secret" } },
      [{ path: "/strinData", message: 'unknown field "strinData"' }],
    ],
    [
      "a plain Secret whose data is not base64",
      { ...plainSecret, data: { token: "secret!" } },
      [{ path: "/data/token", message: 'data.token: must be base64-encoded, got "secret!"' }],
    ],
    [
      "a SOPS-encrypted Secret with an unknown field",
      { ...sopsSecret, strinData: { a: "ENC[AES256_GCM,data:Zm9v,iv:3=,tag:4=,type:str]" } },
      [{ path: "/strinData", message: 'unknown field "strinData"' }],
    ],
    [
      "a sops field on an object that is not encrypted",
      { ...plainSecret, sops: { version: "3.9.0" } },
      [{ path: "/sops", message: 'unknown field "sops"' }],
    ],
    [
      "a missing required field",
      { ...roleBinding, roleRef: undefined },
      [{ path: "/roleRef", message: 'missing required field "roleRef"' }],
    ],
    [
      "an unknown field in a container",
      {
        ...deployment,
        spec: {
          ...deployment.spec,
          template: { spec: { containers: [{ name: "web", imagee: "nginx" }] } },
        },
      },
      [
        {
          path: "/spec/template/spec/containers/0/imagee",
          message: 'unknown field "spec.template.spec.containers[0].imagee"',
        },
      ],
    ],
    [
      "an int-or-string field holding a boolean",
      {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "web" },
        spec: { ports: [{ port: 80, targetPort: true }] },
      },
      [{ path: "/spec/ports/0/targetPort", message: "spec.ports[0].targetPort: must be an integer or a string, got true" }],
    ],
  ])("rejects %s", (_name, doc, problems) => {
    // JSON round trip: `roleRef: undefined` means the field is absent, as in parsed YAML.
    expect(validator.validate(JSON.parse(JSON.stringify(doc)))).toEqual({ status: "invalid", problems });
  });

  it("reports every problem of an object, not only the first", () => {
    const doc = { ...kustomization, spec: { ...kustomization.spec, interval: 5, prune: "yes", intervall: "1m" } };
    const result = validator.validate(doc);
    expect(result.status === "invalid" ? result.problems.map((p) => p.path).sort() : result).toEqual([
      "/spec/interval",
      "/spec/intervall",
      "/spec/prune",
    ]);
  });

  it.each([
    ["helm.toolkit.fluxcd.io/v2beta2", "HelmRelease", "removed in Flux 2.8", "helm.toolkit.fluxcd.io/v2"],
    ["helm.toolkit.fluxcd.io/v2beta1", "HelmRelease", "removed in Flux 2.7", "helm.toolkit.fluxcd.io/v2"],
    ["kustomize.toolkit.fluxcd.io/v1beta2", "Kustomization", "removed in Flux 2.8", "kustomize.toolkit.fluxcd.io/v1"],
    ["source.toolkit.fluxcd.io/v1beta2", "GitRepository", "removed in Flux 2.8", "source.toolkit.fluxcd.io/v1"],
    ["source.toolkit.fluxcd.io/v1beta2", "OCIRepository", "removed in Flux 2.8", "source.toolkit.fluxcd.io/v1"],
    ["source.toolkit.fluxcd.io/v1beta1", "HelmRepository", "removed in Flux 2.7", "source.toolkit.fluxcd.io/v1"],
    ["notification.toolkit.fluxcd.io/v1beta2", "Alert", "removed in Flux 2.9", "notification.toolkit.fluxcd.io/v1beta3"],
    ["notification.toolkit.fluxcd.io/v1beta2", "Receiver", "removed in Flux 2.9", "notification.toolkit.fluxcd.io/v1"],
  ])("rejects %s %s, no longer served, naming its replacement", (apiVersion, kind, removed, replacement) => {
    expect(validator.validate({ apiVersion, kind, metadata: { name: "x" }, spec: {} })).toEqual({
      status: "invalid",
      problems: [{ path: "/apiVersion", message: `${apiVersion} is no longer served by Flux (${removed}): use ${replacement}` }],
    });
  });

  it("names the replacement of a removed apiVersion whose removal release is not in the table", () => {
    const doc = { apiVersion: "image.toolkit.fluxcd.io/v1beta2", kind: "ImagePolicy", metadata: { name: "x" } };
    expect(validator.validate(doc)).toEqual({
      status: "invalid",
      problems: [
        {
          path: "/apiVersion",
          message: "image.toolkit.fluxcd.io/v1beta2 is no longer served by Flux: use image.toolkit.fluxcd.io/v1",
        },
      ],
    });
  });

  it.each([
    [
      { apiVersion: "helm.toolkit.fluxcd.io/v3", kind: "HelmRelease" },
      "/apiVersion",
      "helm.toolkit.fluxcd.io/v3 is not an API version of HelmRelease that Flux serves: use helm.toolkit.fluxcd.io/v2",
    ],
    [
      { apiVersion: "helm.toolkit.fluxcd.io/v2", kind: "Helmrelease" },
      "/kind",
      'Flux serves no kind "Helmrelease" in helm.toolkit.fluxcd.io: use HelmRelease',
    ],
    [{ kind: "Namespace" }, "/apiVersion", 'missing required field "apiVersion"'],
    [{ apiVersion: "v1" }, "/kind", 'missing required field "kind"'],
    ["kind: Namespace", "", 'a Kubernetes object must be a mapping, got "kind: Namespace"'],
  ])("rejects %j without looking for a schema", (doc, path, message) => {
    expect(validator.validate(doc)).toEqual({ status: "invalid", problems: [{ path, message }] });
  });

  it.each([
    ["cert-manager.io/v1", "ClusterIssuer"],
    ["v1", "Pod"],
    ["monitoring.coreos.com/v1", "ServiceMonitor"],
  ])("skips %s %s, which has no vendored schema, and says why", (apiVersion, kind) => {
    expect(validator.validate({ apiVersion, kind, metadata: { name: "x" }, spec: { anything: 1 } })).toEqual({
      status: "skipped",
      reason: `no schema for ${apiVersion} ${kind}: only the Flux CRDs, common built-in Kubernetes kinds and the CRDs a fleet ships are known`,
    });
  });

  it("compiles each apiVersion and kind once, on first use, when it does not use the precompiled validators", () => {
    const compile = vi.spyOn(Ajv.prototype, "compile");
    const fresh = createSchemaValidator({ precompiled: false });
    expect(compile).not.toHaveBeenCalled();
    for (const doc of [helmRelease, namespace, helmRelease, namespace, { ...helmRelease, spec: { interval: 1 } }]) {
      fresh.validate(doc);
    }
    expect(compile).toHaveBeenCalledTimes(2);
  });

  it("does not change the object it validates", () => {
    const doc = structuredClone(sopsSecret);
    validator.validate(doc);
    expect(doc).toEqual(sopsSecret);
  });
});
