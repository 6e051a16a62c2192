import { readdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import type { JsonSchema } from "./strict-schema.ts";

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
}

/** The vendored current Flux CRDs (`crds/`). */
export const CURRENT_CRDS_DIRECTORY = new URL("../crds/", import.meta.url);
/** The vendored CRDs of Flux v2.4.0 (`crds/legacy-flux-v2.4.0/`), which still served the beta API versions. */
export const LEGACY_CRDS_DIRECTORY = new URL("../crds/legacy-flux-v2.4.0/", import.meta.url);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function toEntry(document: unknown, file: string): CrdEntry | undefined {
  if (!isObject(document) || document.kind !== "CustomResourceDefinition" || !isObject(document.spec)) return undefined;
  const { group, names, scope, versions } = document.spec;
  if (typeof group !== "string" || !isObject(names) || typeof names.kind !== "string" || !Array.isArray(versions)) {
    throw new Error(
      `${file} is not a CustomResourceDefinition this package can read: spec.group, spec.names.kind or spec.versions is missing`,
    );
  }
  return {
    group,
    kind: names.kind,
    namespaced: scope === "Namespaced",
    file,
    versions: versions.filter(isObject).map((version) => {
      const schema = isObject(version.schema) ? version.schema.openAPIV3Schema : undefined;
      return {
        name: String(version.name),
        served: version.served === true,
        storage: version.storage === true,
        deprecated: version.deprecated === true,
        schema: isObject(schema) ? schema : undefined,
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

function indexText(text: string, file: string): CrdEntry | undefined {
  const group = HEADER.group.exec(text)?.[1];
  const kind = HEADER.kind.exec(text)?.[1];
  const scope = HEADER.scope.exec(text)?.[1];
  if (group === undefined || kind === undefined || scope === undefined) return toEntry(parse(text), file);
  let versions: CrdVersion[] | undefined;
  return {
    group,
    kind,
    namespaced: scope === "Namespaced",
    file,
    get versions(): CrdVersion[] {
      versions ??= toEntry(parse(text), file)?.versions ?? [];
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
  const entries: CrdEntry[] = [];
  const files = readdirSync(directory)
    .filter((name) => name.endsWith(".yaml"))
    .sort();
  for (const name of files) {
    const entry = indexFile(directory, name);
    if (entry !== undefined) entries.push(entry);
  }
  return toCatalog(entries);
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
  for (const { file, text } of files) {
    const entry = indexText(text, file);
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

/** The vendored CRDs of third-party charts (`third-party-crds/<project>/<version>/`). */
export const THIRD_PARTY_CRDS_DIRECTORY = new URL("../third-party-crds/", import.meta.url);

let thirdParty: CrdCatalog | undefined;

/**
 * Every vendored third-party CRD (all projects and versions), indexed on first use: only their scopes are read from
 * here. A fleet validates against the files its components name, not against this catalog.
 *
 * @example
 * ```ts
 * thirdPartyCrds().find("cert-manager.io", "ClusterIssuer")?.namespaced; // false
 * ```
 */
export function thirdPartyCrds(): CrdCatalog {
  if (thirdParty === undefined) {
    const entries: CrdEntry[] = [];
    for (const project of readdirSync(THIRD_PARTY_CRDS_DIRECTORY, { withFileTypes: true }).filter((e) => e.isDirectory())) {
      const projectDir = new URL(`${project.name}/`, THIRD_PARTY_CRDS_DIRECTORY);
      for (const version of readdirSync(projectDir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
        entries.push(...loadCrdCatalog(new URL(`${version.name}/`, projectDir)).entries);
      }
    }
    thirdParty = toCatalog(entries);
  }
  return thirdParty;
}

let current: CrdCatalog | undefined;
let legacy: CrdCatalog | undefined;

/**
 * The vendored current Flux CRDs, parsed on first use and then shared.
 *
 * @example
 * ```ts
 * currentFluxCrds().find("kustomize.toolkit.fluxcd.io", "Kustomization")?.namespaced; // true
 * ```
 */
export function currentFluxCrds(): CrdCatalog {
  current ??= loadCrdCatalog(CURRENT_CRDS_DIRECTORY);
  return current;
}

/**
 * The vendored Flux v2.4.0 CRDs, parsed on first use (only needed to explain removed API versions).
 *
 * @example
 * ```ts
 * legacyFluxCrds().find("helm.toolkit.fluxcd.io", "HelmRelease")?.versions.map((v) => v.name); // ["v2", "v2beta1", "v2beta2"]
 * ```
 */
export function legacyFluxCrds(): CrdCatalog {
  legacy ??= loadCrdCatalog(LEGACY_CRDS_DIRECTORY);
  return legacy;
}
