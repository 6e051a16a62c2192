import {
  KUBECONFIG_SECRET_ACCESS_KEYS,
  WORKLOAD_IDENTITY_ACCESS_KEYS,
  WORKLOAD_IDENTITY_PROVIDERS,
  type Cluster,
  type Fleet,
} from "@flux-fleet/fleet";
import type { Issue, Where } from "@flux-fleet/validate";
import { locate, type RenderContext } from "../fleet/locate.ts";
import { checkDns1123Subdomain, describeValue } from "./rules.ts";
import { unknownKeyMessage } from "./unknown-keys.ts";

/**
 * Each spoke's `access`: a kubeconfig Secret name, or a workload identity with the fields its provider needs
 * (the keys kustomize- and helm-controller read from the ConfigMap: `generic` needs `address`; `aws`, `azure`
 * and `gcp` need `cluster` unless both `address` and `caCert` are given).
 *
 * @example
 * ```ts
 * const issues = checkAccess(fleet, { root, entry: "fleet/fleet.ts" });
 * ```
 */
export function checkAccess(fleet: Fleet, context: RenderContext): Issue[] {
  const issues: Issue[] = [];
  for (const cluster of fleet.clusters as readonly Cluster[]) {
    const where: Where = { ...locate(context, cluster.definedAt), cluster: cluster.name };
    const error = (field: string, message: string) => issues.push({ severity: "error", message, where: { ...where, field } });
    const access: unknown = cluster.access;
    if (access === null || typeof access !== "object" || Array.isArray(access)) {
      error("access", `must be { kubeconfigSecret: "name" } or a workload identity { provider, … }, got ${describeValue(access)}.`);
      continue;
    }
    const loose = access as Record<string, unknown>;
    if ("kubeconfigSecret" in loose && "provider" in loose) {
      error(
        "access",
        `Gives both a kubeconfigSecret and a workload-identity provider: Flux takes exactly one of kubeConfig.secretRef and kubeConfig.configMapRef; keep one.`,
      );
      continue;
    }
    if (!("provider" in loose)) {
      for (const key of Object.keys(loose))
        if (!KUBECONFIG_SECRET_ACCESS_KEYS.includes(key as never))
          error(
            `access.${key}`,
            unknownKeyMessage(key, "access option", [...KUBECONFIG_SECRET_ACCESS_KEYS, ...WORKLOAD_IDENTITY_ACCESS_KEYS]),
          );
      const secret = loose["kubeconfigSecret"];
      const invalid = checkDns1123Subdomain(secret, "a Secret name");
      if (invalid) error("access.kubeconfigSecret", invalid);
      else if (secret !== cluster.kubeconfigSecret)
        error(
          "access.kubeconfigSecret",
          `Names the Secret "${secret as string}" but kubeconfigSecret names "${cluster.kubeconfigSecret}": give the Secret once, in access.`,
        );
      continue;
    }
    for (const key of Object.keys(loose))
      if (!WORKLOAD_IDENTITY_ACCESS_KEYS.includes(key as never))
        error(`access.${key}`, unknownKeyMessage(key, "workload identity option", WORKLOAD_IDENTITY_ACCESS_KEYS));
    const { provider, cluster: resource, address, caCert, audiences, serviceAccountName, configMapName } = loose;
    if (!WORKLOAD_IDENTITY_PROVIDERS.includes(provider as never)) {
      error(
        "access.provider",
        `Unknown workload identity provider ${describeValue(provider)}: use one of ${WORKLOAD_IDENTITY_PROVIDERS.map((p) => JSON.stringify(p)).join(", ")}.`,
      );
      continue;
    }
    for (const [key, value] of Object.entries({ cluster: resource, address, caCert }))
      if (value !== undefined && (typeof value !== "string" || value === ""))
        error(`access.${key}`, `must be a non-empty string, got ${describeValue(value)}.`);
    if (typeof address === "string" && !/^https:\/\/[^\s/]+/.test(address))
      error(
        "access.address",
        `The API server address ${JSON.stringify(address)} is not an https:// URL: give the address the hub's controllers connect to, e.g. "https://spoke.example.com:6443".`,
      );
    if (typeof caCert === "string" && !caCert.includes("-----BEGIN CERTIFICATE-----"))
      error(
        "access.caCert",
        "is not a PEM certificate: give the API server's CA certificate, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.",
      );
    if (provider === "generic") {
      if (address === undefined)
        error("access.address", `The generic provider needs the spoke's API server address: add access.address ("https://…").`);
      if (resource !== undefined)
        error(
          "access.cluster",
          `The generic provider does not use a cloud cluster resource name: remove access.cluster and give access.address instead.`,
        );
    } else if (resource === undefined && (address === undefined || caCert === undefined)) {
      error(
        "access.cluster",
        `The ${provider as string} provider needs the cluster's resource name in the cloud API (access.cluster${provider === "aws" ? ", the EKS cluster ARN" : provider === "azure" ? ", the AKS resource ID" : ", projects/…/locations/…/clusters/…"}), unless both access.address and access.caCert are given.`,
      );
    }
    if (
      audiences !== undefined &&
      (!Array.isArray(audiences) || audiences.some((a) => typeof a !== "string" || a === "" || a.includes("\n")))
    )
      error("access.audiences", `must be a list of audiences (non-empty strings without line breaks), got ${describeValue(audiences)}.`);
    if (serviceAccountName !== undefined) {
      const invalid = checkDns1123Subdomain(serviceAccountName, "a ServiceAccount name");
      if (invalid) error("access.serviceAccountName", invalid);
    }
    if (configMapName !== undefined) {
      const invalid = checkDns1123Subdomain(configMapName, "a ConfigMap name");
      if (invalid) error("access.configMapName", invalid);
    }
  }
  return issues;
}
