import { createHash } from "node:crypto";
import { parseChartYaml } from "./chart-values-schema.ts";

/** Helm's media types in an OCI registry (https://helm.sh/docs/topics/registries/). */
export const HELM_CHART_LAYER_MEDIA_TYPE = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
export const HELM_CONFIG_MEDIA_TYPE = "application/vnd.cncf.helm.config.v1+json";
const OCI_MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
/** A chart archive above this size is refused (charts are kilobytes). */
const MAX_ARCHIVE_BYTES = 64 * 1024 * 1024;
const TIMEOUT_MS = 60_000;

export class ChartFetchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ChartFetchError";
  }
}

export interface FetchChartOptions {
  /** A Helm HTTP repository (`https://charts.jetstack.io`) or an OCI registry path (`oci://ghcr.io/stefanprodan/charts`). */
  repository: string;
  chart: string;
  /** The exact chart version. */
  version: string;
  /** Talk plain HTTP to an OCI registry; the default for 127.0.0.1, ::1 and localhost. */
  plainHttp?: boolean;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
}

export interface FetchedChart {
  /** The chart archive (`.tgz`). */
  archive: Uint8Array;
  /** Where it was downloaded from. */
  url: string;
}

/**
 * Downloads one chart version's archive from a Helm HTTP repository (its `index.yaml`, then the archive it lists,
 * checked against the index's digest) or an OCI registry (the manifest with Helm's media types, then the chart layer's
 * blob, checked against its digest; anonymous bearer tokens as public registries ask for them).
 *
 * @example
 * ```ts
 * const { archive } = await fetchChart({ repository: "https://kubernetes.github.io/ingress-nginx", chart: "ingress-nginx", version: "4.15.1" });
 * ```
 */
export async function fetchChart(options: FetchChartOptions): Promise<FetchedChart> {
  return options.repository.startsWith("oci://") ? fetchOciChart(options) : fetchHttpChart(options);
}

