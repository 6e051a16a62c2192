import { readFileSync } from "node:fs";
import { runInThisContext } from "node:vm";
import { Ajv } from "ajv";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CRD_INDEX_FILES, type CrdIndex } from "./crd-catalog.ts";
import { COMPILED_DIRECTORY, precompiledInputsDigest, precompiledSchemas, type PrecompiledIndex } from "./schema-compiler.ts";
import { createSchemaValidator } from "./validator.ts";
import { eagerFunctions, topLevelFunctionDeclarations } from "../../../scripts/eager-functions.ts";

const clusterIssuerFile = new URL("../third-party-crds/cert-manager/v1.21.1/cert-manager.io_clusterissuers.yaml", import.meta.url);
const clusterIssuerCrd = { file: "crds/clusterissuers.yaml", text: readFileSync(clusterIssuerFile, "utf8") };

const clusterIssuer = (acme: object) => ({
  apiVersion: "cert-manager.io/v1",
  kind: "ClusterIssuer",
  metadata: { name: "letsencrypt" },
  spec: { acme: { server: "https://acme.example/directory", privateKeySecretRef: { name: "key" }, ...acme } },
});

/** Objects whose verdicts both validators must agree on: valid ones and each kind of schema problem. */
const DOCUMENTS: Array<[string, object]> = [
  ["a valid Namespace", { apiVersion: "v1", kind: "Namespace", metadata: { name: "apps" } }],
  ["an unknown field", { apiVersion: "v1", kind: "Namespace", metadata: { name: "apps" }, spec: { finalisers: [] } }],
  [
    "an int32 out of range",
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "apps" },
      spec: { replicas: 2 ** 31, selector: {}, template: { spec: { containers: [{ name: "web" }] } } },
    },
  ],
  [
    "a bad date-time and byte format",
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s", namespace: "apps", creationTimestamp: "yesterday" },
      data: { a: "not base64!" },
    },
  ],
  [
    "a HelmRelease with a wrong type and an enum",
    {
      apiVersion: "helm.toolkit.fluxcd.io/v2",
      kind: "HelmRelease",
      metadata: { name: "podinfo", namespace: "apps" },
      spec: {
        interval: 5,
        chart: { spec: { chart: "podinfo", sourceRef: { kind: "GitRepo", name: "podinfo" } } },
        driftDetection: { mode: "sometimes" },
      },
    },
  ],
  [
    "a Kustomization missing required fields",
    { apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization", metadata: { name: "apps", namespace: "flux-system" }, spec: {} },
  ],
  ["a valid ClusterIssuer", clusterIssuer({ solvers: [{ http01: { ingress: { class: "nginx" } } }] })],
  ["a ClusterIssuer with a typo", clusterIssuer({ servr: "https://x" })],
];

