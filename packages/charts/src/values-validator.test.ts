import { describe, expect, it } from "vitest";
import { certManagerValuesSchema, ingressNginxValuesSchema, podinfoValuesSchema } from "./index.ts";
import { checkChartValues, compileValuesSchema } from "./values-validator.ts";
import { defineChartSchema } from "./chart-schema.ts";

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
