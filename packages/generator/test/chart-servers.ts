// Test servers for `chart add`: a Helm HTTP repository served from memory, and the Debian docker-registry package
// (the CNCF distribution registry) started on 127.0.0.1 with a temporary config.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
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

/** The docker-registry binary on PATH (Debian's package of the CNCF distribution registry), or undefined. */
export function findDockerRegistry(): string | undefined {
  for (const dir of (process.env["PATH"] ?? "").split(delimiter)) {
    const candidate = join(dir, "docker-registry");
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts docker-registry on 127.0.0.1 with a temporary config and storage; resolves once /v2/ answers. */
export async function startRegistry(binary: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "flux-fleet-registry-"));
  const port = await freePort();
  const config = join(dir, "config.yml");
  await writeFile(
    config,
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, "data")}\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const child: ChildProcess = spawn(binary, ["serve", config], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    child.kill("SIGTERM");
    await rm(dir, { recursive: true, force: true });
  };
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) break;
    const ok = await fetch(`${url}/v2/`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`docker-registry did not start on ${url}: ${stderr}`);
}

/** Pushes a chart as `helm push` does, with plain HTTP calls: the config and chart blobs, then the OCI manifest. */
export async function pushChart(registry: string, repository: string, version: string, archive: Uint8Array): Promise<void> {
  const upload = async (bytes: Uint8Array) => {
    const digest = `sha256:${sha256(bytes)}`;
    const start = await fetch(`${registry}/v2/${repository}/blobs/uploads/`, { method: "POST" });
    if (start.status !== 202) throw new Error(`blob upload start answered ${start.status}`);
    const location = new URL(start.headers.get("location") ?? "", registry);
    location.searchParams.set("digest", digest);
    const put = await fetch(location, { method: "PUT", body: bytes, headers: { "content-type": "application/octet-stream" } });
    if (put.status !== 201) throw new Error(`blob upload answered ${put.status}: ${await put.text()}`);
    return { digest, size: bytes.length };
  };
  const config = await upload(new TextEncoder().encode(JSON.stringify({ name: repository.split("/").pop(), version })));
  const layer = await upload(archive);
  const manifest = {
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.cncf.helm.config.v1+json", ...config },
    layers: [{ mediaType: "application/vnd.cncf.helm.chart.content.v1.tar+gzip", ...layer }],
  };
  const put = await fetch(`${registry}/v2/${repository}/manifests/${version}`, {
    method: "PUT",
    body: JSON.stringify(manifest),
    headers: { "content-type": "application/vnd.oci.image.manifest.v1+json" },
  });
  if (put.status !== 201) throw new Error(`manifest upload answered ${put.status}: ${await put.text()}`);
}
