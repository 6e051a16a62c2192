import type { Cluster, Fleet } from "@flux-fleet/fleet";
import type { Issue } from "@flux-fleet/validate";
import { indexFleet, type FleetIndex } from "../fleet/fleet-index.ts";
import type { GeneratedFile } from "./generated-file.ts";
import type { RenderContext } from "../fleet/locate.ts";
import type { Builds } from "./builds.ts";
import { renderBases } from "./render-bases.ts";
import { renderCluster } from "./render-cluster.ts";
import { renderHubFluxSystem } from "./render-hub.ts";

export interface RenderResult {
  /** Sorted by path. */
  files: GeneratedFile[];
  /** Schema problems of the rendered objects. */
  issues: Issue[];
  /** What the rendering looked up once for the whole fleet (components, namespace owners, each spoke's shard). */
  index: FleetIndex;
  /**
   * What each kustomization directory the renderer wrote (`deploy/<layer>`, `clusters/<cluster>/<layer>`) builds
   * to, by directory: the renderer knows, because it chose every base file and patch in it.
   */
  builds: Builds;
}

/**
 * Renders a checked fleet into the files of the repository, in memory: bases, overlays, hub objects.
 *
 * @example
 * ```ts
 * const { files, issues } = renderFleet(fleet, { root: process.cwd(), entry: "fleet/fleet.ts" });
 * ```
 */
export function renderFleet(fleet: Fleet, context: RenderContext, index: FleetIndex = indexFleet(fleet)): RenderResult {
  const issues: Issue[] = [];
  const builds: Builds = new Map();
  const bases = renderBases(fleet, index, context, issues, builds);
  const files = [
    ...bases.files,
    ...fleet.clusters.flatMap((cluster) =>
      renderCluster(fleet, index, cluster as Cluster, context, { issues, builds, bases: bases.objects }),
    ),
    ...renderHubFluxSystem(fleet, index, context),
  ];
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, issues, index, builds };
}
