import { posix } from "node:path";
import { isMapping } from "@flux-fleet/schemas";
import type { Issue } from "../errors.ts";
import { matchesTarget, type PatchTarget } from "../spoke-view/flux-apply.ts";
import { isKubeDocument } from "../spoke-view/kube-document.ts";
import type { BuildOutcome, EditIn } from "../spoke-view/spoke-model.ts";
import type { DocumentSource } from "../read/document-source.ts";
import { kustomizationFile } from "../read/kustomization-closure.ts";
import type { RepositoryTree } from "../read/repository-tree.ts";

/**
 * Patch files that reach nothing: kustomize applies a patch whose target matches no resource as a no-op, so a
 * mistyped target (or a renamed object) silently drops the change it was written for. Checked on what kustomize
 * built: a patch file's target (its `target`, else the kind and name in the file) must select one of the objects.
 * Inline patches are left alone: the bootstrap's may target what only `flux bootstrap` writes.
 *
 * @example
 * ```ts
 * const issues = checkPatchTargets(tree, outcomes, documentsOf, editIn);
 * ```
 */
export function checkPatchTargets(
  tree: RepositoryTree,
  builds: ReadonlyMap<string, BuildOutcome>,
  documentsOf: DocumentSource,
  editIn: EditIn,
): Issue[] {
  const issues: Issue[] = [];
  for (const [dir, outcome] of builds) {
    if (!outcome.ok) continue;
    const file = kustomizationFile(tree, dir);
    if (file === undefined) continue;
    const [config] = documentsOf(file).documents;
    const patches = isMapping(config) && Array.isArray(config["patches"]) ? (config["patches"] as unknown[]) : [];
    const objects = outcome.documents.filter(isKubeDocument);
    for (const entry of patches) {
      if (!isMapping(entry) || typeof entry["path"] !== "string") continue;
      const patchFile = posix.normalize(posix.join(dir, entry["path"]));
      if (!tree.has(patchFile)) continue; // kustomize failed on it already
      const [body] = documentsOf(patchFile).documents;
      const target = (
        isMapping(entry["target"]) ? entry["target"] : isKubeDocument(body) ? { kind: body.kind, name: body.metadata.name } : undefined
      ) as PatchTarget | undefined;
      if (target === undefined || objects.some((doc) => matchesTarget(doc, target))) continue;
      const named = `${target.kind ?? "any kind"}${target.name === undefined ? "" : ` "${target.name}"`}`;
      issues.push({
        severity: "error",
        message: `The patch ${entry["path"]} targets ${named}, which none of the resources is: fix the target or remove the patch.`,
        where: { generated: dir, file: editIn(file) },
      });
    }
  }
  return issues;
}
