// What users and the generator import. For users: validate a repository whoever wrote it, and format the report.
// For the generator, which renders the files this package reads: the repository format (the one YAML module, the
// Issue type, where files live, atomic replace), the spoke view and its checks (gen runs them before writing), and
// the reading and building that plan and diff share with validate. Everything else stays internal.
export {
  validateRepository,
  type RepositoryFacts,
  type ValidateRepositoryOptions,
  type RepositoryValidation,
} from "./repository/validate-repository.ts";
export type { ValidationReport } from "./repository/validate-tree.ts";
export { formatValidation, summarizeValidation } from "./repository/format-report.ts";
export { checkSpokeView, type SpokeViewInput, type SpokeViewReport } from "./checks/check-spoke-view.ts";
export type { SkippedObject } from "./checks/schema-checks.ts";
export { readRepositoryTree, type RepositoryTree } from "./read/repository-tree.ts";
export { readKustomizationInputs, type KustomizationInputs } from "./read/kustomization-closure.ts";
export type { ParseCache } from "./read/document-source.ts";
export { buildKustomizations, type BuildOptions, type BuildStats } from "./read/kustomize-builds.ts";
export {
  HUB_SIDE_KINDS,
  LAYER_ORDER,
  type BuildOutcome,
  type ClusterFacts,
  type EditIn,
  type Spoke,
  type SpokeLayer,
} from "./spoke-view/spoke-model.ts";
export { collectSpokes, isFluxKustomization, layerDir, type HubDocument } from "./spoke-view/collect-spokes.ts";
export { matchesTarget, type FluxKustomizationSpec } from "./spoke-view/flux-apply.ts";
export { describeDocument, isKubeDocument, type KubeDocument } from "./spoke-view/kube-document.ts";
export { mergePatch } from "./spoke-view/merge-patch.ts";
export { pinningProblem } from "./spoke-view/pinning.ts";
export { formatIssues, plural, summarizeIssues, UsageError, type Issue, type Severity, type Where } from "./errors.ts";
export { parseYamlDocuments, stringifyDocuments, stringifyWorkflow, stringifyYaml } from "./yaml-emitter.ts";
export { CACHE_DIR, OWNED_DIRS } from "./repository-layout.ts";
export { fsyncDescriptor, replaceFile, writeDurably, writeNewFile } from "./replace-file.ts";
