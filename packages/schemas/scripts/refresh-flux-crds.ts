/**
 * Replaces the vendored current Flux CRDs (`crds/*.yaml`) with those of a Flux release and regenerates
 * `crds/SHA256SUMS` (the `legacy-flux-*` folders are kept and re-hashed).
 *
 * Usage (from packages/schemas): `node scripts/refresh-flux-crds.ts --flux-version v2.9.4 [--dry-run]`
 *
 * 1. fluxcd/flux2 `manifests/bases/<controller>/kustomization.yaml` at the Flux tag names each controller's
 *    release (`https://github.com/fluxcd/<controller>/releases/download/<version>/…`).
 * 2. The controller's `config/crd/kustomization.yaml` at that release lists its CRD files (`bases/*.yaml`).
 * 3. Each listed file is downloaded from raw.githubusercontent.com and written to `crds/` unmodified.
 *
 * `--dry-run` prints the URLs in the order they would be fetched, without fetching; versions and file names that
 * only a fetch can tell are shown as `<…>` placeholders. After a real run, update the tables in `crds/README.md`
 * from the printed summary and rerun the tests.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parse } from "yaml";

/** The Flux controllers whose CRDs are vendored, in the order they are fetched. */
export const FLUX_CONTROLLERS = [
  "source-controller",
  "kustomize-controller",
  "helm-controller",
  "notification-controller",
  "image-reflector-controller",
  "image-automation-controller",
  "source-watcher",
] as const;

/** One of {@link FLUX_CONTROLLERS}. */
export type FluxController = (typeof FLUX_CONTROLLERS)[number];

/** Controllers that older Flux releases do not ship; a missing kustomization for them is not an error. */
const OPTIONAL_CONTROLLERS: ReadonlySet<FluxController> = new Set(["source-watcher"]);

const RAW = "https://raw.githubusercontent.com/fluxcd";

/**
 * The URL of a controller's kustomization in fluxcd/flux2 at a Flux tag.
 *
 * @example
 * ```ts
 * controllerKustomizationUrl("v2.9.4", "helm-controller");
 * // "https://raw.githubusercontent.com/fluxcd/flux2/v2.9.4/manifests/bases/helm-controller/kustomization.yaml"
 * ```
 */
export function controllerKustomizationUrl(fluxVersion: string, controller: FluxController): string {
  return `${RAW}/flux2/${fluxVersion}/manifests/bases/${controller}/kustomization.yaml`;
}

/**
 * The URL of the kustomization that lists a controller's CRD files at a controller release.
 *
 * @example
 * ```ts
 * crdListUrl("helm-controller", "v1.6.3");
 * // "https://raw.githubusercontent.com/fluxcd/helm-controller/v1.6.3/config/crd/kustomization.yaml"
 * ```
 */
export function crdListUrl(controller: FluxController, version: string): string {
  return `${RAW}/${controller}/${version}/config/crd/kustomization.yaml`;
}

/**
 * The URL of one CRD file of a controller release, `resource` as listed in `config/crd/kustomization.yaml`.
 *
 * @example
 * ```ts
 * crdFileUrl("helm-controller", "v1.6.3", "bases/helm.toolkit.fluxcd.io_helmreleases.yaml");
 * // "https://raw.githubusercontent.com/fluxcd/helm-controller/v1.6.3/config/crd/bases/helm.toolkit.fluxcd.io_helmreleases.yaml"
 * ```
 */
export function crdFileUrl(controller: FluxController, version: string, resource: string): string {
  return `${RAW}/${controller}/${version}/config/crd/${resource}`;
}

/** What is already known about a refresh: controller versions (step 1) and CRD files (step 2). */
export interface RefreshKnowledge {
  versions?: Partial<Record<FluxController, string>>;
  resources?: Partial<Record<FluxController, readonly string[]>>;
}

/**
 * The URLs a refresh fetches, in order: the seven controller kustomizations, then each controller's CRD list, then
 * its CRD files. What is not known yet is a `<…>` placeholder, so `refreshUrls(v)` is the dry run's output.
 *
 * @example
 * ```ts
 * refreshUrls("v2.9.4")[7];
 * // "https://raw.githubusercontent.com/fluxcd/source-controller/<source-controller version>/config/crd/kustomization.yaml"
 * ```
 */
