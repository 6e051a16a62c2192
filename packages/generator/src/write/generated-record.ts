import { hash } from "node:crypto";
import { lstat, readFile } from "node:fs/promises";
import { join } from "node:path";
import { isMapping } from "@flux-fleet/schemas";
import { UsageError } from "@flux-fleet/validate";
import { describeOwnedDirs, isOwnedPath, RECORD_FILE } from "./owned-paths.ts";

export { RECORD_FILE };

const RECORD_COMMENT =
  "Written by flux-fleet gen: the files it generated, with their SHA-256, so that it only ever rewrites or removes its own files. Do not edit.";

/** What to tell the user to do about a record that is not what gen writes. */
export const RESTORE_RECORD = `restore it with "git checkout ${RECORD_FILE}" or run "pnpm gen" to write it again`;

/** Generated path → SHA-256 of its content. */
export type GeneratedRecord = ReadonlyMap<string, string>;

export function hashContent(content: string): string {
  return hash("sha256", content);
}

/** What the fleet says of a cluster that its YAML does not show; `validate` reads it. */
export interface RecordedCluster {
  production: boolean;
  pinning: "warn" | "strict";
  kubeconfigSecret: string;
  /** The fleet acknowledges chart ranges on this production cluster (`acknowledge: ["unpinned-charts"]`); absent otherwise. */
  unpinnedAcknowledged?: true;
  /** The hub shard that reconciles the cluster; absent for the main controllers. */
  shard?: string;
  /** The workload-identity ConfigMap the cluster's layers use instead of the kubeconfig Secret. */
  configMap?: string;
}

/** What the fleet says of the hub that validate needs: its shards (recorded only when there are some). */
export interface RecordedHub {
  shards: readonly string[];
}

/** A record as gen wrote it, checked entry by entry. */
export interface ParsedRecord {
  /** Generated path (inside the folders gen owns) → SHA-256 of the content gen wrote. */
  files: Map<string, string>;
  clusters: Map<string, RecordedCluster>;
  /** The CRD files the fleet ships: reference → SHA-256 of the content gen validated with. */
  crds: Map<string, string>;
  /** The hub's shards; undefined without a record (validate then cannot tell which shards have controllers). */
  shards: string[] | undefined;
  /** The fleet file to edit instead of each recorded file; undefined for a file the record does not list. */
  editIn: (path: string) => string | undefined;
}

/**
 * The fleet file of every generated file, stored compactly: a folder (`clusters/`) or file path → the fleet file
 * of everything below it, where the longest entry that covers a path wins. A thousand spokes defined in one
 * file take one entry, not five thousand. Exact: every file gets the value it was given.
 */
