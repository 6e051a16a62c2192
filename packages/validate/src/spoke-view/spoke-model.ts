import type { AppliedLayer, FluxKustomizationSpec } from "./flux-apply.ts";
import type { KubeDocument } from "./kube-document.ts";

/** What one kustomization directory builds to (objects in build order), or why it does not build. */
export type BuildOutcome = { ok: true; documents: unknown[] } | { ok: false; error: string };

/**
 * The fleet file to edit instead of a generated file, by the file's path; undefined for a file no fleet file
 * produces (a hand-kept one). gen knows it from what it rendered; validate reads it from the file's header.
 */
export type EditIn = (path: string) => string | undefined;

/** A Flux Kustomization on the hub, from a `hub/*.yaml` file. */
export interface HubKustomization {
  doc: KubeDocument;
  spec: FluxKustomizationSpec;
  /** The hub file it is in. */
  file: string;
}

/** One Kustomization of a spoke and what it applies. */
export interface SpokeLayer {
  kustomization: HubKustomization;
  /** The directory its `path` names, relative to the root. */
  dir: string;
  /** Where its objects go: straight to the spoke through `kubeConfig`, or onto the hub. */
  appliesTo: "spoke" | "hub";
  applied?: AppliedLayer;
  /** Why there is nothing applied: the build failed or the path has no kustomization. */
  buildError?: string;
}

/** A spoke as the hub sees it: the Kustomizations in its namespace on the hub. */
export interface Spoke {
  name: string;
  layers: SpokeLayer[];
}

/** What the fleet definition says of a cluster (recorded by gen), for checks the YAML alone cannot make. */
export interface ClusterFacts {
  production: boolean;
  pinning: "warn" | "strict";
  kubeconfigSecret: string;
  /** The hub shard that reconciles the spoke; absent for the main controllers. */
  shard?: string | undefined;
  /** The workload-identity ConfigMap every layer and release uses instead of `kubeconfigSecret`. */
  configMap?: string | undefined;
  /** Whether to report chart version ranges on production (gen reports them from the fleet instead). */
  checkPinning?: boolean;
}

/** Kinds that a layer applied on the hub may hold: Flux releases and their sources and values. */
export const HUB_SIDE_KINDS = new Set([
  "HelmRelease",
  "HelmRepository",
  "OCIRepository",
  "GitRepository",
  "HelmChart",
  "Bucket",
  "ConfigMap",
  "Secret",
]);

/** The layer order of the seed, which every spoke must keep. */
export const LAYER_ORDER = ["tenants", "infra-controllers", "infra-configs", "apps"] as const;
