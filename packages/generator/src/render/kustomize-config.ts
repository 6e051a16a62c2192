/** Which objects a kustomize patch applies to. */
export interface PatchSelector {
  kind?: string;
  name?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

/** A `kustomization.yaml` (kustomize.config.k8s.io/v1beta1) as the generator writes it. */
export interface KustomizeConfig {
  resources: string[];
  patches?: Array<({ path: string } | { patch: string }) & { target: PatchSelector }>;
  labels?: Array<{ pairs: Record<string, string> }>;
  [field: string]: unknown;
}

export function kustomizeConfig({ resources, ...rest }: KustomizeConfig): Record<string, unknown> {
  return { apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", resources, ...rest };
}
