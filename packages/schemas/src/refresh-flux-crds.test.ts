import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import {
  controllerVersion,
  crdResources,
  FLUX_CONTROLLERS,
  refreshFluxCrds,
  refreshUrls,
  type FluxController,
} from "../scripts/refresh-flux-crds.ts";

const script = fileURLToPath(new URL("../scripts/refresh-flux-crds.ts", import.meta.url));
const vendored = fileURLToPath(new URL("../crds/", import.meta.url));
const raw = "https://raw.githubusercontent.com/fluxcd";

describe("refreshUrls", () => {
  it("lists what a dry run fetches, in order, with placeholders for what only a fetch can tell", () => {
    expect(refreshUrls("v2.9.4")).toEqual([
      `${raw}/flux2/v2.9.4/manifests/bases/source-controller/kustomization.yaml`,
      `${raw}/flux2/v2.9.4/manifests/bases/kustomize-controller/kustomization.yaml`,
      `${raw}/flux2/v2.9.4/manifests/bases/helm-controller/kustomization.yaml`,
      `${raw}/flux2/v2.9.4/manifests/bases/notification-controller/kustomization.yaml`,
      `${raw}/flux2/v2.9.4/manifests/bases/image-reflector-controller/kustomization.yaml`,
      `${raw}/flux2/v2.9.4/manifests/bases/image-automation-controller/kustomization.yaml`,
      `${raw}/flux2/v2.9.4/manifests/bases/source-watcher/kustomization.yaml`,
      `${raw}/source-controller/<source-controller version>/config/crd/kustomization.yaml`,
      `${raw}/kustomize-controller/<kustomize-controller version>/config/crd/kustomization.yaml`,
      `${raw}/helm-controller/<helm-controller version>/config/crd/kustomization.yaml`,
      `${raw}/notification-controller/<notification-controller version>/config/crd/kustomization.yaml`,
      `${raw}/image-reflector-controller/<image-reflector-controller version>/config/crd/kustomization.yaml`,
      `${raw}/image-automation-controller/<image-automation-controller version>/config/crd/kustomization.yaml`,
      `${raw}/source-watcher/<source-watcher version>/config/crd/kustomization.yaml`,
      ...FLUX_CONTROLLERS.map((c) => `${raw}/${c}/<${c} version>/config/crd/<each file listed in config/crd/kustomization.yaml>`),
    ]);
  });

  it("fills in controller versions and CRD files once they are known", () => {
    const urls = refreshUrls("v2.9.4", {
      versions: { "helm-controller": "v1.6.3" },
      resources: { "helm-controller": ["bases/helm.toolkit.fluxcd.io_helmreleases.yaml"] },
    });
    expect(urls.filter((url) => url.includes("/helm-controller/"))).toEqual([
      `${raw}/flux2/v2.9.4/manifests/bases/helm-controller/kustomization.yaml`,
      `${raw}/helm-controller/v1.6.3/config/crd/kustomization.yaml`,
      `${raw}/helm-controller/v1.6.3/config/crd/bases/helm.toolkit.fluxcd.io_helmreleases.yaml`,
    ]);
  });

  it("is what the script prints with --dry-run", () => {
    const output = execFileSync(process.execPath, [script, "--flux-version", "v2.9.4", "--dry-run"], {
      encoding: "utf8",
    });
    expect(output.trimEnd().split("\n")).toEqual(refreshUrls("v2.9.4"));
  });
});

describe("controllerVersion", () => {
  it.each([
    [
      "a release asset",
      "resources:\n- https://github.com/fluxcd/helm-controller/releases/download/v1.6.3/helm-controller.crds.yaml\n- account.yaml\n",
      "v1.6.3",
    ],
    [
      "an archive (Flux 0.x layout)",
      "resources:\n- https://github.com/fluxcd/helm-controller/archive/v0.4.3.zip//helm-controller-0.4.3/config/crd\n",
      "v0.4.3",
    ],
  ])("reads the version from %s", (_name, yaml, expected) => {
    expect(controllerVersion(yaml, "helm-controller")).toBe(expected);
  });

  it("fails when no resource names the controller's release", () => {
    const yaml = "resources:\n- https://github.com/fluxcd/source-controller/releases/download/v1.9.4/x.yaml\n";
    expect(() => controllerVersion(yaml, "helm-controller")).toThrow(
      "the flux2 kustomization of helm-controller names no helm-controller release among its resources",
    );
  });
});

