import { createHash } from "node:crypto";
import { readFileSync, realpathSync, statSync } from "node:fs";
import { join, posix, sep } from "node:path";
import { isMapping } from "@flux-fleet/schemas";
import { createDocumentSource, MAX_FILE_BYTES, formatSize, type DocumentSource, type ParseCache } from "./document-source.ts";
import type { RepositoryTree } from "./repository-tree.ts";

const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/** A reason kustomize must not build a directory: a remote or outside reference, named with its entry. */
export interface Refusal {
  /** The kustomization file that holds the entry, relative to the root. */
  file: string;
  /** The field and entry, as `resources[0]`. */
  field: string;
  message: string;
}

/** A directory kustomize can build, and everything its build reads. */
export interface KustomizationDir {
  dir: string;
  /**
   * SHA-256 over every file the build reads, named relative to `dir`: two directories with the same
   * digest build to the same output, whatever their path.
   */
  digest: string;
  /** Files the build names that do not exist (kustomize reports them). */
  missing: string[];
  /** Other kustomization directories its build includes (its bases), which its build proves buildable. */
  includes: string[];
  /** Entries that make the build reach the network or outside the repository: kustomize is not run. */
  refusals: Refusal[];
  /** Inputs too large to read or that do not parse as YAML (reported on their own): kustomize is not run. */
  readonly unreadable: string[];
}

export function kustomizationFile(tree: RepositoryTree, dir: string): string | undefined {
  return KUSTOMIZATION_FILES.map((name) => `${dir}/${name}`).find((path) => tree.has(path));
}

/** The directories of a tree that hold a kustomization file. */
export function kustomizationDirs(tree: RepositoryTree): string[] {
  const dirs = new Set<string>();
  for (const path of tree.keys()) if (KUSTOMIZATION_FILES.includes(posix.basename(path))) dirs.add(posix.dirname(path));
  return [...dirs].sort();
}

/**
 * What an entry names: `base` (resources, components, bases: a file or a kustomization directory, which
 * kustomize fetches with git when it is no local path), `file` (read as a file, over HTTP when it is a URL),
 * `yaml` (a file kustomize parses as objects or a patch), `dir` (a local folder).
 */
type ReferenceKind = "base" | "file" | "yaml" | "dir";

interface Reference {
  field: string;
  path: string;
  kind: ReferenceKind;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);
const entries = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value.filter(isMapping) : []);

/** Every path a kustomization names, with the field it is in. */
function referencesOf(config: Record<string, unknown>): Reference[] {
  const references: Reference[] = [];
  const add = (field: string, value: unknown, kind: ReferenceKind) => {
    // A string with a line break is an inline patch or plugin configuration, not a path.
    if (typeof value === "string" && value !== "" && !value.includes("\n")) references.push({ field, path: value, kind });
  };
  for (const field of ["resources", "components", "bases"])
    strings(config[field]).forEach((path, i) => add(`${field}[${i}]`, path, "base"));
  for (const field of ["patchesStrategicMerge", "crds"]) strings(config[field]).forEach((path, i) => add(`${field}[${i}]`, path, "yaml"));
  for (const field of ["configurations", "transformers", "generators", "validators"])
    strings(config[field]).forEach((path, i) => add(`${field}[${i}]`, path, "yaml"));
  for (const field of ["patches", "patchesJson6902", "replacements"])
    entries(config[field]).forEach((entry, i) => add(`${field}[${i}].path`, entry["path"], "yaml"));
  for (const field of ["configMapGenerator", "secretGenerator"]) {
    entries(config[field]).forEach((entry, i) => {
      strings(entry["files"]).forEach((file, j) => add(`${field}[${i}].files[${j}]`, file.slice(file.indexOf("=") + 1), "file"));
      strings(entry["envs"]).forEach((file, j) => add(`${field}[${i}].envs[${j}]`, file, "file"));
      add(`${field}[${i}].env`, entry["env"], "file");
    });
  }
  entries(config["helmCharts"]).forEach((chart, i) => {
    add(`helmCharts[${i}].valuesFile`, chart["valuesFile"], "file");
    strings(chart["additionalValuesFiles"]).forEach((file, j) => add(`helmCharts[${i}].additionalValuesFiles[${j}]`, file, "file"));
  });
  if (isMapping(config["helmGlobals"])) add("helmGlobals.chartHome", config["helmGlobals"]["chartHome"], "dir");
  if (isMapping(config["openapi"])) add("openapi.path", config["openapi"]["path"], "yaml");
  return references;
}

