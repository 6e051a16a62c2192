import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { sha256Sums } from "../scripts/refresh-flux-crds.ts";
import { readCrdFiles } from "./crd-files.ts";
import { createSchemaValidator } from "./validator.ts";

const CERT_MANAGER = fileURLToPath(new URL("../third-party-crds/cert-manager/v1.21.1/", import.meta.url));
const CLUSTER_ISSUERS = "@flux-fleet/schemas/third-party-crds/cert-manager/v1.21.1/cert-manager.io_clusterissuers.yaml";

const issuer = {
  apiVersion: "cert-manager.io/v1",
  kind: "ClusterIssuer",
  metadata: { name: "letsencrypt" },
  spec: {
    acme: {
      email: "ops@example.com",
      server: "https://acme-staging-v02.api.letsencrypt.org/directory",
      privateKeySecretRef: { name: "letsencrypt-nginx" },
      solvers: [{ http01: { ingress: { class: "nginx" } } }],
    },
  },
};

describe("the vendored cert-manager CRDs", () => {
  it("are kept unmodified: every file matches its SHA256SUMS", () => {
    const sums = readFileSync(join(CERT_MANAGER, "SHA256SUMS"), "utf8");
    const files = sums
      .trimEnd()
      .split("\n")
      .map((line) => line.slice(66));
    expect(files).toHaveLength(6);
    expect(sha256Sums(CERT_MANAGER, files)).toBe(sums);
  });

  it("validate ClusterIssuers strictly once a fleet ships them", () => {
    const validator = createSchemaValidator({ crds: readCrdFiles([CLUSTER_ISSUERS], process.cwd()) });
    expect(validator.validate(issuer)).toEqual({ status: "valid" });
    const { server, ...acme } = issuer.spec.acme;
    expect(validator.validate({ ...issuer, spec: { acme: { ...acme, servr: server } } })).toEqual({
      status: "invalid",
      problems: [
        { path: "/spec/acme/server", message: 'missing required field "spec.acme.server"' },
        { path: "/spec/acme/servr", message: 'unknown field "spec.acme.servr"' },
      ],
    });
    expect(validator.isClusterScoped("cert-manager.io/v1", "ClusterIssuer")).toBe(true);
  });

  it("run the CRD's own CEL rule (venafi: exactly one of tpp, cloud or ngts)", () => {
    const validator = createSchemaValidator({ crds: readCrdFiles([CLUSTER_ISSUERS], process.cwd()) });
    const venafi = {
      zone: "z",
      tpp: { url: "https://tpp", credentialsRef: { name: "c" } },
      cloud: { apiTokenSecretRef: { name: "t", key: "k" } },
    };
    expect(validator.validate({ ...issuer, spec: { venafi } })).toEqual({
      status: "invalid",
      problems: [{ path: "/spec/venafi", message: "spec.venafi: exactly one of tpp, cloud, or ngts must be configured" }],
    });
  });

  it("leave the kind skipped for a validator that was not given them", () => {
    expect(createSchemaValidator().validate(issuer).status).toBe("skipped");
  });
});

describe("readCrdFiles", () => {
  it("reads a file relative to the repository root with its SHA-256", () => {
    const root = mkdtempSync(join(tmpdir(), "crd-files-"));
    mkdirSync(join(root, "fleet/crds"), { recursive: true });
    writeFileSync(join(root, "fleet/crds/a.yaml"), "kind: CustomResourceDefinition\n");
    expect(readCrdFiles(["./fleet/crds/a.yaml"], root)).toEqual([
      {
        file: "./fleet/crds/a.yaml",
        text: "kind: CustomResourceDefinition\n",
        sha256: createHash("sha256").update("kind: CustomResourceDefinition\n").digest("hex"),
      },
    ]);
  });

  it("takes a vendored CRD's digest from the index and leaves its text to be read when asked for", () => {
    const text = readFileSync(join(CERT_MANAGER, "cert-manager.io_clusterissuers.yaml"), "utf8");
    const [crd] = readCrdFiles([CLUSTER_ISSUERS], process.cwd());
    expect(crd!.sha256).toBe(createHash("sha256").update(text).digest("hex"));
    // Not read yet: an accessor, where a file read at once is a value.
    expect(typeof Object.getOwnPropertyDescriptor(crd, "text")?.get).toBe("function");
    expect(crd!.text).toBe(text);
    expect(crd!.text).toBe(text);
    // The validator takes the schema from the index by that digest: the same verdicts as from the text.
    const fromIndex = createSchemaValidator({ crds: [crd!] }).validate({ ...issuer, spec: { acme: { ...issuer.spec.acme, servr: "x" } } });
    const fromText = createSchemaValidator({ crds: [{ file: CLUSTER_ISSUERS, text }] }).validate({
      ...issuer,
      spec: { acme: { ...issuer.spec.acme, servr: "x" } },
    });
    expect(fromIndex.status).toBe("invalid");
    expect(fromIndex).toEqual(fromText);
  });

  it("reads a copy of a vendored CRD in the repository itself, with the same digest", () => {
    const root = mkdtempSync(join(tmpdir(), "crd-files-"));
    mkdirSync(join(root, "fleet/crds"), { recursive: true });
    const text = readFileSync(join(CERT_MANAGER, "cert-manager.io_clusterissuers.yaml"), "utf8");
    writeFileSync(join(root, "fleet/crds/clusterissuers.yaml"), text);
    const [copy] = readCrdFiles(["./fleet/crds/clusterissuers.yaml"], root);
    const [vendored] = readCrdFiles([CLUSTER_ISSUERS], process.cwd());
    expect(Object.getOwnPropertyDescriptor(copy, "text")?.value).toBe(text);
    expect(copy!.sha256).toBe(vendored!.sha256);
  });

  it.each([
    ["./fleet/crds/missing.yaml", 'the CRD file "./fleet/crds/missing.yaml" does not exist'],
    ["../outside.yaml", 'the CRD file "../outside.yaml" is outside the repository'],
    ["@flux-fleet/no-such-package/crd.yaml", 'the CRD file "@flux-fleet/no-such-package/crd.yaml" was not found'],
  ])("names %s when it cannot be read", (reference, message) => {
    const root = join(mkdtempSync(join(tmpdir(), "crd-files-")), "repository");
    mkdirSync(root);
    writeFileSync(join(root, "..", "outside.yaml"), "x");
    expect(() => readCrdFiles([reference], root)).toThrow(message);
  });
});