describe("crdResources", () => {
  it("keeps the bases/*.yaml entries of config/crd/kustomization.yaml", () => {
    const yaml = "resources:\n- bases/a.toolkit.fluxcd.io_as.yaml\n- patches/webhook.yaml\n- bases/b.toolkit.fluxcd.io_bs.yaml\n";
    expect(crdResources(yaml)).toEqual(["bases/a.toolkit.fluxcd.io_as.yaml", "bases/b.toolkit.fluxcd.io_bs.yaml"]);
  });
});

describe("refreshFluxCrds", () => {
  let directory: string | undefined;
  afterEach(() => {
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  });

  it("writes the fetched CRDs and a SHA256SUMS that equals the vendored one for the same files", async () => {
    // A fake GitHub serving the vendored Flux v2.9.4 set: the refresh must reproduce it byte for byte.
    const versions: Record<FluxController, string> = {
      "source-controller": "v1.9.4",
      "kustomize-controller": "v1.9.4",
      "helm-controller": "v1.6.3",
      "notification-controller": "v1.9.3",
      "image-reflector-controller": "v1.2.4",
      "image-automation-controller": "v1.2.4",
      "source-watcher": "v2.2.3",
    };
    const groups: Record<FluxController, RegExp> = {
      "source-controller": /^source\.toolkit/,
      "kustomize-controller": /^kustomize\./,
      "helm-controller": /^helm\./,
      "notification-controller": /^notification\./,
      "image-reflector-controller": /^image\.toolkit\.fluxcd\.io_image(policies|repositories)/,
      "image-automation-controller": /^image\.toolkit\.fluxcd\.io_imageupdateautomations/,
      "source-watcher": /^source\.extensions/,
    };
    const files = readdirSync(vendored).filter((name) => name.endsWith(".yaml"));
    const resources = Object.fromEntries(
      FLUX_CONTROLLERS.map((c) => [c, files.filter((f) => groups[c].test(f)).map((f) => `bases/${f}`)]),
    ) as Record<FluxController, string[]>;
    const responses = new Map<string, string>();
    for (const c of FLUX_CONTROLLERS) {
      responses.set(
        `${raw}/flux2/v2.9.4/manifests/bases/${c}/kustomization.yaml`,
        `resources:\n- https://github.com/fluxcd/${c}/releases/download/${versions[c]}/${c}.crds.yaml\n- account.yaml\n`,
      );
      responses.set(
        `${raw}/${c}/${versions[c]}/config/crd/kustomization.yaml`,
        `resources:\n${resources[c].map((r) => `- ${r}\n`).join("")}`,
      );
      for (const r of resources[c]) {
        responses.set(`${raw}/${c}/${versions[c]}/config/crd/${r}`, readFileSync(join(vendored, r.slice(6)), "utf8"));
      }
    }
    directory = mkdtempSync(join(tmpdir(), "flux-crds-"));
    cpSync(join(vendored, "legacy-flux-v2.4.0"), join(directory, "legacy-flux-v2.4.0"), { recursive: true });
    const fetched: string[] = [];
    const logged: string[] = [];

    const result = await refreshFluxCrds("v2.9.4", directory, {
      fetchText: (url) => {
        fetched.push(url);
        return Promise.resolve(responses.get(url));
      },
      log: (line) => logged.push(line),
    });

    expect(result).toEqual(versions);
    expect(fetched).toEqual(refreshUrls("v2.9.4", { versions, resources }));
    expect(readdirSync(directory).sort()).toEqual([...files, "SHA256SUMS", "legacy-flux-v2.4.0"].sort());
    expect(readFileSync(join(directory, "SHA256SUMS"), "utf8")).toBe(readFileSync(join(vendored, "SHA256SUMS"), "utf8"));
    expect(logged[0]).toMatch(/^Flux v2\.9\.4: wrote 15 CRDs to /);
  });
});