async function get(url: string, options: FetchChartOptions, headers: Record<string, string> = {}): Promise<Response> {
  const doFetch = options.fetch ?? fetch;
  try {
    return await doFetch(url, { headers, redirect: "follow", signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new ChartFetchError(`could not reach ${url} (${(error as Error).message})`, { cause: error });
  }
}

async function bytesOf(response: Response, url: string): Promise<Uint8Array> {
  if (!response.ok) throw new ChartFetchError(`${url} answered HTTP ${response.status}`);
  const length = Number(response.headers.get("content-length") ?? "0");
  if (length > MAX_ARCHIVE_BYTES) throw new ChartFetchError(`${url} is ${length} bytes, more than a chart archive should be`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > MAX_ARCHIVE_BYTES) throw new ChartFetchError(`${url} is ${bytes.length} bytes, more than a chart archive should be`);
  return bytes;
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

interface IndexEntry {
  version?: unknown;
  urls?: unknown;
  digest?: unknown;
}

async function fetchHttpChart(options: FetchChartOptions): Promise<FetchedChart> {
  const base = options.repository.endsWith("/") ? options.repository : `${options.repository}/`;
  const indexUrl = new URL("index.yaml", base).href;
  const response = await get(indexUrl, options);
  if (!response.ok) throw new ChartFetchError(`${indexUrl} answered HTTP ${response.status}: is ${options.repository} a Helm repository?`);
  let index: unknown;
  try {
    index = parseChartYaml(await response.text());
  } catch (error) {
    throw new ChartFetchError(`${indexUrl} is not YAML (${(error as Error).message})`, { cause: error });
  }
  const entries = (index as { entries?: Record<string, IndexEntry[]> } | null)?.entries?.[options.chart];
  if (!Array.isArray(entries) || entries.length === 0)
    throw new ChartFetchError(`the repository ${options.repository} has no chart "${options.chart}"`);
  const entry = entries.find((e) => String(e.version) === options.version);
  if (!entry) {
    const versions = entries.slice(0, 5).map((e) => String(e.version));
    throw new ChartFetchError(
      `the repository has no version "${options.version}" of ${options.chart} (it has ${versions.join(", ")}${entries.length > 5 ? ", …" : ""})`,
    );
  }
  const first: unknown = Array.isArray(entry.urls) ? entry.urls[0] : undefined;
  if (typeof first !== "string") throw new ChartFetchError(`the index lists no URL for ${options.chart} ${options.version}`);
  const url = new URL(first, base).href;
  const archive = await bytesOf(await get(url, options), url);
  if (typeof entry.digest === "string" && entry.digest !== "" && sha256(archive) !== entry.digest.replace(/^sha256:/, ""))
    throw new ChartFetchError(`${url} does not match the digest the index lists for it`);
  return { archive, url };
}

async function fetchOciChart(options: FetchChartOptions): Promise<FetchedChart> {
  const reference = new URL(options.repository.replace(/^oci:\/\//, "http://"));
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(reference.hostname);
  const scheme = (options.plainHttp ?? loopback) ? "http" : "https";
  const name = `${reference.pathname.replace(/^\/+|\/+$/g, "")}/${options.chart}`.replace(/^\//, "");
  const registry = `${scheme}://${reference.host}`;
  let token: string | undefined;

  const registryGet = async (path: string, accept: string): Promise<Response> => {
    const url = `${registry}/v2/${name}/${path}`;
    const headers: Record<string, string> = { accept, ...(token ? { authorization: `Bearer ${token}` } : {}) };
    let response = await get(url, options, headers);
    if (response.status === 401 && token === undefined) {
      token = await anonymousToken(response.headers.get("www-authenticate"), options);
      if (token !== undefined) response = await get(url, options, { ...headers, authorization: `Bearer ${token}` });
    }
    return response;
  };

  const manifestResponse = await registryGet(`manifests/${options.version}`, OCI_MANIFEST_MEDIA_TYPE);
  if (manifestResponse.status === 404)
    throw new ChartFetchError(`the registry has no ${name}:${options.version} (${options.repository}/${options.chart})`);
  if (!manifestResponse.ok)
    throw new ChartFetchError(`${registry} answered HTTP ${manifestResponse.status} for the manifest of ${name}:${options.version}`);
  const manifest = (await manifestResponse.json()) as {
    config?: { mediaType?: string };
    layers?: Array<{ mediaType?: string; digest?: string }>;
  };
  if (manifest.config?.mediaType !== HELM_CONFIG_MEDIA_TYPE)
    throw new ChartFetchError(
      `${name}:${options.version} is not a Helm chart (its config media type is ${JSON.stringify(manifest.config?.mediaType)})`,
    );
  const layer = manifest.layers?.find((l) => l.mediaType === HELM_CHART_LAYER_MEDIA_TYPE);
  if (!layer?.digest) throw new ChartFetchError(`${name}:${options.version} has no ${HELM_CHART_LAYER_MEDIA_TYPE} layer`);
  const response = await registryGet(`blobs/${layer.digest}`, HELM_CHART_LAYER_MEDIA_TYPE);
  const url = `${registry}/v2/${name}/blobs/${layer.digest}`;
  const archive = await bytesOf(response, url);
  if (`sha256:${sha256(archive)}` !== layer.digest) throw new ChartFetchError(`${url} does not match its digest`);
  return { archive, url };
}

/** An anonymous pull token, as public registries (ghcr.io, Docker Hub) hand out through `WWW-Authenticate: Bearer`. */
async function anonymousToken(challenge: string | null, options: FetchChartOptions): Promise<string | undefined> {
  if (!challenge?.toLowerCase().startsWith("bearer ")) return undefined;
  const params = Object.fromEntries([...challenge.slice(7).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
  if (!params["realm"]) return undefined;
  const url = new URL(params["realm"]);
  if (params["service"]) url.searchParams.set("service", params["service"]);
  if (params["scope"]) url.searchParams.set("scope", params["scope"]);
  const response = await get(url.href, options);
  if (!response.ok) return undefined;
  const body = (await response.json()) as { token?: string; access_token?: string };
  return body.token ?? body.access_token;
}
