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
