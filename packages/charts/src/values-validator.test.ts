import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { VENDORED_VALUES_SCHEMAS } from "../scripts/compile-validators.ts";
import { certManagerValuesSchema, ingressNginxValuesSchema, podinfoValuesSchema, VENDORED_CHARTS } from "./index.ts";
import {
  checkChartValues,
  COMPILED_DIRECTORY,
  compileValuesSchema,
  precompiledInputsDigest,
  valuesSchemaKey,
  type PrecompiledValuesIndex,
} from "./values-validator.ts";
import { defineChartSchema, type ChartValuesSchema } from "./chart-schema.ts";
import { topLevelFunctionDeclarations } from "../../../scripts/eager-functions.ts";

const didYouMean = (key: string, known: readonly string[]) => known.find((k) => k.startsWith(key.slice(0, 4)));

describe("checkChartValues", () => {
  it("accepts the values the seed sets", () => {
    expect(
      checkChartValues(ingressNginxValuesSchema, { controller: { service: { type: "NodePort" }, admissionWebhooks: { enabled: false } } }),
    ).toEqual([]);
    expect(checkChartValues(certManagerValuesSchema, { crds: { enabled: true } })).toEqual([]);
    expect(checkChartValues(podinfoValuesSchema, { ingress: { enabled: true, className: "nginx", hosts: [{ host: "a" }] } })).toEqual([]);
  });

  it("names an unknown key with its path and the key it most likely meant", () => {
    expect(
      checkChartValues(ingressNginxValuesSchema, { controller: { replicaCount: 2 }, controler: { replicaCount: 2 } }, { didYouMean }),
    ).toEqual([
      {
        path: "controler",
        segments: ["controler"],
        message:
          'Unknown key "controler" in ingress-nginx 4.15.1\'s values (did you mean "controller"?): the chart does not read it; rename it.',
      },
    ]);
  });

  it("refuses a key in a closed object of the chart's own schema (cert-manager)", () => {
    const [problem] = checkChartValues(certManagerValuesSchema, { crds: { enabeld: true } });
    expect(problem?.path).toBe("crds.enabeld");
    expect(problem?.message).toContain("cert-manager v1.21.1's crds");
  });

  it.each([
    [certManagerValuesSchema, { crds: { enabled: "yes" } }, "crds.enabled", '"yes" is not a boolean'],
    [podinfoValuesSchema, { replicaCount: "two" }, "replicaCount", '"two" is not a number'],
    [ingressNginxValuesSchema, { controller: { service: { type: 1 } } }, "controller.service.type", "1 is not a string"],
  ])("refuses a value of the wrong type, naming its path", (schema, values, path, message) => {
    const [problem, ...rest] = checkChartValues(schema, values);
    expect(rest).toEqual([]);
    expect(problem?.path).toBe(path);
    expect(problem?.message).toContain(message);
  });

  it("leaves maps whose default is {} and lists open", () => {
    expect(checkChartValues(podinfoValuesSchema, { podAnnotations: { anything: "x" }, extraArgs: ["--a", 1] })).toEqual([]);
  });

  it("compiles each schema once", () => {
    expect(compileValuesSchema(podinfoValuesSchema)).toBe(compileValuesSchema(podinfoValuesSchema));
  });

  it("reports a list index in the path", () => {
    const schema = defineChartSchema({
      chart: "x",
      version: "1.0.0",
      source: "chart",
      schema: { type: "object", properties: { l: { type: "array", items: { type: "string" } } } },
    });
    expect(checkChartValues(schema, { l: ["a", 2] }).map((p) => p.path)).toEqual(["l[1]"]);
  });
});

describe("the precompiled values validators", () => {
  const VALUES: Array<[string, ChartValuesSchema<object>, unknown]> = [
    ["valid ingress-nginx values", ingressNginxValuesSchema, { controller: { service: { type: "NodePort" } } }],
    ["an unknown ingress-nginx key", ingressNginxValuesSchema, { controler: { replicaCount: 2 } }],
    ["a wrong cert-manager type", certManagerValuesSchema, { crds: { enabled: "yes" } }],
    ["an unknown key in a closed cert-manager object", certManagerValuesSchema, { crds: { enabeld: true } }],
    ["a podinfo enum outside its values", podinfoValuesSchema, { service: { type: "Cluster" }, image: { pullPolicy: "Sometimes" } }],
    ["values that are not a mapping", podinfoValuesSchema, ["replicaCount"]],
  ];

  it("were generated from the vendored schemas, the options and ajv (run compile-validators after changing them)", () => {
    const index = JSON.parse(readFileSync(new URL("index.json", COMPILED_DIRECTORY), "utf8")) as PrecompiledValuesIndex;
    const keys = VENDORED_VALUES_SCHEMAS.map(valuesSchemaKey);
    expect(index.inputsDigest).toBe(precompiledInputsDigest(keys));
    expect(Object.keys(index.modules)).toEqual(keys);
  });

  it("declare no top-level function, so that V8 compiles them with the module and the compile cache keeps their code", () => {
    const index = JSON.parse(readFileSync(new URL("index.json", COMPILED_DIRECTORY), "utf8")) as PrecompiledValuesIndex;
    for (const file of Object.values(index.modules)) {
      const code = readFileSync(new URL(file, COMPILED_DIRECTORY), "utf8");
      expect({ file, declarations: topLevelFunctionDeclarations(code) }).toEqual({ file, declarations: [] });
    }
  });

  it("cover every vendored chart", () => {
    expect(VENDORED_VALUES_SCHEMAS.map((s) => `${s.chart} ${s.version}`)).toEqual(VENDORED_CHARTS.map((c) => `${c.chart} ${c.version}`));
  });

  it.each(VALUES)("give the verdict and problems of a schema compiled at run time: %s", (_what, schema, values) => {
    const precompiled = compileValuesSchema(schema);
    const runtime = compileValuesSchema(schema, { precompiled: false });
    expect(precompiled).not.toBe(runtime);
    expect(precompiled(values)).toBe(runtime(values));
    expect(precompiled.errors ?? null).toEqual(runtime.errors ?? null);
  });

  it("are used for the vendored charts only: a schema that differs is compiled at run time", () => {
    expect("schemaEnv" in compileValuesSchema(podinfoValuesSchema)).toBe(false);
    const edited = { ...podinfoValuesSchema, schema: { ...podinfoValuesSchema.schema, additionalProperties: true } };
    expect("schemaEnv" in compileValuesSchema(edited)).toBe(true);
    expect(checkChartValues(edited, { anything: 1 })).toEqual([]);
  });
});
