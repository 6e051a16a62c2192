import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import type { JsonSchema } from "./strict-schema.ts";
import { isMapping } from "./mapping.ts";

/** One version of a CRD as the Kubernetes API server sees it. */
export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated: boolean;
  schema: JsonSchema | undefined;
}

/** The parts of a CustomResourceDefinition that validation and scope checks need. */
export interface CrdEntry {
  group: string;
  kind: string;
  namespaced: boolean;
  /** Parsed on first access. */
  readonly versions: CrdVersion[];
  file: string;
  /** SHA-256 of the CRD file's text: names its precompiled validators (`compiled/validators.js`). */
  sha256: string;
}

/** The CRDs of one folder, looked up by group and kind. */
export interface CrdCatalog {
  /** The CRD of `group`/`kind`, or `undefined`. */
  find(group: string, kind: string): CrdEntry | undefined;
  /** Whether any CRD of the catalog belongs to `group`. */
  hasGroup(group: string): boolean;
  /** Every CRD of the catalog, in file order. */
  entries: readonly CrdEntry[];
}

/**
 * A CRD file's content, with the name it is reported under.
 *
 * @example
 * ```ts
 * const crd: CrdText = { file: "fleet/crds/widgets.yaml", text: readFileSync("fleet/crds/widgets.yaml", "utf8") };
 * ```
 */
export interface CrdText {
  file: string;
  text: string;
  /** SHA-256 of `text` when the reader already computed it ({@link readCrdFiles} does); computed here otherwise. */
  sha256?: string;
}

/** The vendored current Flux CRDs (`crds/`). */
export const CURRENT_CRDS_DIRECTORY = new URL("../crds/", import.meta.url);
/** The vendored CRDs of Flux v2.4.0 (`crds/legacy-flux-v2.4.0/`), which still served the beta API versions. */
export const LEGACY_CRDS_DIRECTORY = new URL("../crds/legacy-flux-v2.4.0/", import.meta.url);
/** The vendored CRDs of third-party charts (`third-party-crds/<project>/<version>/`). */
export const THIRD_PARTY_CRDS_DIRECTORY = new URL("../third-party-crds/", import.meta.url);

function toEntry(document: unknown, file: string, sha256: string): CrdEntry | undefined {
  if (!isMapping(document) || document.kind !== "CustomResourceDefinition" || !isMapping(document.spec)) return undefined;
  const { group, names, scope, versions } = document.spec;
  if (typeof group !== "string" || !isMapping(names) || typeof names.kind !== "string" || !Array.isArray(versions)) {
    throw new Error(
      `${file} is not a CustomResourceDefinition this package can read: spec.group, spec.names.kind or spec.versions is missing`,
    );
  }
  return {
    group,
    kind: names.kind,
    namespaced: scope === "Namespaced",
    file,
    sha256,
    versions: versions.filter(isMapping).map((version) => {
      const schema = isMapping(version.schema) ? version.schema.openAPIV3Schema : undefined;
      return {
        name: String(version.name),
        served: version.served === true,
        storage: version.storage === true,
        deprecated: version.deprecated === true,
        schema: isMapping(schema) ? schema : undefined,
      };
    }),
  };
}

const HEADER = {
  group: /^ {2}group: ([\w.-]+)$/m,
  kind: /^ {4}kind: (\w+)$/m,
  scope: /^ {2}scope: (\w+)$/m,
};

/**
 * Indexes a CRD file by group, kind and scope without parsing it: controller-gen writes these at fixed indents.
 * The versions (the bulk of the file) are parsed on first access. Files laid out differently are parsed at once.
 */
function indexFile(directory: URL, file: string): CrdEntry | undefined {
  return indexText(readFileSync(new URL(file, directory), "utf8"), file);
}