export function refreshUrls(fluxVersion: string, known: RefreshKnowledge = {}): string[] {
  const version = (controller: FluxController): string => known.versions?.[controller] ?? `<${controller} version>`;
  return [
    ...FLUX_CONTROLLERS.map((controller) => controllerKustomizationUrl(fluxVersion, controller)),
    ...FLUX_CONTROLLERS.map((controller) => crdListUrl(controller, version(controller))),
    ...FLUX_CONTROLLERS.flatMap((controller) =>
      (known.resources?.[controller] ?? ["<each file listed in config/crd/kustomization.yaml>"]).map((resource) =>
        crdFileUrl(controller, version(controller), resource),
      ),
    ),
  ];
}

/**
 * Reads a controller's release from its kustomization in fluxcd/flux2 (a resource URL such as
 * `https://github.com/fluxcd/helm-controller/releases/download/v1.6.3/helm-controller.crds.yaml`).
 *
 * @example
 * ```ts
 * controllerVersion("resources:\n- https://github.com/fluxcd/helm-controller/releases/download/v1.6.3/helm-controller.crds.yaml\n", "helm-controller");
 * // "v1.6.3"
 * ```
 */
export function controllerVersion(kustomizationYaml: string, controller: FluxController): string {
  const document = parse(kustomizationYaml) as { resources?: unknown } | null;
  const resources = Array.isArray(document?.resources) ? document.resources : [];
  const pattern = new RegExp(`^https://github\\.com/fluxcd/${controller}/(?:releases/download/(v[^/]+)/|archive/(v[^/]+)\\.zip)`);
  for (const resource of resources) {
    const match = pattern.exec(String(resource));
    const version = match?.[1] ?? match?.[2];
    if (version !== undefined) return version;
  }
  throw new Error(`the flux2 kustomization of ${controller} names no ${controller} release among its resources`);
}

/**
 * The CRD files a controller's `config/crd/kustomization.yaml` lists (paths relative to `config/crd/`).
 *
 * @example
 * ```ts
 * crdResources("resources:\n- bases/source.toolkit.fluxcd.io_gitrepositories.yaml\n");
 * // ["bases/source.toolkit.fluxcd.io_gitrepositories.yaml"]
 * ```
 */
export function crdResources(kustomizationYaml: string): string[] {
  const document = parse(kustomizationYaml) as { resources?: unknown } | null;
  const resources = Array.isArray(document?.resources) ? document.resources.map(String) : [];
  const files = resources.filter((resource) => /^bases\/[\w.-]+\.yaml$/.test(resource));
  if (files.length === 0) throw new Error("config/crd/kustomization.yaml lists no bases/*.yaml file");
  return files;
}

/**
 * The `SHA256SUMS` text for files under `root` (`sha256sum` format, paths relative to `root`, in the given order).
 *
 * @example
 * ```ts
 * sha256Sums("/tmp/crds", ["a.yaml"]); // "<64 hex digits>  a.yaml\n"
 * ```
 */
export function sha256Sums(root: string, files: readonly string[]): string {
  return files
    .map(
      (file) =>
        `${createHash("sha256")
          .update(readFileSync(join(root, file)))
          .digest("hex")}  ${file}\n`,
    )
    .join("");
}

function yamlFiles(directory: string): string[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith(".yaml"))
    .sort();
}

/** Fetches a URL's text; `undefined` for 404. */
export type FetchText = (url: string) => Promise<string | undefined>;