// What kustomize's loaders treat as remote: any URL scheme (http, https, ssh, file, oci, git), go-getter's
// `git::` prefix, an scp-like `user@host:path`, a query such as `?ref=`, or a `//` subdirectory marker.
const REMOTE = /^[a-z][a-z0-9+.-]*:\/\/|^[a-z0-9+.-]+::|^[\w.-]+@[\w.-]+:|\?|\/\//i;

function looksRemote(path: string): boolean {
  return REMOTE.test(path);
}

type Entry =
  | { kind: "file"; bytes: Buffer }
  | { kind: "dir" }
  | { kind: "missing" }
  | { kind: "outside"; real: string }
  | { kind: "large"; size: number };

/**
 * Reads the files a repository's kustomizations reach, from the tree when it has them, else from disk, and
 * only inside the repository: every path is resolved with `realpath` and must stay under the root.
 */
function createRepositoryReader(root: string, files: Map<string, string>) {
  const rootReal = realpathSync(root);
  const inside = (real: string) => real === rootReal || real.startsWith(rootReal + sep);
  const cache = new Map<string, Entry>();
  const inspect = (path: string): Entry => {
    let real: string;
    try {
      real = realpathSync(join(root, path));
    } catch {
      return { kind: "missing" };
    }
    if (!inside(real)) return { kind: "outside", real };
    const stats = statSync(real);
    if (stats.isDirectory()) return { kind: "dir" };
    if (stats.size > MAX_FILE_BYTES) return { kind: "large", size: stats.size };
    const text = files.get(path);
    const bytes = text !== undefined ? Buffer.from(text) : readFileSync(real);
    if (text === undefined) files.set(path, bytes.toString("utf8"));
    return { kind: "file", bytes };
  };
  const read = (path: string): Entry => {
    let entry = cache.get(path);
    if (!entry) cache.set(path, (entry = inspect(path)));
    return entry;
  };
  const kustomizationIn = (dir: string): string | undefined =>
    KUSTOMIZATION_FILES.map((name) => `${dir}/${name}`).find((path) => read(path).kind !== "missing");
  return { read, kustomizationIn };
}

function refusalOf(reference: Reference, target: string, entry: Entry): string | undefined {
  const quoted = `"${reference.path}"`;
  if (looksRemote(reference.path) && (reference.kind !== "base" || entry.kind === "missing")) {
    return `${quoted} is a remote ${reference.kind === "base" ? "base" : "file"}: validate builds offline, as Flux's kustomize-controller does with --no-remote-bases; vendor it into the repository and reference the local copy.`;
  }
  if (posix.isAbsolute(reference.path))
    return `${quoted} is an absolute path: Flux's kustomize-controller reads only inside the repository; reference a file in the repository with a relative path.`;
  if (target === ".." || target.startsWith("../"))
    return `${quoted} points outside the repository: Flux's kustomize-controller cannot read it; move what it names into the repository.`;
  if (entry.kind === "outside")
    return `${quoted} leads outside the repository through a symbolic link: Flux's kustomize-controller cannot read it; replace the link with the files.`;
  if (entry.kind === "large")
    return `${quoted} is ${formatSize(entry.size)}, above the ${formatSize(MAX_FILE_BYTES)} validate reads from one file: the API server refuses objects above 1 MiB; split it or keep the data elsewhere.`;
  if (reference.kind === "base" && entry.kind === "missing")
    return `${quoted} does not exist in the repository: kustomize would try to fetch it as a remote base; fix the path.`;
  return undefined;
}

/**
 * Computes, for each kustomization directory of the tree, everything its build reads (its kustomization
 * file, and recursively the resources, components, patches, generator files and other paths it names),
 * and refuses what Flux's kustomize-controller could never read: remote bases and files (http(s), git,
 * ssh, OCI), absolute paths, and paths that leave the repository, also through a symbolic link. Files
 * outside the tree (and inside the repository) that a build reads are added to `files`, so that they are
 * checked and hashed as the tree's are. Runs no process and touches no network.
 *
 * @example
 * ```ts
 * const files = new Map(tree);
 * const dirs = closeKustomizations(root, files, createDocumentSource(files));
 * new Set(dirs.map((d) => d.digest)).size; // how many distinct builds there are
 * ```
 */
