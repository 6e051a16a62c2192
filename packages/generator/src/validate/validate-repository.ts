import type { CrdText } from "@flux-fleet/schemas";
import { SHARD_LABEL } from "@flux-fleet/profiles";
import type { Issue } from "../errors.ts";
import { createDocumentSource, formatSize, MAX_FILE_BYTES } from "./document-source.ts";
import { collectSpokes, isFluxKustomization } from "./collect-spokes.ts";
import { isKubeDocument } from "./kube-document.ts";
import { readKustomizationInputs, type KustomizationInputs } from "./kustomization-closure.ts";
import { emulateKustomizations } from "./emulate-kustomize.ts";
import { firstDifference } from "./canonical-json.ts";
import { buildKustomizations, type BuildOutcome, type BuildStats } from "./kustomize-builds.ts";
import { editInFromHeader, type RepositoryTree } from "./repository-tree.ts";
import { createSchemaChecker, type SkippedObject } from "./schema-checks.ts";
import { createSecretCheck } from "./secret-hygiene.ts";
import { checkSpoke, type HubIndex } from "./spoke-checks.ts";
import { checkSpokeShards } from "./shard-checks.ts";
import { checkAlertSources, checkNotifications } from "./notification-checks.ts";
import type { ClusterFacts } from "./spoke-model.ts";

export interface ValidationReport {
  issues: Issue[];
  skipped: SkippedObject[];
  stats: BuildStats & { files: number; objects: number; spokes: number };
}

export interface ValidateTreeOptions {
  root: string;
  cacheDir?: string | undefined;
  /** Cluster facts recorded by gen (production, pinning, kubeconfig Secret), by cluster name. */
  clusters?: ReadonlyMap<string, ClusterFacts>;
  /**
   * `kustomize` (default) builds every directory with real kustomize and checks the result against what
   * the files describe; `model` uses flux-fleet's in-memory model of the build instead (gen, before writing).
   */
  builds?: "kustomize" | "model";
  /** The CRDs the fleet ships (its components' `crds`): objects of their kinds are validated, not skipped. */
  crds?: readonly CrdText[];
  /** The hub's shards (recorded by gen): a shard label naming another is an error; undefined skips that check. */
  shards?: readonly string[] | undefined;
  /** `false` leaves the CRDs' CEL rules out (default `true`): only `pnpm bench` does, to measure their cost. */
  celRules?: boolean;
  /** Documents already in memory by path (gen's rendered objects), so they are not parsed again. */
  documents?: ReadonlyMap<string, readonly unknown[]>;
  /** What the kustomizations read, from {@link readKustomizationInputs}; read here when not given. */
  inputs?: KustomizationInputs;
  onBuilt?: (done: number, total: number) => void;
}

const BOOTSTRAP_SOURCE = "GitRepository/flux-system/flux-system";

function isYaml(path: string): boolean {
  return path.endsWith(".yaml") || path.endsWith(".yml");
}

/**
 * Validates a generated repository: parses every YAML file, builds every kustomization with real
 * kustomize, validates every object Flux would apply against the strict schemas, and checks each spoke's
 * Flux semantics. Problems are collected across the whole tree.
 *
 * @example
 * ```ts
 * const report = await validateTree(await readRepositoryTree(root), { root, cacheDir: ".fleet/cache/kustomize" });
 * ```
 */