async function fetchFromNetwork(url: string): Promise<string | undefined> {
  const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status} ${response.statusText}`);
  return response.text();
}

/** Options of {@link refreshFluxCrds}. */
export interface RefreshOptions {
  /** How URLs are fetched; the network by default (tests pass a fake). */
  fetchText?: FetchText;
  /** Where progress goes; `console.log` by default. */
  log?: (line: string) => void;
}

/**
 * Fetches the CRDs of a Flux release into `crdsDirectory` (replacing its top-level `*.yaml`) and regenerates its
 * `SHA256SUMS`, keeping `legacy-*` folders. Returns the controller versions it used.
 *
 * @example
 * ```ts
 * await refreshFluxCrds("v2.9.4", "packages/schemas/crds");
 * // { "source-controller": "v1.9.4", "helm-controller": "v1.6.3", … }
 * ```
 */
export async function refreshFluxCrds(
  fluxVersion: string,
  crdsDirectory: string,
  { fetchText = fetchFromNetwork, log = console.log }: RefreshOptions = {},
): Promise<Partial<Record<FluxController, string>>> {
  const versions: Partial<Record<FluxController, string>> = {};
  const kustomizations = await Promise.all(
    FLUX_CONTROLLERS.map(async (controller) => [controller, await fetchText(controllerKustomizationUrl(fluxVersion, controller))] as const),
  );
  for (const [controller, text] of kustomizations) {
    if (text === undefined) {
      if (OPTIONAL_CONTROLLERS.has(controller)) continue;
      throw new Error(`fluxcd/flux2 ${fluxVersion} has no manifests/bases/${controller}: is ${fluxVersion} a Flux release tag?`);
    }
    versions[controller] = controllerVersion(text, controller);
  }

  // Same order as the dry run: every CRD list first, then every CRD file.
  const resources: Partial<Record<FluxController, string[]>> = {};
  for (const controller of FLUX_CONTROLLERS) {
    const version = versions[controller];
    if (version === undefined) continue;
    const list = await fetchText(crdListUrl(controller, version));
    if (list === undefined) throw new Error(`fluxcd/${controller} ${version} has no config/crd/kustomization.yaml`);
    resources[controller] = crdResources(list);
  }
  const files = new Map<string, string>();
  for (const controller of FLUX_CONTROLLERS) {
    const version = versions[controller];
    if (version === undefined) continue;
    for (const resource of resources[controller] ?? []) {
      const url = crdFileUrl(controller, version, resource);
      const text = await fetchText(url);
      if (text === undefined) throw new Error(`${url} does not exist`);
      files.set(resource.slice("bases/".length), text);
    }
  }

  mkdirSync(crdsDirectory, { recursive: true });
  for (const old of yamlFiles(crdsDirectory)) rmSync(join(crdsDirectory, old));
  for (const [name, text] of files) writeFileSync(join(crdsDirectory, name), text);

  const legacy = readdirSync(crdsDirectory)
    .filter((name) => name.startsWith("legacy-") && statSync(join(crdsDirectory, name)).isDirectory())
    .sort()
    .flatMap((folder) => yamlFiles(join(crdsDirectory, folder)).map((file) => join(folder, file)));
  writeFileSync(join(crdsDirectory, "SHA256SUMS"), sha256Sums(crdsDirectory, [...yamlFiles(crdsDirectory), ...legacy]));

  log(`Flux ${fluxVersion}: wrote ${files.size} CRDs to ${relative(process.cwd(), crdsDirectory) || "."}`);
  for (const controller of FLUX_CONTROLLERS) log(`  ${controller} ${versions[controller] ?? "(not part of this release)"}`);
  log("Update the tables in crds/README.md, then run the tests: npx vitest run packages/schemas");
  return versions;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { "flux-version": { type: "string" }, "dry-run": { type: "boolean", default: false }, out: { type: "string" } },
  });
  const fluxVersion = values["flux-version"];
  if (fluxVersion === undefined || !/^v2\.\d+\.\d+(-rc\.\d+)?$/.test(fluxVersion)) {
    console.error("usage: node scripts/refresh-flux-crds.ts --flux-version v2.x.y [--dry-run]");
    process.exitCode = 2;
    return;
  }
  if (values["dry-run"]) {
    for (const url of refreshUrls(fluxVersion)) console.log(url);
    return;
  }
  await refreshFluxCrds(fluxVersion, values.out ?? fileURLToPath(new URL("../crds/", import.meta.url)));
}

if (import.meta.main) await main();
