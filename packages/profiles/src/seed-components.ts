import { defineHelmComponent, defineManifests } from "./components.ts";
import { defineClusterProfile } from "./cluster.ts";

interface IngressPath {
  path: string;
  pathType: "Exact" | "Prefix" | "ImplementationSpecific";
}

/** The podinfo chart values the fleet sets (https://github.com/stefanprodan/podinfo, charts/podinfo). */
export interface PodinfoValues {
  replicaCount?: number;
  ingress?: {
    enabled?: boolean;
    className?: string;
    hosts?: Array<{ host: string; paths: IngressPath[] }>;
  };
  [key: string]: unknown;
}

/** The ingress-nginx chart values the fleet sets. */
export interface IngressNginxValues {
  controller?: {
    replicaCount?: number;
    service?: { type?: "ClusterIP" | "NodePort" | "LoadBalancer" };
    [key: string]: unknown;
  };
  admissionWebhooks?: { enabled?: boolean };
  [key: string]: unknown;
}

/** The cert-manager chart values the fleet sets. */
export interface CertManagerValues {
  crds?: { enabled?: boolean; keep?: boolean };
  replicaCount?: number;
  [key: string]: unknown;
}

/**
 * cert-manager from the Jetstack Helm repository, CRDs included (infra-controllers layer).
 *
 * @example
 * ```ts
 * defineClusterProfile({ name: "minimal", components: [certManager] });
 * ```
 */
export const certManager = defineHelmComponent<"cert-manager", CertManagerValues>({
  name: "cert-manager",
  layer: "infra-controllers",
  namespace: "cert-manager",
  repository: { url: "https://charts.jetstack.io", interval: "24h" },
  chart: { version: "1.x", interval: "12h" },
  interval: "30m",
  values: { crds: { enabled: true } },
  valuesFor: { replicas: (replicaCount) => ({ replicaCount }) },
  // The chart installs these CRDs; their vendored copies let validate check ClusterIssuers and the like.
  crds: [
    "acme.cert-manager.io_challenges.yaml",
    "acme.cert-manager.io_orders.yaml",
    "cert-manager.io_certificaterequests.yaml",
    "cert-manager.io_certificates.yaml",
    "cert-manager.io_clusterissuers.yaml",
    "cert-manager.io_issuers.yaml",
  ].map((file) => `@flux-fleet/schemas/third-party-crds/cert-manager/v1.21.1/${file}`),
});

/**
 * ingress-nginx, exposed through a NodePort service as on kind (infra-controllers layer).
 *
 * @example
 * ```ts
 * defineCluster({ name: "production", profile: seedProfile, overrides: { "ingress-nginx": { version: ">=4.10.0", replicas: 2 } } });
 * ```
 */
export const ingressNginx = defineHelmComponent<"ingress-nginx", IngressNginxValues>({
  name: "ingress-nginx",
  layer: "infra-controllers",
  namespace: "ingress-nginx",
  repository: { url: "https://kubernetes.github.io/ingress-nginx", interval: "24h" },
  chart: { version: "*", interval: "12h" },
  interval: "30m",
  values: { controller: { service: { type: "NodePort" } }, admissionWebhooks: { enabled: false } },
  valuesFor: { replicas: (replicaCount) => ({ controller: { replicaCount } }) },
});

/**
 * The `letsencrypt` ClusterIssuer (ACME staging, HTTP-01 through the nginx ingress class), in
 * `deploy/infra-configs/cluster-issuers.yaml`.
 *
 * @example
 * ```ts
 * defineCluster({
 *   name: "staging",
 *   profile: seedProfile,
 *   overrides: { "cluster-issuers": { patches: [{ target: { kind: "ClusterIssuer", name: "letsencrypt" }, patch: { spec: { acme: { email: "ops@example.com" } } } }] } },
 * });
 * ```
 */
export const clusterIssuers = defineManifests({
  name: "cluster-issuers",
  layer: "infra-configs",
  objects: [
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
  ],
});

/**
 * podinfo from its OCI Helm repository, with drift detection (replicas ignored) and install remediation
 * (apps layer).
 *
 * @example
 * ```ts
 * defineCluster({ name: "staging", profile: seedProfile, overrides: { podinfo: { host: "podinfo.staging", test: false } } });
 * ```
 */
export const podinfo = defineHelmComponent<"podinfo", PodinfoValues>({
  name: "podinfo",
  layer: "apps",
  namespace: "podinfo",
  repository: { type: "oci", url: "oci://ghcr.io/stefanprodan/charts", interval: "12h" },
  chart: {},
  interval: "50m",
  spec: {
    driftDetection: { mode: "enabled", ignore: [{ paths: ["/spec/replicas"], target: { kind: "Deployment" } }] },
    install: { remediation: { retries: 3 } },
  },
  values: { ingress: { enabled: true, className: "nginx" } },
  valuesFor: {
    replicas: (replicaCount) => ({ replicaCount }),
    host: (host) => ({ ingress: { hosts: [{ host, paths: [{ path: "/", pathType: "ImplementationSpecific" }] }] } }),
  },
});

/**
 * The seed's cluster profile: cert-manager and ingress-nginx, the letsencrypt ClusterIssuer, podinfo.
 *
 * @example
 * ```ts
 * defineCluster({ name: "staging", profile: seedProfile });
 * ```
 */
export const seedProfile = defineClusterProfile({
  name: "seed",
  components: [certManager, ingressNginx, clusterIssuers, podinfo],
});