export async function validateTree(generated: RepositoryTree, options: ValidateTreeOptions): Promise<ValidationReport> {
  const issues: Issue[] = [];
  const inMemory = options.builds === "model";
  const inputs = inMemory
    ? { files: generated, closures: [], documentsOf: createDocumentSource(generated, options.documents) }
    : (options.inputs ?? readKustomizationInputs(options.root, generated));
  const { documentsOf, closures } = inputs;
  // Every file validate reads: the tree's, and those outside it that a kustomization reads.
  const tree = inputs.files;
  const refused = new Set<string>();
  for (const { file, field, message } of closures.flatMap((closure) => closure.refusals)) {
    if (refused.has(`${file}\0${field}`)) continue;
    refused.add(`${file}\0${field}`);
    issues.push({
      severity: "error",
      message,
      where: { generated: file, ...(field ? { field } : {}), file: editInFromHeader(tree.get(file) ?? "") },
    });
  }
  // kustomize runs first, in the background: meanwhile everything is checked on flux-fleet's own model of
  // the builds, which kustomize then has to confirm.
  // A base is built as part of every overlay that includes it: building it alone proves nothing more.
  const covered = new Set(closures.flatMap((closure) => closure.includes));
  const building = buildKustomizations(
    closures.filter((closure) => !covered.has(closure.dir)),
    { root: options.root, cacheDir: options.cacheDir, onBuilt: options.onBuilt },
  );

  const parsed = new Map<string, unknown[]>();
  const secrets = createSecretCheck();
  for (const path of tree.keys()) {
    if (!isYaml(path)) continue;
    const { documents, problems, tooLarge } = documentsOf(path);
    if (tooLarge !== undefined)
      issues.push({
        severity: "error",
        message: `The file is ${formatSize(tooLarge)}, above the ${formatSize(MAX_FILE_BYTES)} validate reads from one file: the API server refuses objects above 1 MiB; split it or keep the data elsewhere.`,
        where: { generated: path },
      });
    for (const problem of problems)
      issues.push({
        severity: "error",
        message: `YAML does not parse (line ${problem.line}): ${problem.message}`,
        where: { generated: path, line: problem.line },
      });
    if (problems.length === 0 && tooLarge === undefined) {
      parsed.set(path, documents);
      secrets.check(documents, { generated: path, file: editInFromHeader(tree.get(path) ?? "") });
    }
  }
  issues.push(...secrets.issues);
  const danglingPatches: string[] = [];
  const emulated = emulateKustomizations(tree, documentsOf, danglingPatches);
  for (const problem of danglingPatches) {
    const [dir, message] = [problem.slice(0, problem.indexOf(":")), problem.slice(problem.indexOf(":") + 2)];
    issues.push({
      severity: "error",
      message: `${message[0]?.toUpperCase()}${message.slice(1)}: fix the target or remove the patch.`,
      where: { generated: dir, file: editInFromHeader(tree.get(`${dir}/kustomization.yaml`) ?? "") },
    });
  }
  const modelled = new Map<string, BuildOutcome>([...emulated].map(([dir, documents]) => [dir, { ok: true, documents }]));
  let analysis = analyze(tree, parsed, modelled, {
    dirs: inMemory ? [...emulated.keys()] : closures.map((c) => c.dir),
    final: inMemory,
    clusters: options.clusters,
    shards: options.shards,
    secretsReported: secrets.reported,
    crds: options.crds,
    celRules: options.celRules,
  });

  const { outcomes, stats } = await building;
  let confirmed = true;
  if (!inMemory) {
    for (const closure of closures) {
      if (covered.has(closure.dir)) continue;
      const expected = emulated.get(closure.dir);
      const outcome = outcomes.get(closure.dir);
      if (!expected || !outcome?.ok) {
        confirmed = false;
        continue;
      }
      const difference = firstDifference(expected, outcome.documents);
      if (difference) {
        confirmed = false;
        issues.push({
          severity: "error",
          message: `kustomize builds this directory differently from what its files describe (${difference}): kustomize merged a patch in a way flux-fleet did not model; check the patches here.`,
          where: { generated: closure.dir },
        });
      }
    }
    // What kustomize built is not what the model said: check what kustomize built.
    if (!confirmed)
      analysis = analyze(tree, parsed, outcomes, {
        dirs: closures.map((c) => c.dir),
        final: true,
        clusters: options.clusters,
        shards: options.shards,
        secretsReported: secrets.reported,
        crds: options.crds,
        celRules: options.celRules,
      });
  }
  return {
    issues: [...issues, ...analysis.issues],
    skipped: analysis.skipped,
    stats: {
      ...stats,
      directories: closures.length,
      covered: covered.size,
      files: tree.size,
      objects: analysis.objects,
      spokes: analysis.spokes,
    },
  };
}

interface Analysis {
  issues: Issue[];
  skipped: SkippedObject[];
  objects: number;
  spokes: number;
}

