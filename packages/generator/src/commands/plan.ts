import { join } from "node:path";
import { CACHE_DIR, UsageError } from "@flux-fleet/validate";
import { formatPlan } from "../plan/format-plan.ts";
import { readFleetView, type PlannedSpoke } from "../plan/spoke-view.ts";

export interface PlanOptions {
  root: string;
  /** Only this spoke. */
  cluster?: string | undefined;
  json?: boolean | undefined;
  /** Rebuild every kustomization instead of reusing validate's cached builds. */
  noCache?: boolean | undefined;
  out?: (text: string) => void;
}

export interface PlanResult {
  exitCode: number;
  spokes: PlannedSpoke[];
}

/** validate's kustomize build cache under a root, or none. */
export function buildCacheDir(root: string, noCache: boolean | undefined): string | undefined {
  return noCache ? undefined : join(root, CACHE_DIR, "kustomize");
}

/** Whether a layer of these spokes did not build (plan and graph then exit 1). */
export function hasBuildErrors(spokes: readonly PlannedSpoke[]): boolean {
  return spokes.some((spoke) => spoke.layers.some((layer) => layer.error));
}

/** Every spoke, or only the one `--cluster` names: a UsageError listing the spokes when there is none by that name. */
export function selectSpokes(spokes: PlannedSpoke[], cluster: string | undefined): PlannedSpoke[] {
  if (cluster === undefined) return spokes;
  const selected = spokes.filter((spoke) => spoke.name === cluster);
  if (selected.length === 0)
    throw new UsageError(
      `There is no spoke "${cluster}" on the hub: use one of ${spokes.map((spoke) => `"${spoke.name}"`).join(", ") || "none (run pnpm gen)"}.`,
    );
  return selected;
}

/**
 * Prints what Flux applies on each spoke, offline, from the committed files: the layers in reconcile order, where
 * they apply, as whom, and their objects and charts.
 *
 * @example
 * ```ts
 * const { spokes } = await plan({ root: process.cwd(), cluster: "staging", json: true });
 * ```
 */
export async function plan(options: PlanOptions): Promise<PlanResult> {
  const out = options.out ?? ((text: string) => process.stdout.write(text));
  const view = await readFleetView(options.root, { cacheDir: buildCacheDir(options.root, options.noCache) });
  const spokes = selectSpokes(view.spokes, options.cluster);
  out(options.json ? `${JSON.stringify({ spokes }, null, 2)}\n` : formatPlan(spokes));
  return { exitCode: hasBuildErrors(spokes) ? 1 : 0, spokes };
}
