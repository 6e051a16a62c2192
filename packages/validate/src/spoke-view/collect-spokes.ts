import { posix } from "node:path";
import { applyFluxKustomization, type FluxKustomizationSpec } from "./flux-apply.ts";
import { isKubeDocument } from "./kube-document.ts";
import type { BuildOutcome, HubKustomization, Spoke, SpokeLayer } from "./spoke-model.ts";

/** A document of a `hub/*.yaml` file, with the file. */
export interface HubDocument {
  file: string;
  doc: unknown;
}

/** Whether a hub document is a Flux Kustomization. */
export function isFluxKustomization(doc: unknown): doc is HubKustomization["doc"] {
  return isKubeDocument(doc) && doc.kind === "Kustomization" && doc.apiVersion.startsWith("kustomize.toolkit.fluxcd.io/");
}

/** The directory a Flux Kustomization's `spec.path` names, relative to the root. */
export function layerDir(spec: FluxKustomizationSpec): string {
  return posix.normalize(spec.path ?? ".").replace(/\/$/, "");
}

/**
 * The spokes as the hub sees them: each namespace's Flux Kustomizations, in file order, with what each applies
 * given what its directory builds to. Validate checks this model; plan and diff print it.
 *
 * @example
 * ```ts
 * const spokes = collectSpokes(hubDocuments, outcomes, { final: true });
 * ```
 */
export function collectSpokes(
  hubDocuments: readonly HubDocument[],
  outcomes: ReadonlyMap<string, BuildOutcome>,
  options: { final: boolean },
): Map<string, Spoke> {
  const spokes = new Map<string, Spoke>();
  for (const { file, doc } of hubDocuments) {
    if (!isFluxKustomization(doc)) continue;
    const namespace = doc.metadata.namespace ?? "flux-system";
    const spec = (doc["spec"] ?? {}) as FluxKustomizationSpec;
    const dir = layerDir(spec);
    const kustomization: HubKustomization = { doc, spec, file };
    const layer: SpokeLayer = { kustomization, dir, appliesTo: spec.kubeConfig ? "spoke" : "hub" };
    const outcome = outcomes.get(dir);
    if (!outcome) {
      if (options.final)
        layer.buildError = `spec.path ${spec.path ?? ""} has no kustomization.yaml in the repository: Flux would build whatever YAML happens to be there.`;
    } else if (!outcome.ok) layer.buildError = outcome.error;
    else layer.applied = applyFluxKustomization(outcome.documents, spec);
    const spoke = spokes.get(namespace) ?? { name: namespace, layers: [] };
    spoke.layers.push(layer);
    spokes.set(namespace, spoke);
  }
  return spokes;
}
