import { isMapping } from "@flux-fleet/schemas";
import { mkdir, readFile, rm } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import validVersion from "semver/functions/valid.js";
import cleanVersion from "semver/functions/clean.js";
import { DEFAULT_VERSIONS_FILE, type Cluster, type HelmComponent } from "@flux-fleet/fleet";
import { UsageError, replaceFile } from "@flux-fleet/validate";
import { loadFleet } from "../load-fleet.ts";
import { gen } from "./gen.ts";

export interface PromoteOptions {
  root: string;
  entry?: string | undefined;
  /** The Helm component whose chart version is promoted. */
  component: string;
  /** The cluster the version was tested on. */
  from: string;
  /** The cluster that gets the exact version. */
  to: string;
  /** An exact chart version (`6.7.1`); a revision with a digest (`6.7.1@sha256:…`) is cut at the `@`. */
  version: string;
  /** The versions file relative to the root (the fleet's `promotion.versionsFile`); default `fleet/versions.json`. */
  versionsFile?: string | undefined;
  out?: (text: string) => void;
}

export interface PromoteResult {
  exitCode: number;
  /** The versions file, relative to the root. */
  versionsFile: string;
  version: string;
}

/** Promoted versions: cluster → component → exact chart version. */
export type VersionsData = Record<string, Record<string, string>>;

/**
 * The versions file with one promotion applied, keys sorted so that a promotion changes exactly one line.
 *
 * @example
 * ```ts
 * withPromotion({}, "production", "podinfo", "6.7.1"); // '{\n  "production": {\n    "podinfo": "6.7.1"\n  }\n}\n'
 * ```
 */
export function withPromotion(versions: VersionsData, cluster: string, component: string, version: string): string {
  const next: VersionsData = { ...versions, [cluster]: { ...versions[cluster], [component]: version } };
  const sorted = Object.fromEntries(
    Object.keys(next)
      .sort()
      .map((name) => [name, Object.fromEntries(Object.entries(next[name] ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))]),
  );
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

function parseVersions(content: string | undefined, file: string): VersionsData {
  if (content === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON (${(error as Error).message}): fix it or restore it from git.`, { cause: error });
  }
  if (!isMapping(parsed) || Object.values(parsed).some((v) => !isMapping(v) || Object.values(v).some((x) => typeof x !== "string")))
    throw new UsageError(
      `${file} must map clusters to { component: "version" }, as flux-fleet promote writes it: fix it or restore it from git.`,
    );
  return parsed as VersionsData;
}

/**
 * Promotes a chart version from one cluster to another: records the exact version in the versions file the fleet
 * reads, regenerates the repository, and checks that the target cluster now pins that version. Nothing is kept
 * when the fleet fails or does not read the file.
 *
 * @example
 * ```ts
 * await promote({ root, component: "podinfo", from: "staging", to: "production", version: "6.7.1" });
 * ```
 */
export async function promote(options: PromoteOptions): Promise<PromoteResult> {
  const out = options.out ?? ((text: string) => process.stdout.write(text));
  const version = options.version.split("@")[0] ?? "";
  if (validVersion(version) === null || cleanVersion(version) !== version)
    throw new UsageError(
      `Version ${JSON.stringify(options.version)} is not an exact chart version: promote pins one tested version, such as "6.7.1".`,
    );
  const root = resolve(options.root);
  const file = options.versionsFile ?? DEFAULT_VERSIONS_FILE;
  const path = resolve(root, file);
  const inside = relative(root, path);
  if (inside.startsWith("..") || inside.split(sep).includes("..") || !file.endsWith(".json"))
    throw new UsageError(`The versions file ${JSON.stringify(file)} must be a .json file inside the repository.`);
  const before = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw new UsageError(`${file} cannot be read (${error.code ?? error.message}).`, { cause: error });
  });
  const after = withPromotion(parseVersions(before, file), options.to, options.component, version);

  // The fleet is imported only after the file is written: Node keeps the first import of a JSON module.
  await writeAtomically(path, after);
  try {
    const result = await gen({ root, entry: options.entry, out });
    const { fleet } = await loadFleet({ root, entry: options.entry });
    const declared = fleet.promotion?.versionsFile ?? DEFAULT_VERSIONS_FILE;
    if (declared !== file)
      throw new UsageError(
        `The fleet reads promoted versions from ${declared} (promotion.versionsFile), not ${file}: pass --versions-file ${declared}.`,
      );
    const clusters = new Map((fleet.clusters as readonly Cluster[]).map((cluster) => [cluster.name, cluster]));
    for (const name of [options.from, options.to]) {
      const cluster = clusters.get(name);
      if (!cluster)
        throw new UsageError(`Cluster "${name}" is not in the fleet: use one of ${[...clusters.keys()].map((n) => `"${n}"`).join(", ")}.`);
      if (!cluster.profile.components.some((c) => c.name === options.component && c.type === "helm"))
        throw new UsageError(
          `Cluster "${name}" runs no Helm component "${options.component}": promote pins the chart version of a Helm component.`,
        );
    }
    const target = clusters.get(options.to)!;
    const component = target.profile.components.find((c) => c.name === options.component) as HelmComponent;
    const overrides = target.overrides as Record<string, { version?: string } | undefined>;
    const pinned = overrides[options.component]?.version ?? component.chart.version;
    if (pinned !== version)
      throw new UsageError(
        `After recording ${options.component} ${version} for "${options.to}" in ${file}, the fleet still gives it ${pinned === undefined ? "no version" : `"${pinned}"`}: make the fleet read the file, e.g. overrides: { "${options.component}": { version: versions["${options.to}"]["${options.component}"] } } with import versions from "./versions.json" with { type: "json" }.`,
      );
    out(`Promoted ${options.component} ${version} from ${options.from} to ${options.to}: recorded in ${file}.\n`);
    return { exitCode: result.exitCode, versionsFile: file, version };
  } catch (error) {
    // Keep the repository as it was: the file goes back; the tree gen wrote did not depend on a file the fleet ignores.
    if (before === undefined) await rm(path, { force: true });
    else await writeAtomically(path, before);
    throw error;
  }
}

async function writeAtomically(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await replaceFile(path, content, join(dirname(path), `.${process.pid}.flux-fleet-promote.tmp`), { durable: true });
}
