import { certManagerValuesSchema, ingressNginxValuesSchema, podinfoValuesSchema } from "@flux-fleet/charts";
import { defineHelmComponent, defineManifests } from "./components.ts";
import { defineClusterProfile } from "./cluster.ts";

/** The seed charts' values, typed from the schemas `@flux-fleet/charts` vendors at the versions the seed was tested with. */
export type { CertManagerValues, IngressNginxValues, PodinfoValues } from "@flux-fleet/charts";

/**
 * cert-manager from the Jetstack Helm repository, CRDs included (infra-controllers layer).
 *
 * @example
 * ```ts
 * defineClusterProfile({ name: "minimal", components: [certManager] });
 * ```
 */
export const certManager = defineHelmComponent({
  name: "cert-manager",
  layer: "infra-controllers",
  namespace: "cert-manager",
  repository: { url: "https://charts.jetstack.io", interval: "24h" },
  chart: { version: "1.x", interval: "12h" },
  interval: "30m",
  valuesSchema: certManagerValuesSchema,
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
export const ingressNginx = defineHelmComponent({
  name: "ingress-nginx",
  layer: "infra-controllers",
  namespace: "ingress-nginx",
  repository: { url: "https://kubernetes.github.io/ingress-nginx", interval: "24h" },
  chart: { version: "*", interval: "12h" },
  interval: "30m",
  valuesSchema: ingressNginxValuesSchema,
  // The upstream example puts admissionWebhooks at the top level, where the chart does not read it: it belongs under controller.
  values: { controller: { service: { type: "NodePort" }, admissionWebhooks: { enabled: false } } },
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
export const podinfo = defineHelmComponent({
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
  valuesSchema: podinfoValuesSchema,
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
