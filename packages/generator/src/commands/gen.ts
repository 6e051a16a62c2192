import { acknowledgesUnpinned, checkAndIndexFleet } from "../check/check-fleet.ts";
import { FleetError } from "../errors.ts";
import { formatIssues, plural, type Issue, checkSpokeView } from "@flux-fleet/validate";
import { loadFleet } from "../load-fleet.ts";
import { renderFleet } from "../render/render-fleet.ts";
import { BOOTSTRAP_FILES, BOOTSTRAP_PLACEHOLDER } from "../render/render-hub.ts";
import { serializeFile } from "../serialize.ts";
import { applyPlan } from "../write/apply-plan.ts";
import { findLeftovers, JOURNAL_FILE, repairInterruptedRun } from "../write/journal.ts";
import { acquireRunLock } from "../write/run-lock.ts";
import { formatGenSummary } from "../write/gen-summary.ts";
import { RECORD_FILE, type RecordedCluster } from "../write/generated-record.ts";
import { planTree, type PlannedFile, type TreePlan } from "../write/plan-tree.ts";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  DEFAULT_ACCESS_CONFIGMAP,
  DEFAULT_VERSIONS_FILE,
  isWorkloadIdentity,
  normalizeShards,
  promotionEventType,
  type Component,
  type Fleet,
  type PromotionSettings,
} from "@flux-fleet/fleet";
import { readCrdFiles, type CrdFile, type CrdText } from "@flux-fleet/schemas";
import type { GeneratedFile } from "../render/generated-file.ts";
import { locate, type RenderContext } from "../fleet/locate.ts";
import type { Builds } from "../render/builds.ts";
import type { Progress } from "../progress.ts";

export interface GenOptions {
  /** The repository root (holds `fleet/`, `deploy/`, `clusters/`, `hub/`). */
  root: string;
  /** The fleet entry relative to the root; default `fleet/fleet.ts`. */
  entry?: string;
  /** Seconds the fleet may take to load; default 30. */
  loadTimeout?: number | undefined;
  /** Write nothing; print a diff per differing file and report drift. */
  check?: boolean;
  /** Where progress and diffs go; default process.stdout. */
  out?: (text: string) => void;
  /** Phase by phase progress, for a terminal. */
  progress?: Progress;
}

export interface GenResult {
  /** 0 when written (or, with check, when nothing differs), 1 on drift. */
  exitCode: number;
  plan: TreePlan;
  /** Warnings found in the fleet (errors throw a FleetError instead). */
  warnings: Issue[];
}

/**
 * Loads, checks and renders the fleet, then writes the repository, or with `check` compares it.
 * Throws a FleetError (nothing written) when the fleet has errors.
 *
 * @example
 * ```ts
 * const { exitCode } = await gen({ root: process.cwd(), check: true });
 * ```
 */
export async function gen(options: GenOptions): Promise<GenResult> {
  const out = options.out ?? ((text: string) => process.stdout.write(text));
  if (options.check) return generate(options, out);
  // Taken before anything else, so that a second gen started at the same time fails at once.
  const lock = await acquireRunLock(options.root);
  try {
    if (lock.tookOver) out(`${lock.tookOver}\n`);
    return await generate(options, out);
  } finally {
    await lock.release();
  }
}

