import { createRequire } from "node:module";
import type * as Zlib from "node:zlib";
import type { ChartValuesFiles } from "./chart-values-schema.ts";

let zlibModule: typeof Zlib | undefined;
/** node:zlib, loaded when an archive is first read: gen imports this package's index and never unpacks a chart. */
function zlib(): typeof Zlib {
  zlibModule ??= createRequire(import.meta.url)("node:zlib") as typeof Zlib;
  return zlibModule;
}

/** A chart archive above this size (unpacked) is refused: charts are kilobytes, this guards against a gzip bomb. */
const MAX_UNPACKED = 256 * 1024 * 1024;

export class ChartArchiveError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ChartArchiveError";
  }
}

/** What a Helm chart archive (`<chart>-<version>.tgz`) holds at its top level that flux-fleet reads. */
export interface ChartArchiveFiles extends ChartValuesFiles {
  /** Chart.yaml's text. */
  chartYaml?: string | undefined;
}

/**
 * Reads `Chart.yaml`, `values.yaml` and `values.schema.json` of the chart at the top of a Helm chart archive (a
 * gzip-compressed ustar/pax tar whose entries are under `<chart>/`); subcharts under `<chart>/charts/` are ignored.
 *
 * @example
 * ```ts
 * const { valuesYaml, schemaJson } = readChartArchive(await readFile("podinfo-6.14.1.tgz"));
 * ```
 */
export function readChartArchive(archive: Uint8Array): ChartArchiveFiles {
  let tar: Buffer;
  try {
    tar = zlib().gunzipSync(archive, { maxOutputLength: MAX_UNPACKED });
  } catch (error) {
    throw new ChartArchiveError(`the chart archive is not gzip data (${(error as Error).message})`, { cause: error });
  }
  const files: ChartArchiveFiles = {};
  for (const entry of tarEntries(tar)) {
    const parts = entry.path.replace(/^\.\//, "").split("/");
    if (parts.length !== 2) continue;
    const text = () => new TextDecoder("utf-8", { fatal: false }).decode(entry.content);
    if (parts[1] === "Chart.yaml") files.chartYaml = text();
    else if (parts[1] === "values.yaml") files.valuesYaml = text();
    else if (parts[1] === "values.schema.json") files.schemaJson = text();
  }
  if (files.chartYaml === undefined) throw new ChartArchiveError("the archive holds no <chart>/Chart.yaml: it is not a Helm chart");
  return files;
}

interface TarEntry {
  path: string;
  content: Uint8Array;
}

/** The regular files of a tar (ustar, with pax `path` records and GNU long names, as Helm and Go write them). */
function* tarEntries(tar: Uint8Array): Generator<TarEntry> {
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) return;
    const size = parseOctal(header.subarray(124, 136));
    const type = String.fromCharCode(header[156] ?? 0);
    const start = offset + 512;
    if (start + size > tar.length) throw new ChartArchiveError("the chart archive is truncated");
    const content = tar.subarray(start, start + size);
    offset = start + Math.ceil(size / 512) * 512;
    if (type === "x") {
      longName = paxPath(content) ?? longName;
      continue;
    }
    if (type === "L") {
      longName = cString(content);
      continue;
    }
    if (type === "g") continue;
    const prefix = cString(header.subarray(345, 500));
    const name = longName ?? (prefix ? `${prefix}/${cString(header.subarray(0, 100))}` : cString(header.subarray(0, 100)));
    longName = undefined;
    if (type === "0" || type === "\0" || type === "7") yield { path: name, content };
  }
}

function parseOctal(field: Uint8Array): number {
  const text = cString(field).trim();
  const value = text === "" ? 0 : Number.parseInt(text, 8);
  if (!Number.isFinite(value) || value < 0) throw new ChartArchiveError("the chart archive has a malformed tar header");
  return value;
}

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end === -1 ? bytes : bytes.subarray(0, end));
}

/** The `path` of a pax extended header (`<length> path=<value>\n` records). */
function paxPath(content: Uint8Array): string | undefined {
  const text = new TextDecoder().decode(content);
  for (const record of text.split("\n")) {
    const match = /^\d+ path=(.*)$/s.exec(record);
    if (match) return match[1];
  }
  return undefined;
}
