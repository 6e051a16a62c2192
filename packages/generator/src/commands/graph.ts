import { formatGraph } from "../plan/format-graph.ts";
import { readFleetView, type PlannedSpoke } from "../plan/spoke-view.ts";
import { replaceFile } from "@flux-fleet/validate";
import { buildCacheDir, hasBuildErrors, selectSpokes } from "./plan.ts";

export interface GraphCommandOptions {
  root: string;
  /** Only this spoke. */
  cluster?: string | undefined;
  /** Write the diagram to this file instead of printing it; a `.md` file gets it in a ```mermaid block. */
  output?: string | undefined;
  /** Rebuild every kustomization instead of reusing validate's cached builds. */
  noCache?: boolean | undefined;
  out?: (text: string) => void;
}

export interface GraphResult {
  exitCode: number;
  /** The Mermaid flowchart. */
  mermaid: string;
  spokes: PlannedSpoke[];
}

/**
 * Draws the fleet as a Mermaid flowchart from the same spoke view as plan: hub → each spoke's namespace → its layers
 * in dependsOn order, with where they apply and as whom; spokes of one shape collapse into one node with a count.
 *
 * @example
 * ```ts
 * const { mermaid } = await graph({ root: process.cwd(), output: "docs/fleet.md" });
 * ```
 */
export async function graph(options: GraphCommandOptions): Promise<GraphResult> {
  const out = options.out ?? ((text: string) => process.stdout.write(text));
  const view = await readFleetView(options.root, { cacheDir: buildCacheDir(options.root, options.noCache) });
  const spokes = selectSpokes(view.spokes, options.cluster);
  const mermaid = formatGraph(spokes);
  if (options.output === undefined) out(mermaid);
  else {
    const content = options.output.endsWith(".md") ? `\`\`\`mermaid\n${mermaid}\`\`\`\n` : mermaid;
    await replaceFile(options.output, content, `${options.output}.${process.pid}.tmp`);
    out(`Wrote the graph of ${spokes.length === 1 ? "1 spoke" : `${spokes.length} spokes`} to ${options.output}.\n`);
  }
  return { exitCode: hasBuildErrors(spokes) ? 1 : 0, mermaid, spokes };
}