export function closeKustomizations(root: string, files: Map<string, string>, documentsOf: DocumentSource): KustomizationDir[] {
  const reader = createRepositoryReader(root, files);
  const configOf = (file: string): Record<string, unknown> => {
    const [config] = documentsOf(file).documents;
    return isMapping(config) ? config : {};
  };

  return kustomizationDirs(files).map((dir) => {
    const inputs = new Map<string, Buffer>();
    const missing: string[] = [];
    const refusals: Refusal[] = [];
    const unreadable = new Set<string>();
    const parsedInputs = new Set<string>();
    const visitDir = (current: string, seen: Set<string>) => {
      if (seen.has(current)) return;
      seen.add(current);
      const file = reader.kustomizationIn(current);
      if (!file) {
        missing.push(`${current}/kustomization.yaml`);
        return;
      }
      const kustomization = reader.read(file);
      if (kustomization.kind === "outside")
        refusals.push({
          file,
          field: "",
          message: `${file} leads outside the repository through a symbolic link: Flux's kustomize-controller cannot read it; replace the link with the files.`,
        });
      if (kustomization.kind !== "file") return;
      inputs.set(posix.relative(dir, file), kustomization.bytes);
      if (documentsOf(file).problems.length > 0) unreadable.add(file);
      for (const reference of referencesOf(configOf(file))) {
        const target = posix.normalize(posix.join(current, reference.path));
        const escapes = posix.isAbsolute(reference.path) || target === ".." || target.startsWith("../");
        const entry: Entry = escapes || looksRemote(reference.path) ? { kind: "missing" } : reader.read(target);
        const refusal = refusalOf(reference, target, entry);
        if (refusal) refusals.push({ file, field: reference.field, message: refusal });
        else if (entry.kind === "file") {
          inputs.set(posix.relative(dir, target), entry.bytes);
          // Parsed only when the build is about to run (see `unreadable` below), not for the cache key.
          if (reference.kind !== "file") parsedInputs.add(target);
        } else if (entry.kind === "dir" && reference.kind === "base") visitDir(target, seen);
        else if (entry.kind === "missing") missing.push(target);
      }
    };
    const visited = new Set<string>();
    visitDir(dir, visited);
    const hash = createHash("sha256");
    for (const [path, content] of [...inputs].sort(([a], [b]) => (a < b ? -1 : 1))) hash.update(`${path}\0`).update(content).update("\0");
    visited.delete(dir);
    return {
      dir,
      digest: hash.digest("hex"),
      missing: [...new Set(missing)].sort(),
      includes: [...visited].sort(),
      refusals,
      // A warm validate only needs the digests: the resources are parsed when a build (or validate) needs them.
      get unreadable() {
        for (const target of parsedInputs) {
          const parsed = documentsOf(target);
          if (parsed.problems.length > 0 || parsed.tooLarge !== undefined) unreadable.add(target);
        }
        parsedInputs.clear();
        return [...unreadable].sort();
      },
    };
  });
}

/** Every file validate reads (the tree, and files outside it that a kustomization reads), and each build's closure. */
export interface KustomizationInputs {
  files: ReadonlyMap<string, string>;
  closures: KustomizationDir[];
  documentsOf: DocumentSource;
}

/**
 * Resolves everything the tree's kustomizations read, refusing remote and outside references (see
 * {@link closeKustomizations}); the result is validate's input and, with the closures' digests, its cache key.
 *
 * @example
 * ```ts
 * const inputs = readKustomizationInputs(root, await readRepositoryTree(root));
 * ```
 */
export function readKustomizationInputs(root: string, tree: RepositoryTree, parseCache?: ParseCache): KustomizationInputs {
  const files = new Map(tree);
  const documentsOf = createDocumentSource(files, undefined, parseCache);
  return { files, closures: closeKustomizations(root, files, documentsOf), documentsOf };
}
