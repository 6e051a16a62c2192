import type { Component } from "@flux-fleet/fleet";
import { mergePatch, isKubeDocument, type KubeDocument } from "@flux-fleet/validate";

/** What a kustomization directory builds to, by directory relative to the root. */
export type Builds = Map<string, KubeDocument[]>;

/** The objects of each component's base file, as the renderer wrote them, so an overlay can take them by component. */
export type BaseObjects = ReadonlyMap<Component, readonly KubeDocument[]>;

/**
 * An object with one of the renderer's own override patches applied, as kustomize applies a patch file to the
 * resource it targets: the patch's `apiVersion`, `kind` and `metadata.name` select the object, the rest merges
 * over it (a merge patch: maps merge, lists and scalars replace, `null` removes).
 *
 * @example
 * ```ts
 * withPatch(podinfoRelease, { apiVersion: "helm.toolkit.fluxcd.io/v2", kind: "HelmRelease", metadata: { name: "podinfo" }, spec: { suspend: true } });
 * ```
 */
export function withPatch(object: KubeDocument, patch: Record<string, unknown>): KubeDocument {
  const { apiVersion: _apiVersion, kind: _kind, metadata, ...rest } = patch;
  const { name: _name, ...metadataRest } = (metadata ?? {}) as Record<string, unknown>;
  const merged = mergePatch(object, { ...rest, ...(Object.keys(metadataRest).length > 0 ? { metadata: metadataRest } : {}) });
  return isKubeDocument(merged) ? merged : object;
}
