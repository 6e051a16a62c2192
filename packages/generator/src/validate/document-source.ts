import { parseYamlDocuments, type YamlParseProblem } from "../yaml-emitter.ts";
import type { RepositoryTree } from "./repository-tree.ts";

export interface ParsedFile {
  documents: unknown[];
  problems: YamlParseProblem[];
}

/** The parsed documents of a tree's files, each parsed at most once. */
export type DocumentSource = (path: string) => ParsedFile;

const EMPTY: ParsedFile = { documents: [], problems: [] };

/**
 * Parses the tree's files on demand, once each. `known` supplies documents that are already in memory
 * (gen's rendered objects), so they are not parsed back from the text just written.
 *
 * @example
 * ```ts
 * const documentsOf = createDocumentSource(tree);
 * documentsOf("hub/staging.yaml").documents.length; // 5
 * ```
 */
export function createDocumentSource(tree: RepositoryTree, known?: ReadonlyMap<string, readonly unknown[]>): DocumentSource {
  const parsed = new Map<string, ParsedFile>();
  return (path) => {
    let file = parsed.get(path);
    if (!file) {
      const documents = known?.get(path);
      const content = tree.get(path);
      file = documents ? { documents: [...documents], problems: [] } : content === undefined ? EMPTY : parseYamlDocuments(content);
      parsed.set(path, file);
    }
    return file;
  };
}