async function generate(options: GenOptions, out: (text: string) => void): Promise<GenResult> {
  const progress = options.progress ?? { update() {}, done() {} };
  progress.update("loading the fleet");
  const { fleet, root, entry } = await loadFleet(options);
  const context = { root, entry };
  progress.update(`checking ${fleet.clusters.length} clusters`);
  const checked = checkAndIndexFleet(fleet, context);
  const fleetIssues = checked.issues;
  if (!checked.index || fleetIssues.some((issue) => issue.severity === "error")) throw new FleetError(fleetIssues);
  progress.update(`rendering ${fleet.clusters.length} clusters`);
  const { files, issues: schemaIssues, index, builds } = renderFleet(fleet, context, checked.index);
  if (schemaIssues.length > 0) throw new FleetError([...fleetIssues, ...schemaIssues]);

  const planned: PlannedFile[] = files.map((file) => ({ path: file.path, content: serializeFile(file), editIn: file.editIn }));
  if (fleet.githubWorkflows) planned.push(...(await renderGithubWorkflows(fleet, root, entry)));
  if (fleet.promotion) planned.push(await renderPromotion(fleet.promotion));
  const placeholders = BOOTSTRAP_FILES.map((path) => ({ path, content: BOOTSTRAP_PLACEHOLDER }));
  const clusters = new Map<string, RecordedCluster>(
    fleet.clusters.map((cluster) => {
      const shard = index.shards.get(cluster.name);
      return [
        cluster.name,
        {
          production: cluster.production,
          pinning: cluster.profile.pinning,
          kubeconfigSecret: cluster.kubeconfigSecret,
          // Recorded only when true, so that validate stops repeating the warnings the fleet accepts.
          ...(cluster.production && acknowledgesUnpinned(fleet, cluster.profile.pinning) ? { unpinnedAcknowledged: true as const } : {}),
          ...(shard === undefined ? {} : { shard }),
          ...(isWorkloadIdentity(cluster.access) ? { configMap: cluster.access.configMapName ?? DEFAULT_ACCESS_CONFIGMAP } : {}),
        },
      ];
    }),
  );
  const hub = { shards: normalizeShards(fleet.hub.shards).map((shard) => shard.name) };
  progress.update(`validating ${planned.length} files`);
  const crds = readFleetCrds(fleet, context);
  const treeIssues = checkRenderedTree(files, builds, clusters, crds, hub.shards);
  const warnings = [...fleetIssues, ...treeIssues];
  if (warnings.some((issue) => issue.severity === "error")) throw new FleetError(warnings);
  if (warnings.length > 0) out(`${formatIssues(warnings)}\n`);
  if (!options.check) {
    // What a run interrupted before this one left is finished (or undone) before the disk is compared.
    progress.update("checking for an interrupted run");
    const repaired = await repairInterruptedRun(root);
    if (repaired) {
      progress.done();
      out(`${repaired}\n`);
    }
  }
  progress.update(`comparing ${planned.length} files with the disk`);
  const plan = await planTree(root, planned, placeholders, clusters, new Map(crds.map((crd) => [crd.file, crd.sha256])), hub);
  progress.done();
  const recordDrift = plan.record.before !== plan.record.after;

  if (options.check) {
    // Loaded here: only --check prints diffs.
    const { formatChange } = await import("../write/format-diff.ts");
    for (const change of plan.changes) out(formatChange(change));
    for (const placeholder of plan.placeholders)
      out(formatChange({ path: placeholder.path, before: undefined, after: placeholder.content }));
    if (recordDrift) out(formatChange({ path: RECORD_FILE, before: plan.record.before, after: plan.record.after }));
    // gen --check takes no lock and changes nothing: what an interrupted run left is reported, as drift.
    const leftovers = await findLeftovers(root);
    if (leftovers.journal) out(`An interrupted gen left ${JOURNAL_FILE}: run "pnpm gen" to finish it.\n`);
    if (leftovers.temporaries.length > 0)
      out(
        `An interrupted gen left ${plural(leftovers.temporaries.length, "temporary file")} (${leftovers.temporaries[0]}${leftovers.temporaries.length > 1 ? ", …" : ""}): run "pnpm gen" to remove them.\n`,
      );
    const drift =
      plan.changes.length + plan.placeholders.length + (recordDrift ? 1 : 0) + (leftovers.journal ? 1 : 0) + leftovers.temporaries.length;
    if (drift === 0) {
      out(`Up to date: the ${planned.length} generated files are what ${entry} produces.\n`);
      return { exitCode: 0, plan, warnings };
    }
    out(`${drift} file${drift === 1 ? " differs" : "s differ"} from what ${entry} produces: run "pnpm gen" and commit the result.\n`);
    return { exitCode: 1, plan, warnings };
  }

  await applyPlan(root, plan);
  out(formatGenSummary(plan, { files: planned.length, entry }));
  return { exitCode: 0, plan, warnings };
}

