import { posix } from "node:path";
import { isPlainObject } from "@flux-fleet/profiles";
import { parseYamlDocuments } from "../yaml-emitter.ts";
import type { DocumentSource } from "./document-source.ts";
import { applyJsonPatchOperation, matchesTarget, type PatchTarget } from "./flux-apply.ts";
import { isKubeDocument, unwrapLists, type KubeDocument } from "./kube-document.ts";
import { mergePatch } from "./merge-patch.ts";
import { kustomizationDirs, kustomizationFile } from "./kustomization-closure.ts";
import type { RepositoryTree } from "./repository-tree.ts";

// The kustomization fields flux-fleet writes; a directory using any other is left to real kustomize.
const SUPPORTED_FIELDS = new Set(["apiVersion", "kind", "resources", "patches", "labels"]);

interface KustomizeConfig {
  resources?: string[];
  patches?: Array<{ path?: string; patch?: string; target?: PatchTarget }>;
  labels?: Array<{ pairs?: Record<string, string>; includeSelectors?: boolean }>;
}

/**
 * What kustomize builds a directory of the tree to, computed in memory for the subset of kustomize that
 * flux-fleet generates (resources, patches from files or inline JSON6902, labels); undefined for a
 * directory that uses anything else. `gen` checks these objects before writing; `validate` compares
 * them with what real kustomize builds.
 *
 * @example
 * ```ts
 * const objects = emulateKustomize(tree, "clusters/staging/apps", createDocumentSource(tree));
 * ```
 */
export function emulateKustomize(
  tree: RepositoryTree,
  dir: string,
  documentsOf: DocumentSource,
  memo = new Map<string, KubeDocument[] | undefined>(),
  unmatched: string[] = [],
  seen = new Set<string>(),
): KubeDocument[] | undefined {
  if (memo.has(dir)) return memo.get(dir);
  const file = kustomizationFile(tree, dir);
  if (!file || seen.has(dir)) return undefined;
  seen.add(dir);
  const result = emulateDirectory(tree, dir, file, documentsOf, memo, unmatched, seen);
  seen.delete(dir);
  memo.set(dir, result);
  return result;
}

function emulateDirectory(
  tree: RepositoryTree,
  dir: string,
  file: string,
  documentsOf: DocumentSource,
  memo: Map<string, KubeDocument[] | undefined>,
  unmatched: string[],
  seen: Set<string>,
): KubeDocument[] | undefined {
  const [config] = documentsOf(file).documents as [KustomizeConfig & Record<string, unknown>];
  if (!isPlainObject(config) || Object.keys(config).some((key) => !SUPPORTED_FIELDS.has(key))) return undefined;

  let objects: KubeDocument[] = [];
  for (const resource of config.resources ?? []) {
    const path = posix.normalize(posix.join(dir, resource));
    if (tree.has(path)) {
      const { documents, problems } = documentsOf(path);
      if (problems.length > 0) return undefined;
      objects.push(...unwrapLists(documents).filter(isKubeDocument));
    } else {
      const nested = emulateKustomize(tree, path, documentsOf, memo, unmatched, seen);
      if (!nested) return undefined;
      objects.push(...nested);
    }
  }
  for (const entry of config.patches ?? []) {
    const patchFile = entry.path !== undefined ? posix.normalize(posix.join(dir, entry.path)) : undefined;
    if (patchFile !== undefined ? !tree.has(patchFile) : entry.patch === undefined) return undefined;
    const [body] = patchFile !== undefined ? documentsOf(patchFile).documents : parseYamlDocuments(entry.patch ?? "").documents;
    const target = entry.target ?? (isKubeDocument(body) ? { kind: body.kind, name: body.metadata.name } : undefined);
    if (!target) return undefined;
    // Inline patches may target what only exists after bootstrap (hub/flux-system); patch files are the fleet's overrides.
    if (entry.path !== undefined && !objects.some((doc) => matchesTarget(doc, target))) {
      unmatched.push(
        `${dir}: the patch ${entry.path} targets ${target.kind ?? "any kind"} ${target.name ? `"${target.name}"` : ""}, which none of the resources is`.replace(
          "  ",
          " ",
        ),
      );
    }
    objects = objects.map((doc) => {
      if (!matchesTarget(doc, target)) return doc;
      if (Array.isArray(body)) {
        const patched = structuredClone(doc);
        for (const op of body as Array<{ op?: string; path?: string; value?: unknown }>) applyJsonPatchOperation(patched, op);
        return patched;
      }
      const { apiVersion: _apiVersion, kind: _kind, metadata, ...rest } = body as KubeDocument;
      const { name: _name, ...metadataRest } = metadata ?? {};
      return mergePatch(doc, { ...rest, ...(Object.keys(metadataRest).length > 0 ? { metadata: metadataRest } : {}) }) as KubeDocument;
    });
  }
  for (const { pairs } of config.labels ?? []) {
    objects = objects.map((doc) => ({ ...doc, metadata: { ...doc.metadata, labels: { ...doc.metadata.labels, ...pairs } } }));
  }
  return objects;
}

/**
 * Every directory of the tree that kustomize would build, with what flux-fleet expects it to build to.
 *
 * @example
 * ```ts
 * for (const [dir, objects] of emulateKustomizations(tree, createDocumentSource(tree))) console.log(dir, objects.length);
 * ```
 */
export function emulateKustomizations(
  tree: RepositoryTree,
  documentsOf: DocumentSource,
  unmatched: string[] = [],
): Map<string, KubeDocument[]> {
  const results = new Map<string, KubeDocument[]>();
  const memo = new Map<string, KubeDocument[] | undefined>();
  for (const dir of kustomizationDirs(tree)) {
    const objects = emulateKustomize(tree, dir, documentsOf, memo, unmatched);
    if (objects) results.set(dir, objects);
  }
  return results;
}
