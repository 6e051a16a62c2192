// Test servers for `chart add`: a Helm HTTP repository served from memory on 127.0.0.1.
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";

/** A chart `.tgz` as `helm package` writes it: a gzip-compressed ustar of files under `<chart>/`. */
export function createChartArchive(files: Record<string, string>): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const [path, text] of Object.entries(files)) {
    const content = new TextEncoder().encode(text);
    const header = new Uint8Array(512);
    const put = (offset: number, value: string) => header.set(new TextEncoder().encode(value), offset);
    put(0, path);
    put(100, "0000644\0");
    put(108, "0000000\0");
    put(116, "0000000\0");
    put(124, `${content.length.toString(8).padStart(11, "0")}\0`);
    put(136, "00000000000\0");
    put(148, "        ");
    put(156, "0");
    put(257, "ustar\0");
    put(263, "00");
    const checksum = header.reduce((sum, byte) => sum + byte, 0);
    put(148, `${checksum.toString(8).padStart(6, "0")}\0 `);
    blocks.push(header, content, new Uint8Array((512 - (content.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  return gzipSync(Buffer.concat(blocks));
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A Helm HTTP repository on 127.0.0.1: `index.yaml` listing each archive under `charts/`, with its digest. */
export async function serveHelmRepository(
  charts: ReadonlyArray<{ name: string; version: string; archive: Uint8Array }>,
): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const byPath = new Map(charts.map((chart) => [`/charts/${chart.name}-${chart.version}.tgz`, chart.archive]));
  const index = [
    "apiVersion: v1",
    "entries:",
    ...[...new Set(charts.map((c) => c.name))].flatMap((name) => [
      `  ${name}:`,
      ...charts
        .filter((c) => c.name === name)
        .flatMap((c) => [
          `    - name: ${name}`,
          `      version: ${c.version}`,
          `      digest: ${sha256(c.archive)}`,
          "      urls:",
          `        - charts/${name}-${c.version}.tgz`,
        ]),
    ]),
    "",
  ].join("\n");
  const server: Server = createServer((request, response) => {
    requests.push(request.url ?? "");
    const archive = byPath.get(request.url ?? "");
    if (request.url === "/index.yaml") response.writeHead(200, { "content-type": "text/yaml" }).end(index);
    else if (archive) response.writeHead(200, { "content-type": "application/gzip" }).end(archive);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
