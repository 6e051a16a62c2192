// The floor of `pnpm bench`: the objects of the seed layout for FLEET_SIZE spokes (customised like
// bench-fleet.ts, per FLEET_SHAPE) built as plain object literals and written with yaml.stringify into the same files gen
// writes, with nothing else: no fleet loading, no checks, no validation, no ownership record.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { stringify } from "yaml";

const [outDir] = process.argv.slice(2);
if (!outDir) throw new Error("usage: node floor.ts OUT_DIR");
const size = Number(process.env["FLEET_SIZE"] ?? "10");
const shape = process.env["FLEET_SHAPE"] ?? "realistic";
const files = new Map<string, object[]>();
const kustomization = (resources: string[], extra: object = {}) => ({
  apiVersion: "kustomize.config.k8s.io/v1beta1",
  kind: "Kustomization",
  resources,
  ...extra,
});
const tenantLabel = (team: string) => ({ "toolkit.fluxcd.io/tenant": team });
const helmRepository = (name: string, spec: object) => ({
  apiVersion: "source.toolkit.fluxcd.io/v1",
  kind: "HelmRepository",
  metadata: { name },
  spec,
});
const helmRelease = (name: string, spec: object) => ({
  apiVersion: "helm.toolkit.fluxcd.io/v2",
  kind: "HelmRelease",
  metadata: { name },
  spec,
});

files.set("deploy/tenants/kustomization.yaml", [kustomization(["flux.yaml", "cert-manager.yaml", "ingress-nginx.yaml", "podinfo.yaml"])]);
files.set("deploy/tenants/flux.yaml", [
  { apiVersion: "v1", kind: "Namespace", metadata: { name: "${CLUSTER_NAME}", labels: tenantLabel("sre-team") } },
  {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: "flux-restricted", namespace: "${CLUSTER_NAME}", labels: tenantLabel("sre-team") },
  },
  {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: "flux-cluster-admin", namespace: "${CLUSTER_NAME}", labels: tenantLabel("sre-team") },
  },
  {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: "flux-cluster-admin", labels: tenantLabel("sre-team") },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
    subjects: [{ kind: "ServiceAccount", name: "flux-cluster-admin", namespace: "${CLUSTER_NAME}" }],
  },
]);
for (const namespace of ["cert-manager", "ingress-nginx"])
  files.set(`deploy/tenants/${namespace}.yaml`, [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace, labels: tenantLabel("sre-team") } },
  ]);
files.set("deploy/tenants/podinfo.yaml", [
  { apiVersion: "v1", kind: "Namespace", metadata: { name: "podinfo", labels: tenantLabel("dev-team") } },
  {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: "flux", namespace: "podinfo", labels: tenantLabel("dev-team") },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
    subjects: [{ kind: "ServiceAccount", name: "flux-restricted", namespace: "${CLUSTER_NAME}" }],
  },
]);
const chart = (name: string, version: string) => ({
  spec: { chart: name, version, sourceRef: { kind: "HelmRepository", name }, interval: "12h" },
});
files.set("deploy/infra-controllers/kustomization.yaml", [kustomization(["cert-manager.yaml", "ingress-nginx.yaml"])]);
files.set("deploy/infra-controllers/cert-manager.yaml", [
  helmRepository("cert-manager", { interval: "24h", url: "https://charts.jetstack.io" }),
  helmRelease("cert-manager", {
    targetNamespace: "cert-manager",
    storageNamespace: "cert-manager",
    releaseName: "cert-manager",
    interval: "30m",
    chart: chart("cert-manager", "1.x"),
    values: { crds: { enabled: true } },
  }),
]);
files.set("deploy/infra-controllers/ingress-nginx.yaml", [
  helmRepository("ingress-nginx", { interval: "24h", url: "https://kubernetes.github.io/ingress-nginx" }),
  helmRelease("ingress-nginx", {
    targetNamespace: "ingress-nginx",
    storageNamespace: "ingress-nginx",
    releaseName: "ingress-nginx",
    interval: "30m",
    chart: chart("ingress-nginx", "*"),
    values: { controller: { service: { type: "NodePort" }, admissionWebhooks: { enabled: false } } },
  }),
]);
files.set("deploy/infra-configs/kustomization.yaml", [kustomization(["cluster-issuers.yaml"])]);
files.set("deploy/infra-configs/cluster-issuers.yaml", [
  {
    apiVersion: "cert-manager.io/v1",
    kind: "ClusterIssuer",
    metadata: { name: "letsencrypt" },
    spec: {
      acme: {
        email: "fluxcdbot@users.noreply.github.com",
        server: "https://acme-staging-v02.api.letsencrypt.org/directory",
        privateKeySecretRef: { name: "letsencrypt-nginx" },
        solvers: [{ http01: { ingress: { class: "nginx" } } }],
      },
    },
  },
]);
files.set("deploy/apps/kustomization.yaml", [kustomization(["podinfo.yaml"])]);
files.set("deploy/apps/podinfo.yaml", [
  helmRepository("podinfo", { interval: "12h", type: "oci", url: "oci://ghcr.io/stefanprodan/charts" }),
  helmRelease("podinfo", {
    targetNamespace: "podinfo",
    storageNamespace: "podinfo",
    releaseName: "podinfo",
    interval: "50m",
    chart: { spec: { chart: "podinfo", sourceRef: { kind: "HelmRepository", name: "podinfo" } } },
    driftDetection: { mode: "enabled", ignore: [{ paths: ["/spec/replicas"], target: { kind: "Deployment" } }] },
    install: { remediation: { retries: 3 } },
    values: { ingress: { enabled: true, className: "nginx" } },
  }),
]);