export function compressEditIn(files: ReadonlyMap<string, string>): Map<string, string> {
  // A trie of the paths: a file is a leaf with its value; a folder counts the values of the files below it.
  interface Folder {
    children: Map<string, Folder | string>;
    tally: Map<string, number>;
  }
  const root: Folder = { children: new Map(), tally: new Map() };
  for (const [path, editIn] of files) {
    const segments = path.split("/");
    let folder = root;
    for (const segment of segments.slice(0, -1)) {
      folder.tally.set(editIn, (folder.tally.get(editIn) ?? 0) + 1);
      let child = folder.children.get(segment);
      if (typeof child !== "object") folder.children.set(segment, (child = { children: new Map(), tally: new Map() }));
      folder = child;
    }
    folder.tally.set(editIn, (folder.tally.get(editIn) ?? 0) + 1);
    folder.children.set(segments.at(-1)!, editIn);
  }
  // The value most files below a folder share (ties to the first in sort order) covers the folder.
  const majority = (folder: Folder): string => [...folder.tally].sort(([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0))[0]![0];
  const entries = new Map<string, string>();
  const visit = (folder: Folder, prefix: string, inherited: string | undefined): void => {
    for (const [segment, child] of folder.children) {
      if (typeof child === "string") {
        if (child !== inherited) entries.set(prefix + segment, child);
        continue;
      }
      const covering = majority(child);
      if (covering !== inherited) entries.set(`${prefix}${segment}/`, covering);
      visit(child, `${prefix}${segment}/`, covering);
    }
  };
  visit(root, "", undefined);
  return entries;
}

/** The fleet file that {@link compressEditIn}'s entries give a path: its own entry, else its nearest folder's. */
export function editInOf(entries: ReadonlyMap<string, string>, path: string): string | undefined {
  const own = entries.get(path);
  if (own !== undefined) return own;
  for (let end = path.lastIndexOf("/"); end > 0; end = path.lastIndexOf("/", end - 1)) {
    const covering = entries.get(path.slice(0, end + 1));
    if (covering !== undefined) return covering;
  }
  return undefined;
}

function sortedEntries<T>(map: ReadonlyMap<string, T>): Record<string, T> {
  return Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function serializeRecord(
  files: ReadonlyMap<string, string>,
  clusters: ReadonlyMap<string, RecordedCluster> = new Map(),
  crds: ReadonlyMap<string, string> = new Map(),
  hub: RecordedHub = { shards: [] },
  editIn: ReadonlyMap<string, string> = new Map(),
): string {
  // The CRDs the fleet ships (reference → SHA-256) and the hub's shards are recorded only when there are some.
  const shipped = crds.size > 0 ? { crds: sortedEntries(crds) } : {};
  const sharded = hub.shards.length > 0 ? { hub: { shards: [...hub.shards] } } : {};
  const edited = editIn.size > 0 ? { editIn: sortedEntries(compressEditIn(editIn)) } : {};
  return `${JSON.stringify({ comment: RECORD_COMMENT, clusters: sortedEntries(clusters), ...sharded, ...shipped, ...edited, files: sortedEntries(files) }, null, 2)}\n`;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Whether a value is a SHA-256 as gen records it: 64 lowercase hexadecimal digits. */
export function isSha256(value: unknown): value is string {
  return typeof value === "string" && SHA256.test(value);
}

/**
 * Reads a record strictly: the record is data that a pull request can change, so every entry is checked, and a
 * file entry outside the folders gen owns (`README.md`, `../x`, an absolute path) is refused rather than obeyed.
 * `undefined` content (no record yet) is an empty record. Throws a UsageError naming the record and the entry.
 *
 * @example
 * ```ts
 * const { files } = parseRecord(await readRecordFile(root));
 * ```
 */
export function parseRecord(content: string | undefined, remedy: string = RESTORE_RECORD): ParsedRecord {
  if (content === undefined) return { files: new Map(), clusters: new Map(), crds: new Map(), shards: undefined, editIn: () => undefined };
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    throw new UsageError(`${RECORD_FILE} is not valid JSON (${(error as Error).message}): ${remedy}.`, { cause: error });
  }
  const wrong = (field: string, value: unknown, expected: string) =>
    new UsageError(
      `${RECORD_FILE} is not what gen writes: ${field} is ${JSON.stringify(value) ?? String(value)}, not ${expected}; ${remedy}.`,
    );
  if (!isMapping(parsed)) throw wrong("the record", parsed, "an object");
  const {
    clusters = {},
    files = {},
    crds = {},
    hub = {},
    editIn = {},
  } = parsed as { clusters?: unknown; files?: unknown; crds?: unknown; hub?: unknown; editIn?: unknown };

  if (!isMapping(files)) throw wrong("files", files, "an object");
  const outside: string[] = [];
  const recorded = new Map<string, string>();
  for (const [path, hash] of Object.entries(files)) {
    if (!isSha256(hash)) throw wrong(`files["${path}"]`, hash, "a SHA-256 (64 hexadecimal digits)");
    if (isOwnedPath(path)) recorded.set(path, hash);
    else outside.push(path);
  }
  if (outside.length > 0) {
    const listed = outside
      .sort()
      .map((path) => JSON.stringify(path))
      .join(", ");
    throw new UsageError(
      `${RECORD_FILE} lists ${outside.length === 1 ? "a file" : "files"} outside the folders gen owns (${describeOwnedDirs()}): ${listed}; gen never writes or deletes ${outside.length === 1 ? "it" : "them"}, so it stopped and changed nothing; remove ${outside.length === 1 ? "that entry" : "those entries"} or ${remedy}.`,
    );
  }

  if (!isMapping(clusters)) throw wrong("clusters", clusters, "an object");
  const facts = new Map<string, RecordedCluster>();
  for (const [name, value] of Object.entries(clusters)) {
    if (!isMapping(value)) throw wrong(`clusters.${name}`, value, "an object");
    const { production, pinning, kubeconfigSecret, unpinnedAcknowledged, shard, configMap } = value;
    if (typeof production !== "boolean") throw wrong(`clusters.${name}.production`, production, "true or false");
    if (pinning !== "warn" && pinning !== "strict") throw wrong(`clusters.${name}.pinning`, pinning, '"warn" or "strict"');
    if (typeof kubeconfigSecret !== "string" || kubeconfigSecret === "")
      throw wrong(`clusters.${name}.kubeconfigSecret`, kubeconfigSecret, "a Secret name");
    if (unpinnedAcknowledged !== undefined && unpinnedAcknowledged !== true)
      throw wrong(`clusters.${name}.unpinnedAcknowledged`, unpinnedAcknowledged, "true or absent");
    if (shard !== undefined && (typeof shard !== "string" || shard === "")) throw wrong(`clusters.${name}.shard`, shard, "a shard name");
    if (configMap !== undefined && (typeof configMap !== "string" || configMap === ""))
      throw wrong(`clusters.${name}.configMap`, configMap, "a ConfigMap name");
    facts.set(name, {
      production,
      pinning,
      kubeconfigSecret,
      ...(unpinnedAcknowledged ? { unpinnedAcknowledged } : {}),
      ...(shard === undefined ? {} : { shard }),
      ...(configMap === undefined ? {} : { configMap }),
    });
  }

  if (!isMapping(crds)) throw wrong("crds", crds, "an object");
  const shipped = new Map<string, string>();
  for (const [reference, hash] of Object.entries(crds)) {
    if (!isSha256(hash)) throw wrong(`crds["${reference}"]`, hash, "a SHA-256 (64 hexadecimal digits)");
    shipped.set(reference, hash);
  }
  if (!isMapping(hub)) throw wrong("hub", hub, "an object");
  const { shards = [] } = hub;
  if (!Array.isArray(shards) || shards.some((shard) => typeof shard !== "string" || shard === ""))
    throw wrong("hub.shards", shards, "a list of shard names");
  if (!isMapping(editIn)) throw wrong("editIn", editIn, "an object");
  const editEntries = new Map<string, string>();
  for (const [prefix, file] of Object.entries(editIn)) {
    if (typeof file !== "string" || file === "") throw wrong(`editIn["${prefix}"]`, file, "a fleet file");
    editEntries.set(prefix, file);
  }
  return {
    files: recorded,
    clusters: facts,
    crds: shipped,
    shards: shards as string[],
    editIn: (path) => (recorded.has(path) ? editInOf(editEntries, path) : undefined),
  };
}

/**
 * The record's text, or undefined when there is none. A folder, a symbolic link or an unreadable file is a user
 * error: gen reads its record only from the repository itself.
 */
export async function readRecordFile(root: string, remedy: string = RESTORE_RECORD): Promise<string | undefined> {
  const path = join(root, RECORD_FILE);
  try {
    const stat = await lstat(path);
    if (stat.isDirectory()) throw new UsageError(`${RECORD_FILE} is a folder, not the record gen writes: remove it, then ${remedy}.`);
    if (stat.isSymbolicLink())
      throw new UsageError(
        `${RECORD_FILE} is a symbolic link, not the record gen writes: gen never reads or writes through one; remove it, then ${remedy}.`,
      );
    if (!stat.isFile()) throw new UsageError(`${RECORD_FILE} is not a regular file: remove it, then ${remedy}.`);
    return await readFile(path, "utf8");
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    throw new UsageError(`${RECORD_FILE} cannot be read (${code ?? (error as Error).message}): ${remedy}.`, { cause: error });
  }
}