describe("precompiled validators", () => {
  afterEach(() => vi.restoreAllMocks());

  it("were generated from the current schemas, options and ajv (run compile-validators after changing them)", () => {
    const index = JSON.parse(readFileSync(new URL("index.json", COMPILED_DIRECTORY), "utf8")) as PrecompiledIndex;
    expect(index.inputsDigest).toBe(precompiledInputsDigest());
    expect(Object.keys(index.modules)).toEqual(precompiledSchemas().map((s) => s.key));
  });

  it("declare no top-level function, so that V8 compiles them with the module and the compile cache keeps their code", () => {
    const index = JSON.parse(readFileSync(new URL("index.json", COMPILED_DIRECTORY), "utf8")) as PrecompiledIndex;
    for (const file of Object.values(index.modules)) {
      const code = readFileSync(new URL(file, COMPILED_DIRECTORY), "utf8");
      expect({ file, declarations: topLevelFunctionDeclarations(code) }).toEqual({ file, declarations: [] });
    }
  });

  it("cover every built-in kind and every served version of the vendored CRDs", () => {
    const keys = precompiledSchemas().map((s) => s.key);
    expect(keys).toContain("v1 Namespace");
    expect(keys).toContain("apps/v1 Deployment");
    for (const set of ["current", "third-party"] as const) {
      const { crds } = JSON.parse(readFileSync(CRD_INDEX_FILES[set], "utf8")) as CrdIndex;
      for (const crd of crds)
        for (const version of crd.versions.filter((v) => v.served && v.schema)) expect(keys).toContain(`${crd.sha256} ${version.name}`);
    }
  });

  it.each(DOCUMENTS)("give the same verdict as schemas compiled at run time on %s", (_, doc) => {
    const precompiled = createSchemaValidator({ crds: [clusterIssuerCrd] }).validate(doc);
    const compiled = createSchemaValidator({ crds: [clusterIssuerCrd], precompiled: false }).validate(doc);
    expect(precompiled).toEqual(compiled);
    expect(precompiled.status).toBe(_.startsWith("a valid") ? "valid" : "invalid");
  });

  it("compile nothing at run time for vendored kinds, a shipped copy of a vendored CRD included", () => {
    const compile = vi.spyOn(Ajv.prototype, "compile");
    const validator = createSchemaValidator({ crds: [clusterIssuerCrd] });
    for (const [, doc] of DOCUMENTS) validator.validate(doc);
    expect(compile).not.toHaveBeenCalled();
  });

  it("are not used for a shipped CRD whose file differs from the vendored copy: its schema is compiled", () => {
    const compile = vi.spyOn(Ajv.prototype, "compile");
    const edited = { file: "crds/clusterissuers.yaml", text: `${clusterIssuerCrd.text}# edited\n` };
    const result = createSchemaValidator({ crds: [edited] }).validate(clusterIssuer({ servr: "https://x" }));
    expect(result.status).toBe("invalid");
    expect(compile).toHaveBeenCalledTimes(1);
  });
});

describe("eagerFunctions (scripts/eager-functions.ts)", () => {
  /** Runs a CommonJS module's code and returns its exports. */
  const load = (code: string): unknown => {
    const module: { exports: unknown } = { exports: {} };
    const run = runInThisContext(`(function (module) {${code}\n})`) as (target: typeof module) => void;
    run(module);
    return module.exports;
  };
  // The shape of ajv's standalone output: the exports first, then schema constants and mutually recursive functions.
  const standalone = [
    '"use strict";module.exports = validate1;module.exports.default = validate1;',
    'const schema2 = {"type":"string"};',
    "function validate2(data) { return typeof data === schema2.type; }",
    "function validate1(data) { validate1.errors = null; return Array.isArray(data) && data.every((item) => validate2(item) || validate1(item)); }",
  ].join("");

  it("wraps every top-level function in parentheses, keeping names and bodies, and moves the exports to the end", () => {
    const eager = eagerFunctions(standalone);
    expect(eager).toBe(
      [
        '"use strict";const schema2 = {"type":"string"};',
        "var validate2 = (function validate2(data) { return typeof data === schema2.type; });",
        "var validate1 = (function validate1(data) { validate1.errors = null; return Array.isArray(data) && data.every((item) => validate2(item) || validate1(item)); });",
        "\nmodule.exports = validate1;module.exports.default = validate1;\n",
      ].join(""),
    );
    expect(topLevelFunctionDeclarations(standalone)).toEqual(["validate2", "validate1"]);
    expect(topLevelFunctionDeclarations(eager)).toEqual([]);
  });

  it("gives a module with the same exports and the same verdicts", () => {
    const before = load(standalone) as ((data: unknown) => boolean) & { default: unknown };
    const after = load(eagerFunctions(standalone)) as ((data: unknown) => boolean) & { default: unknown };
    expect(after.default).toBe(after);
    for (const data of [["a", ["b"]], ["a", 1], "a", [[[]]]]) expect(after(data)).toBe(before(data));
  });
});