/** Schema and fleet checks of what Flux would apply, given what each kustomization directory builds to. */
function analyze(
  tree: RepositoryTree,
  parsed: ReadonlyMap<string, unknown[]>,
  outcomes: ReadonlyMap<string, BuildOutcome>,
  options: {
    dirs: readonly string[];
    final: boolean;
    clusters: ValidateTreeOptions["clusters"];
    shards: ValidateTreeOptions["shards"];
    crds: ValidateTreeOptions["crds"];
    celRules?: boolean | undefined;
    secretsReported: ReadonlySet<string>;
  },
): Analysis {
  const issues: Issue[] = [];
  const schemas = createSchemaChecker({ crds: options.crds, celRules: options.celRules });
  // What kustomize builds (a secretGenerator's Secret, a kubeconfig a configMapGenerator read) is checked too;
  // a secret already reported in its file is not reported again.
  const secrets = createSecretCheck(new Set(options.secretsReported));
  const hubFiles = [...parsed.keys()].filter((path) => /^hub\/[^/]+\.ya?ml$/.test(path));
  const hubDocuments = hubFiles.flatMap((file) => (parsed.get(file) ?? []).map((doc) => ({ file, doc })));
  // The bootstrap Kustomization applies the hub files as they are, without a targetNamespace.
  for (const file of hubFiles)
    schemas.check(parsed.get(file) ?? [], { generated: file, file: editInFromHeader(tree.get(file) ?? "") }, { appliedByFlux: true });

  issues.push(...checkNotifications(tree, hubDocuments));
  const hub: HubIndex = { kustomizations: new Set(), sources: new Set(), configMaps: new Map() };
  const bootstrapBuild = outcomes.get("hub/flux-system");
  const bootstrapObjects = bootstrapBuild?.ok ? bootstrapBuild.documents.filter(isKubeDocument) : [];
  if (!bootstrapObjects.some((doc) => doc.kind === "GitRepository")) hub.sources.add(BOOTSTRAP_SOURCE);
  for (const doc of [...bootstrapObjects, ...hubDocuments.map((d) => d.doc).filter(isKubeDocument)]) {
    if (doc.apiVersion.startsWith("source.toolkit.fluxcd.io/"))
      hub.sources.add(`${doc.kind}/${doc.metadata.namespace ?? "flux-system"}/${doc.metadata.name}`);
    if (doc.apiVersion === "v1" && doc.kind === "ConfigMap")
      hub.configMaps.set(`${doc.metadata.namespace ?? "flux-system"}/${doc.metadata.name}`, (doc["data"] ?? {}) as Record<string, unknown>);
  }

  const kustomizationShards = new Map<string, string | undefined>();
  for (const { doc } of hubDocuments) {
    if (!isFluxKustomization(doc)) continue;
    const namespace = doc.metadata.namespace ?? "flux-system";
    hub.kustomizations.add(`${namespace}/${doc.metadata.name}`);
    kustomizationShards.set(`${namespace}/${doc.metadata.name}`, doc.metadata.labels?.[SHARD_LABEL]);
  }
  const spokes = collectSpokes(hubDocuments, outcomes, { final: options.final });
  const layerDirs = new Set([...spokes.values()].flatMap((spoke) => spoke.layers.map((layer) => layer.dir)));

  for (const spoke of spokes.values()) {
    const fleetFile = editInFromHeader(tree.get(spoke.layers[0]?.kustomization.file ?? "") ?? "");
    for (const layer of spoke.layers) {
      schemas.check(
        layer.applied?.objects ?? [],
        { cluster: spoke.name, generated: layer.dir, file: fleetFile },
        { appliedByFlux: true, targetNamespace: layer.kustomization.spec.targetNamespace },
      );
      secrets.check(layer.applied?.objects ?? [], { cluster: spoke.name, generated: layer.dir, file: fleetFile });
    }
    for (const issue of checkSpoke(spoke, hub, options.clusters?.get(spoke.name)))
      issues.push({ ...issue, where: { file: fleetFile, ...issue.where } });
    const known = options.shards === undefined ? undefined : new Set(options.shards);
    issues.push(...checkAlertSources(tree, spoke, hubDocuments));
    for (const issue of checkSpokeShards(spoke, kustomizationShards, options.clusters?.get(spoke.name), known))
      issues.push({ ...issue, where: { file: fleetFile, ...issue.where } });
  }

  // Directories no spoke applies directly: report their build failures, and validate what they build,
  // except the deploy/ bases, whose objects are checked through the overlays, as Flux applies them.
  for (const dir of options.dirs) {
    if (layerDirs.has(dir)) continue;
    const outcome = outcomes.get(dir);
    if (outcome && !outcome.ok) issues.push({ severity: "error", message: outcome.error, where: { generated: dir } });
    else if (outcome?.ok) {
      secrets.check(outcome.documents, { generated: dir });
      if (!dir.startsWith("deploy/")) schemas.check(outcome.documents, { generated: dir });
    }
  }
  const checked = schemas.result();
  return {
    issues: [...issues, ...secrets.issues, ...checked.issues],
    skipped: checked.skipped,
    objects: checked.validated,
    spokes: spokes.size,
  };
}
