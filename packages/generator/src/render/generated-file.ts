import { isAbsolute, relative, sep } from "node:path";
import type { DefinitionSite } from "@flux-fleet/models";

/** A file the generator writes: its documents and the fleet file a user edits to change it. */
export interface GeneratedFile {
  /** Relative to the repository root, with `/` separators. */
  path: string;
  documents: Record<string, unknown>[];
  /** The fleet file to edit instead of this file, relative to the root. */
  editIn: string;
  /**
   * For a component that a package defines (the seed's presets), so defined in no fleet file: the package and
   * the component's name, whose overrides in `editIn` change it.
   */
  definedIn?: { package: string; component: string };
}

/** Paths the renderer needs to point users at their fleet files. */
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