/** SHA-256 of a CRD file's text, as CRD entries, shipped CRD files and the precompiled validators name it. */
export function sha256Of(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function indexText(text: string, file: string, known?: ReadonlyMap<string, IndexedCrd>, digest?: string): CrdEntry | undefined {
  const sha256 = digest ?? sha256Of(text);
  // A vendored CRD (a component ships cert-manager's, say) is read from its JSON index, not parsed again.
  const indexed = known?.get(sha256);
  if (indexed !== undefined) return { ...indexed, file };
  const group = HEADER.group.exec(text)?.[1];
  const kind = HEADER.kind.exec(text)?.[1];
  const scope = HEADER.scope.exec(text)?.[1];
  if (group === undefined || kind === undefined || scope === undefined) return toEntry(parse(text), file, sha256);
  let versions: CrdVersion[] | undefined;
  return {
    group,
    kind,
    namespaced: scope === "Namespaced",
    file,
    sha256,
    get versions(): CrdVersion[] {
      versions ??= toEntry(parse(text), file, sha256)?.versions ?? [];
      return versions;
    },
  };
}

/**
 * Indexes every `*.yaml` CRD of a folder (not its subfolders). A CRD's versions and schemas are parsed only when
 * first asked for, so looking up one kind costs one file's parse.
 *
 * @example
 * ```ts
 * const catalog = loadCrdCatalog(CURRENT_CRDS_DIRECTORY);
 * catalog.find("helm.toolkit.fluxcd.io", "HelmRelease")?.versions.map((v) => v.name); // ["v2"]
 * ```
 */
export function loadCrdCatalog(directory: URL): CrdCatalog {
  return toCatalog(indexCrdFolder(directory));
}

function indexCrdFolder(directory: URL): CrdEntry[] {
  const entries: CrdEntry[] = [];
  const files = readdirSync(directory)
    .filter((name) => name.endsWith(".yaml"))
    .sort();
  for (const name of files) {
    const entry = indexFile(directory, name);
    if (entry !== undefined) entries.push(entry);
  }
  return entries;
}

/** A CRD as a JSON index holds it: every field of {@link CrdEntry}, versions parsed. */
export type IndexedCrd = Omit<CrdEntry, "versions"> & { versions: CrdVersion[] };

/** The content of a `crd-index/*.json` file: the CRDs of vendored folders, parsed once from their YAML. */
export interface CrdIndex {
  comment: string;
  crds: IndexedCrd[];
}

const CRD_INDEX_COMMENT =
  "Written by `pnpm --filter @flux-fleet/schemas index-crds` from the vendored CRD YAML beside it (the source of truth, checked against SHA256SUMS); JSON so that validation does not parse YAML at run time. Do not edit.";

/** The JSON index files of the vendored CRD folders (`crd-index/`). */
export const CRD_INDEX_FILES = {
  current: new URL("../crd-index/flux-current.json", import.meta.url),
  legacy: new URL("../crd-index/flux-v2.4.0.json", import.meta.url),
  "third-party": new URL("../crd-index/third-party.json", import.meta.url),
} as const;

/** One of the vendored CRD sets that has a JSON index. */
export type VendoredCrdSet = keyof typeof CRD_INDEX_FILES;

/** Every `<project>/<version>/*.yaml` under `third-party-crds/`, named by that relative path. */
function indexThirdPartyFolders(): CrdEntry[] {
  const entries: CrdEntry[] = [];
  const dirs = (url: URL) =>
    readdirSync(url, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  for (const project of dirs(THIRD_PARTY_CRDS_DIRECTORY)) {
    const projectDir = new URL(`${project}/`, THIRD_PARTY_CRDS_DIRECTORY);
    for (const version of dirs(projectDir)) {
      for (const entry of indexCrdFolder(new URL(`${version}/`, projectDir)))
        entries.push({ ...entry, file: `${project}/${version}/${entry.file}` });
    }
  }
  return entries;
}

/**
 * The JSON index of a vendored CRD set, as `scripts/index-crds.ts` writes it (and a test compares with the
 * committed file): every CRD's file, group, kind, scope, SHA-256 and versions with their schemas, in file order.
 *
 * @example
 * ```ts
 * const json = serializeCrdIndex("current");
 * (JSON.parse(json) as CrdIndex).crds.length; // 15
 * ```
 */
export function serializeCrdIndex(set: VendoredCrdSet): string {
  const entries =
    set === "third-party" ? indexThirdPartyFolders() : indexCrdFolder(set === "current" ? CURRENT_CRDS_DIRECTORY : LEGACY_CRDS_DIRECTORY);
  const crds = entries.map(({ file, group, kind, namespaced, sha256, versions }) => ({ file, group, kind, namespaced, sha256, versions }));
  return `${JSON.stringify({ comment: CRD_INDEX_COMMENT, crds } satisfies CrdIndex)}\n`;
}

const indexes = new Map<VendoredCrdSet, CrdCatalog>();

/** A vendored CRD set, read from its JSON index on first use and then shared. */
function vendoredCrds(set: VendoredCrdSet): CrdCatalog {
  let catalog = indexes.get(set);
  if (catalog === undefined) {
    catalog = toCatalog((JSON.parse(readFileSync(CRD_INDEX_FILES[set], "utf8")) as CrdIndex).crds);
    indexes.set(set, catalog);
  }
  return catalog;
}

/**
 * Indexes CRDs given as text (a fleet's or a component's own CRD files): one CRD per file, as
 * {@link loadCrdCatalog} reads a folder. A file that holds no CustomResourceDefinition is an error naming it.
 *
 * @example
 * ```ts
 * const catalog = crdCatalogOf([{ file: "crds/clusterissuers.yaml", text }]);
 * catalog.find("cert-manager.io", "ClusterIssuer")?.namespaced; // false
 * ```
 */
export function crdCatalogOf(files: readonly CrdText[]): CrdCatalog {
  const entries: CrdEntry[] = [];
  const known = new Map(thirdPartyCrds().entries.map((entry) => [entry.sha256, entry as IndexedCrd]));
  for (const { file, text, sha256 } of files) {
    const entry = indexText(text, file, known, sha256);
    if (entry === undefined) throw new Error(`${file} is not a CustomResourceDefinition: a CRD file must hold one CRD`);
    entries.push(entry);
  }
  return toCatalog(entries);
}

function toCatalog(entries: CrdEntry[]): CrdCatalog {
  const byKey = new Map(entries.map((entry) => [`${entry.group}/${entry.kind}`, entry]));
  const groups = new Set(entries.map((entry) => entry.group));
  return {
    entries,
    find: (group, kind) => byKey.get(`${group}/${kind}`),
    hasGroup: (group) => groups.has(group),
  };
}

/**
 * Every vendored third-party CRD (all projects and versions), read from its JSON index on first use. A fleet
 * validates against the files its components name; this catalog gives their scopes, and the parsed schemas of
 * the files that are vendored copies.
 *
 * @example
 * ```ts
 * thirdPartyCrds().find("cert-manager.io", "ClusterIssuer")?.namespaced; // false
 * ```
 */
export function thirdPartyCrds(): CrdCatalog {
  return vendoredCrds("third-party");
}

/**
 * The vendored current Flux CRDs, read from their JSON index on first use and then shared.
 *
 * @example
 * ```ts
 * currentFluxCrds().find("kustomize.toolkit.fluxcd.io", "Kustomization")?.namespaced; // true
 * ```
 */
export function currentFluxCrds(): CrdCatalog {
  return vendoredCrds("current");
}

/**
 * The vendored Flux v2.4.0 CRDs, read from their JSON index on first use (only needed to explain removed API versions).
 *
 * @example
 * ```ts
 * legacyFluxCrds().find("helm.toolkit.fluxcd.io", "HelmRelease")?.versions.map((v) => v.name); // ["v2", "v2beta1", "v2beta2"]
 * ```
 */
export function legacyFluxCrds(): CrdCatalog {
  return vendoredCrds("legacy");
}
