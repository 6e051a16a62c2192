import { isAbsolute, relative, sep } from "node:path";
import type { DefinitionSite } from "@flux-fleet/models";

/** Paths the checks and the renderer need to point users at their fleet files. */
export interface RenderContext {
  root: string;
  /** The fleet entry file, relative to the root (`fleet/fleet.ts`). */
  entry: string;
}

/**
 * A definition site as a root-relative file and line. Objects defined inside a package (the seed's presets)
 * point at the fleet entry, which is where a user changes or replaces them.
 */
export function locate(context: RenderContext, site: DefinitionSite | undefined): { file: string; line?: number } {
  if (!site) return { file: context.entry };
  const path = relative(context.root, site.file);
  if (path.startsWith("..") || isAbsolute(path)) return { file: context.entry };
  return { file: path.split(sep).join("/"), line: site.line };
}