/**
 * The checks of `validate` on what gen rendered, before anything is written: the spoke view comes from the
 * renderer (what each overlay builds to, as it chose its base files and patches; validate later builds the
 * committed files with real kustomize), checked against the strict schemas and for the spokes' Flux semantics.
 * Chart pinning is left to the fleet checks, which can point at the override to change.
 */
function checkRenderedTree(
  files: readonly GeneratedFile[],
  builds: Builds,
  clusters: ReadonlyMap<string, RecordedCluster>,
  crds: readonly CrdText[],
  shards: readonly string[],
): Issue[] {
  const editIn = new Map(files.map((file) => [file.path, file.editIn]));
  const report = checkSpokeView({
    files: new Map(files.map((file) => [file.path, file.documents])),
    builds: new Map([...builds].map(([dir, documents]) => [dir, { ok: true as const, documents }])),
    editIn: (path) => editIn.get(path),
    clusters: new Map([...clusters].map(([name, cluster]) => [name, { ...cluster, checkPinning: false }])),
    crds,
    shards,
  });
  // A rule the CEL library cannot evaluate proves nothing: say so (validate lists it as skipped).
  const unevaluated = report.skipped
    .filter((skipped) => skipped.rule !== undefined)
    .map((skipped): Issue => ({
      severity: "warning",
      message: `${skipped.reason[0]?.toUpperCase() ?? ""}${skipped.reason.slice(1)}.`,
      where: skipped.where,
    }));
  return [...report.issues, ...unevaluated];
}

/**
 * The CRD files the fleet's components ship (`crds`), each read once, in a stable order. A file that cannot be read
 * is an error naming the component that lists it.
 */
function readFleetCrds(fleet: Fleet, context: RenderContext): CrdFile[] {
  const owners = new Map<string, Component>();
  for (const cluster of fleet.clusters)
    for (const component of cluster.profile.components as readonly Component[])
      for (const reference of component.crds ?? []) if (!owners.has(reference)) owners.set(reference, component);
  const crds: CrdFile[] = [];
  const issues: Issue[] = [];
  for (const [reference, component] of [...owners].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    try {
      crds.push(...readCrdFiles([reference], context.root));
    } catch (error) {
      issues.push({
        severity: "error",
        message: `${(error as Error).message[0]?.toUpperCase() ?? ""}${(error as Error).message.slice(1)}.`,
        where: { ...locate(context, component.definedAt), component: component.name, field: "crds" },
      });
    }
  }
  if (issues.length > 0) throw new FleetError(issues);
  return crds;
}

/** The GitHub workflows, driven by the fleet's spokes and checked against the root package.json's scripts. */
async function renderGithubWorkflows(fleet: Fleet, root: string, entry: string): Promise<PlannedFile[]> {
  const manifest = await readFile(join(root, "package.json"), "utf8").catch(() => "{}");
  const scripts = Object.keys((JSON.parse(manifest) as { scripts?: Record<string, string> }).scripts ?? {});
  // The workflows (and the lifecycle package they take kind's facts from) are loaded only by a fleet that asks for them.
  const [{ renderWorkflows }, { fleetTopology }] = await Promise.all([import("../workflows/github-workflows.ts"), import("./topology.ts")]);
  try {
    const workflows = renderWorkflows(fleetTopology(fleet), { scripts, definedIn: entry });
    return Object.entries(workflows).map(([path, content]) => ({ path, content, editIn: entry }));
  } catch (error) {
    throw new FleetError([{ severity: "error", message: (error as Error).message, where: { file: entry, field: "githubWorkflows" } }], {
      cause: error,
    });
  }
}

/** `.github/workflows/promote.yaml`, which the promotion Alerts' repository_dispatch events start. */
async function renderPromotion(promotion: PromotionSettings): Promise<PlannedFile> {
  const { renderPromoteWorkflow } = await import("../workflows/promote-workflow.ts");
  const jobs = promotion.pairs.map((pair) => ({ ...pair, eventType: promotionEventType(pair) }));
  return {
    path: ".github/workflows/promote.yaml",
    content: renderPromoteWorkflow(jobs, { versionsFile: promotion.versionsFile ?? DEFAULT_VERSIONS_FILE }),
  };
}