const identityPatch = (account: string) =>
  stringify([
    { op: "add", path: "/spec/kubeConfig", value: { secretRef: { name: "cluster-kubeconfig" } } },
    { op: "add", path: "/spec/serviceAccountName", value: account },
  ]);
interface SpokeShape {
  production: boolean;
  ingress?: { version?: string; replicas?: number };
  podinfo?: { version?: string; host?: string; test?: boolean; replicas?: number };
}
// The same per-spoke settings as bench-fleet.ts's FLEET_SHAPE.
function spokeShape(i: number, name: string): SpokeShape {
  if (shape === "uniform") {
    if (i % 10 !== 0) return { production: false };
    return { production: false, ingress: { replicas: 3 }, podinfo: { host: `podinfo.${name}`, replicas: 2 } };
  }
  const production = i % 2 === 0;
  const replicas = i % 10 === 0 ? 3 : production ? 2 : undefined;
  return {
    production,
    ...(production || replicas !== undefined
      ? { ingress: { ...(production ? { version: ">=4.10.0" } : {}), ...(replicas !== undefined ? { replicas } : {}) } }
      : {}),
    podinfo: { version: production ? ">=1.0.0" : ">=1.0.0-alpha", host: `podinfo.${name}`, test: false },
  };
}
const versionPatch = (version: string | undefined) => (version === undefined ? {} : { chart: { spec: { version } } });
for (let i = 0; i < size; i++) {
  const name = `spoke-${String(i).padStart(4, "0")}`;
  const spoke = spokeShape(i, name);
  for (const layer of ["tenants", "infra-controllers", "infra-configs", "apps"]) {
    const patches: object[] = [];
    if (spoke.ingress && layer === "infra-controllers") {
      const { version, replicas } = spoke.ingress;
      files.set(`clusters/${name}/${layer}/ingress-nginx-values.yaml`, [
        helmRelease("ingress-nginx", {
          ...versionPatch(version),
          ...(replicas === undefined ? {} : { values: { controller: { replicaCount: replicas } } }),
        }),
      ]);
      patches.push({ path: "ingress-nginx-values.yaml", target: { kind: "HelmRelease", name: "ingress-nginx" } });
    }
    if (spoke.podinfo && layer === "apps") {
      const { version, host, test, replicas } = spoke.podinfo;
      const hosts =
        host === undefined ? {} : { ingress: { hosts: [{ host, paths: [{ path: "/", pathType: "ImplementationSpecific" }] }] } };
      files.set(`clusters/${name}/${layer}/podinfo-values.yaml`, [
        helmRelease("podinfo", {
          ...versionPatch(version),
          ...(test === undefined ? {} : { test: { enable: test } }),
          values: { ...hosts, ...(replicas === undefined ? {} : { replicaCount: replicas }) },
        }),
      ]);
      patches.push({ path: "podinfo-values.yaml", target: { kind: "HelmRelease", name: "podinfo" } });
    }
    files.set(`clusters/${name}/${layer}/kustomization.yaml`, [
      kustomization([`../../../deploy/${layer}`], patches.length > 0 ? { patches } : {}),
    ]);
  }
  const common = { interval: "1h", retryInterval: "3m", timeout: "5m", prune: true, wait: true };
  const source = { kind: "GitRepository", name: "flux-system", namespace: "flux-system" };
  const kubeConfig = { secretRef: { name: "cluster-kubeconfig" } };
  const fluxKustomization = (layer: string, spec: object) => ({
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: { name: layer, namespace: name },
    spec,
  });
  files.set(`hub/${name}.yaml`, [
    { apiVersion: "v1", kind: "Namespace", metadata: { name } },
    fluxKustomization("tenants", {
      ...common,
      path: `./clusters/${name}/tenants`,
      sourceRef: source,
      kubeConfig,
      postBuild: { substitute: { CLUSTER_NAME: name } },
    }),
    fluxKustomization("infra-controllers", {
      dependsOn: [{ name: "tenants" }],
      targetNamespace: name,
      ...common,
      path: `./clusters/${name}/infra-controllers`,
      sourceRef: source,
      patches: [{ target: { kind: "HelmRelease" }, patch: identityPatch("flux-cluster-admin") }],
    }),
    fluxKustomization("infra-configs", {
      dependsOn: [{ name: "infra-controllers" }],
      targetNamespace: name,
      ...common,
      path: `./clusters/${name}/infra-configs`,
      sourceRef: source,
      kubeConfig,
    }),
    fluxKustomization("apps", {
      dependsOn: [{ name: "infra-configs" }],
      targetNamespace: name,
      ...common,
      path: `./clusters/${name}/apps`,
      sourceRef: source,
      patches: [{ target: { kind: "HelmRelease" }, patch: identityPatch("flux-restricted") }],
    }),
  ]);
}
const tuning = ["--concurrent=20", "--requeue-dependency=5s"].map((value) => ({
  op: "add",
  path: "/spec/template/spec/containers/0/args/-",
  value,
}));
files.set("hub/flux-system/kustomization.yaml", [
  kustomization(["gotk-components.yaml", "gotk-sync.yaml"], {
    labels: [{ pairs: tenantLabel("sre-team") }],
    patches: [
      { patch: stringify(tuning), target: { kind: "Deployment", name: "(kustomize-controller|helm-controller|source-controller)" } },
    ],
  }),
]);

const options = { lineWidth: 0, aliasDuplicateObjects: false } as const;
const dirs = new Set([...files.keys()].map((path) => dirname(join(outDir, path))));
await Promise.all([...dirs].map((dir) => mkdir(dir, { recursive: true })));
await Promise.all(
  [...files].map(([path, documents]) => writeFile(join(outDir, path), documents.map((doc) => stringify(doc, options)).join("---\n"))),
);
process.stdout.write(`${files.size}\n`);
