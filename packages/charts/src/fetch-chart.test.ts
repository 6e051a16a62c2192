import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fetchChart, HELM_CHART_LAYER_MEDIA_TYPE, HELM_CONFIG_MEDIA_TYPE } from "./fetch-chart.ts";

const archive = new TextEncoder().encode("chart bytes");
const digest = `sha256:${createHash("sha256").update(archive).digest("hex")}`;
const manifest = {
  schemaVersion: 2,
  config: { mediaType: HELM_CONFIG_MEDIA_TYPE, digest: "sha256:00", size: 2 },
  layers: [{ mediaType: HELM_CHART_LAYER_MEDIA_TYPE, digest, size: archive.length }],
};

/** A registry that, like ghcr.io, answers 401 without a bearer token and hands out anonymous ones. */
function publicRegistry(blob: Uint8Array = archive): { fetch: typeof fetch; calls: string[] } {
  const calls: string[] = [];
  const fake = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : input.toString();
    const auth = new Headers(init?.headers).get("authorization");
    calls.push(`${url}${auth ? ` (${auth})` : ""}`);
    if (url.startsWith("https://ghcr.example/token")) return Promise.resolve(Response.json({ token: "anon" }));
    if (auth !== "Bearer anon")
      return Promise.resolve(
        new Response("", {
          status: 401,
          headers: {
            "www-authenticate": 'Bearer realm="https://ghcr.example/token",service="ghcr.example",scope="repository:org/charts/demo:pull"',
          },
        }),
      );
    if (url.endsWith("/manifests/1.0.0")) return Promise.resolve(Response.json(manifest));
    if (url.endsWith(`/blobs/${digest}`)) return Promise.resolve(new Response(blob));
    return Promise.resolve(new Response("", { status: 404 }));
  };
  return { fetch: fake, calls };
}

describe("fetchChart from an OCI registry", () => {
  it("fetches an anonymous bearer token when the registry asks for one, then the manifest and the chart layer over HTTPS", async () => {
    const registry = publicRegistry();
    const fetched = await fetchChart({
      repository: "oci://ghcr.example/org/charts",
      chart: "demo",
      version: "1.0.0",
      fetch: registry.fetch,
    });
    expect(fetched).toEqual({ archive, url: `https://ghcr.example/v2/org/charts/demo/blobs/${digest}` });
    expect(registry.calls).toEqual([
      "https://ghcr.example/v2/org/charts/demo/manifests/1.0.0",
      "https://ghcr.example/token?service=ghcr.example&scope=repository%3Aorg%2Fcharts%2Fdemo%3Apull",
      "https://ghcr.example/v2/org/charts/demo/manifests/1.0.0 (Bearer anon)",
      `https://ghcr.example/v2/org/charts/demo/blobs/${digest} (Bearer anon)`,
    ]);
  });

  it("refuses a blob that does not match its digest", async () => {
    const registry = publicRegistry(new TextEncoder().encode("tampered"));
    await expect(
      fetchChart({ repository: "oci://ghcr.example/org/charts", chart: "demo", version: "1.0.0", fetch: registry.fetch }),
    ).rejects.toThrow("does not match its digest");
  });
});
