/** The charts whose values this package vendors (with their licenses, in `vendor/<chart>/<version>/`). */
export const VENDORED_CHARTS = [
  { chart: "cert-manager", version: "v1.21.1", repository: "https://charts.jetstack.io" },
  { chart: "ingress-nginx", version: "4.15.1", repository: "https://kubernetes.github.io/ingress-nginx" },
  { chart: "podinfo", version: "6.14.1", repository: "oci://ghcr.io/stefanprodan/charts" },
] as const satisfies ReadonlyArray<{ chart: string; version: string; repository: string }>;
