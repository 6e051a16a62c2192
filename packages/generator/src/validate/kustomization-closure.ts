import { createHash } from "node:crypto";
import { posix } from "node:path";
import type { RepositoryTree } from "./repository-tree.ts";
import type { DocumentSource } from "./document-source.ts";

const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/** A directory kustomize can build, and everything its build reads. */
export interface KustomizationDir {
  dir: string;
  /**
   * SHA-256 over every file the build reads, named relative to `dir`: two directories with the same
   * digest build to the same output, whatever their path.
   */
  digest: string;
  /** Files the build reads that are not in the tree (outside deploy/, clusters/, hub/, or missing). */
  missing: string[];
  /** Other kustomization directories its build includes (its bases), which its build proves buildable. */
  includes: string[];
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

interface KustomizationReferences {
  resources?: unknown;
  components?: unknown;
  patches?: unknown;
  patchesStrategicMerge?: unknown;
  configMapGenerator?: unknown;
  secretGenerator?: unknown;
}

function referencedPaths(config: KustomizationReferences): string[] {
  const paths: string[] = [];
  const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);
  paths.push(...strings(config.resources), ...strings(config.components), ...strings(config.patchesStrategicMerge));
  if (Array.isArray(config.patches))
    for (const patch of config.patches as Array<{ path?: unknown }>) if (typeof patch?.path === "string") paths.push(patch.path);
  for (const generator of [config.configMapGenerator, config.secretGenerator]) {
    if (!Array.isArray(generator)) continue;
    for (const entry of generator as Array<{ files?: unknown; envs?: unknown }>) {
      for (const file of [...strings(entry?.files), ...strings(entry?.envs)])
        paths.push(file.includes("=") ? file.slice(file.indexOf("=") + 1) : file);
    }
  }
  return paths.filter((path) => !/^[a-z]+:\/\//.test(path));
}

/**
 * Computes, for each kustomization directory of the tree, the digest of everything its build reads
 * (its kustomization file, the resources, patches and generator files it names, recursively).
 *
 * @example
 * ```ts
 * const dirs = closeKustomizations(tree, createDocumentSource(tree));
 * new Set(dirs.map((d) => d.digest)).size; // how many distinct builds there are
 * ```
 */
export function closeKustomizations(tree: RepositoryTree, documentsOf: DocumentSource): KustomizationDir[] {
  const parsed = new Map<string, KustomizationReferences>();
  const configOf = (file: string): KustomizationReferences => {
    let config = parsed.get(file);
    if (!config) {
      const { documents } = documentsOf(file);
      config = documents[0] ?? {};
      parsed.set(file, config);
    }
    return config;
  };

  return kustomizationDirs(tree).map((dir) => {
    const files = new Map<string, string>();
    const missing: string[] = [];
    const visitDir = (current: string, seen: Set<string>) => {
      if (seen.has(current)) return;
      seen.add(current);
      const file = kustomizationFile(tree, current);
      if (!file) {
        missing.push(`${current}/kustomization.yaml`);
        return;
      }
      files.set(posix.relative(dir, file), tree.get(file) ?? "");
      for (const reference of referencedPaths(configOf(file))) {
        const target = posix.normalize(posix.join(current, reference));
        if (tree.has(target)) files.set(posix.relative(dir, target), tree.get(target) ?? "");
        else if (kustomizationFile(tree, target)) visitDir(target, seen);
        else missing.push(target);
      }
    };
    const visited = new Set<string>();
    visitDir(dir, visited);
    const hash = createHash("sha256");
    for (const [path, content] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) hash.update(`${path}\0${content}\0`);
    visited.delete(dir);
    return { dir, digest: hash.digest("hex"), missing: [...new Set(missing)].sort(), includes: [...visited].sort() };
  });
}
