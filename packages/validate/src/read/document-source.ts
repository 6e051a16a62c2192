import { createHash } from "node:crypto";
import { parseYamlDocuments, type YamlParseProblem } from "../yaml-emitter.ts";
import type { RepositoryTree } from "./repository-tree.ts";

export interface ParsedFile {
  documents: unknown[];
  problems: YamlParseProblem[];
  /** Set, in bytes, when the file is above {@link MAX_FILE_BYTES} and was not parsed. */
  tooLarge?: number;
}

/**
 * The largest file validate reads (8 MiB): a bundle of many CRDs fits, while the API server refuses any one
 * object above 1 MiB (etcd's request limit is 1.5 MiB), so a larger file cannot be applied as it is anyway.
 */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** The API server's limit for one object (1 MiB), above which validate warns. */
export const MAX_OBJECT_BYTES = 1024 * 1024;

/** `8 MiB`, `50.0 MiB`, `12 KiB`. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024)
    return `${Number.isInteger(bytes / (1024 * 1024)) ? bytes / (1024 * 1024) : (bytes / (1024 * 1024)).toFixed(1)} MiB`;
  return `${Math.ceil(bytes / 1024)} KiB`;
}

/** The parsed documents of a tree's files, each parsed at most once. */
export type DocumentSource = (path: string) => ParsedFile;

const EMPTY: ParsedFile = { documents: [], problems: [] };

/**
 * Parsed files by the SHA-256 of their content, shared between document sources of trees that hold many of the
 * same files (diff's two revisions), and kept between validate runs (see parse-store.ts).
 */
export type ParseCache = Map<string, ParsedFile>;

/** The key of a content in a {@link ParseCache}. */
export function contentKey(content: string): string {
  return createHash("sha256").update(content).digest("hex");
}

/**
 * Parses the tree's files on demand, once each. `known` supplies documents that are already in memory
 * (gen's rendered objects), so they are not parsed back from the text just written; `shared` lets two trees
 * (diff's two revisions) parse a content they both hold once. Parsed documents are read, never modified.
 *
 * @example
 * ```ts
 * const documentsOf = createDocumentSource(tree);
 * documentsOf("hub/staging.yaml").documents.length; // 5
 * ```
 */
export function createDocumentSource(
  tree: RepositoryTree,
  known?: ReadonlyMap<string, readonly unknown[]>,
  shared?: ParseCache,
): DocumentSource {
  const parsed = new Map<string, ParsedFile>();
  return (path) => {
    let file = parsed.get(path);
    if (!file) {
      const documents = known?.get(path);
      const content = tree.get(path);
      const size = content === undefined ? 0 : Buffer.byteLength(content);
      file = documents
        ? { documents: [...documents], problems: [] }
        : content === undefined
          ? EMPTY
          : size > MAX_FILE_BYTES
            ? { documents: [], problems: [], tooLarge: size }
            : parseShared(content, shared);
      parsed.set(path, file);
    }
    return file;
  };
}

function parseShared(content: string, shared: ParseCache | undefined): ParsedFile {
  if (!shared) return parseYamlDocuments(content);
  const key = contentKey(content);
  let file = shared.get(key);
  if (!file) {
    file = parseYamlDocuments(content);
    shared.set(key, file);
  }
  return file;
}
