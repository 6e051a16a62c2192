import { createHash } from "node:crypto";

/** The file, at the repository root, in which the generator records the files it wrote. */
export const RECORD_FILE = "flux-fleet.generated.json";

const RECORD_COMMENT =
  "Written by flux-fleet gen: the files it generated, with their SHA-256, so that it only ever rewrites or removes its own files. Do not edit.";

/** Generated path → SHA-256 of its content. */
export type GeneratedRecord = ReadonlyMap<string, string>;

export function hashContent(content: string): string {
  return createHash("sha256").update(content).digest("hex");
}

/** What the fleet says of a cluster that its YAML does not show; `validate` reads it. */
export interface RecordedCluster {
  production: boolean;
  pinning: "warn" | "strict";
  kubeconfigSecret: string;
  /** The hub shard that reconciles the cluster; absent for the main controllers. */
  shard?: string;
  /** The workload-identity ConfigMap the cluster's layers use instead of the kubeconfig Secret. */
  configMap?: string;
}

/** What the fleet says of the hub that validate needs: its shards (recorded only when there are some). */
export interface RecordedHub {
  shards: readonly string[];
}

function sortedEntries<T>(map: ReadonlyMap<string, T>): Record<string, T> {
  return Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function serializeRecord(
  files: ReadonlyMap<string, string>,
  clusters: ReadonlyMap<string, RecordedCluster> = new Map(),
  crds: ReadonlyMap<string, string> = new Map(),
  hub: RecordedHub = { shards: [] },
): string {
  // The CRDs the fleet ships (reference → SHA-256) and the hub's shards are recorded only when there are some.
  const shipped = crds.size > 0 ? { crds: sortedEntries(crds) } : {};
  const sharded = hub.shards.length > 0 ? { hub: { shards: [...hub.shards] } } : {};
  return `${JSON.stringify({ comment: RECORD_COMMENT, clusters: sortedEntries(clusters), ...sharded, ...shipped, files: sortedEntries(files) }, null, 2)}\n`;
}

/** The CRD files the fleet ships, as recorded by gen: reference → SHA-256 of the content gen validated with. */
export function parseRecordedCrds(content: string | undefined): Map<string, string> {
  if (content === undefined) return new Map();
  const parsed = JSON.parse(content) as { crds?: Record<string, string> };
  return new Map(Object.entries(parsed.crds ?? {}));
}

/** The cluster facts of a record; empty when there is no record or it has none. */
export function parseRecordedClusters(content: string | undefined): Map<string, RecordedCluster> {
  if (content === undefined) return new Map();
  const parsed = JSON.parse(content) as { clusters?: Record<string, RecordedCluster> };
  return new Map(Object.entries(parsed.clusters ?? {}));
}

/** Reads a record; `undefined` content (no record yet) is an empty record. */
export function parseRecord(content: string | undefined): GeneratedRecord {
  if (content === undefined) return new Map();
  const parsed = JSON.parse(content) as { files?: Record<string, unknown> };
  const files = parsed.files ?? {};
  return new Map(Object.entries(files).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}
