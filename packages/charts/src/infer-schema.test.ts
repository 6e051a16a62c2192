import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseChartYaml } from "./chart-values-schema.ts";
import { INFERRED_DESCRIPTION, inferValuesSchema } from "./infer-schema.ts";
import type { JsonSchema } from "./chart-schema.ts";

const vendored = (chart: string, version: string) =>
  parseChartYaml(readFileSync(new URL(`../vendor/${chart}/${version}/values.yaml`, import.meta.url), "utf8"));

/** The schema node at a dotted path of properties. */
function at(schema: JsonSchema, path: string): JsonSchema | undefined {
  let node: JsonSchema | undefined = schema;
  for (const key of path.split(".")) node = (node?.["properties"] as Record<string, JsonSchema> | undefined)?.[key];
  return node;
}

describe("inferValuesSchema", () => {
  it("types each key from its default, closes objects with keys, and leaves {}, lists and null open", () => {
    expect(inferValuesSchema({ n: 1, s: "a", b: true, map: {}, list: [1], none: null, nested: { x: 1 } })).toEqual({
      $schema: "http://json-schema.org/draft-07/schema#",
      description: INFERRED_DESCRIPTION,
      type: "object",
      additionalProperties: false,
      properties: {
        n: { type: "number" },
        s: { type: "string" },
        b: { type: "boolean" },
        map: { type: "object" },
        list: { type: "array" },
        none: {},
        nested: { type: "object", additionalProperties: false, properties: { x: { type: "number" } } },
      },
    });
  });

  it.each([
    ["a Service's type", { service: { type: "ClusterIP" } }, "service.type", ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]],
    ["an image pull policy", { image: { pullPolicy: "IfNotPresent" } }, "image.pullPolicy", ["Always", "IfNotPresent", "Never"]],
    ["an unset traffic policy", { service: { externalTrafficPolicy: "" } }, "service.externalTrafficPolicy", ["", "Cluster", "Local"]],
  ])("allows only the values Kubernetes accepts for %s", (_what, values, path, allowed) => {
    expect(at(inferValuesSchema(values), path)).toEqual({ type: "string", enum: allowed });
  });

  it.each([
    ["a type outside a service", { job: { type: "ClusterIP" } }, "job.type"],
    ["a default Kubernetes does not know (the chart's own meaning)", { service: { type: "internal" } }, "service.type"],
  ])("leaves a plain string for %s", (_what, values, path) => {
    expect(at(inferValuesSchema(values), path)).toEqual({ type: "string" });
  });

  it("keeps a __proto__ key as a property", () => {
    const schema = inferValuesSchema(JSON.parse('{"__proto__": {"a": 1}}'));
    expect(Object.keys(schema["properties"] as object)).toEqual(["__proto__"]);
  });

  it.each([
    ["podinfo", "6.14.1", "replicaCount", { type: "number" }],
    ["podinfo", "6.14.1", "podAnnotations", { type: "object" }],
    ["podinfo", "6.14.1", "ingress.hosts", { type: "array" }],
    ["podinfo", "6.14.1", "ingress.className", { type: "string" }],
    ["podinfo", "6.14.1", "host", {}],
    [
      "ingress-nginx",
      "4.15.1",
      "controller.service.type",
      { type: "string", enum: ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"] },
    ],
    ["ingress-nginx", "4.15.1", "controller.replicaCount", { type: "number" }],
    ["ingress-nginx", "4.15.1", "controller.admissionWebhooks.enabled", { type: "boolean" }],
    [
      "ingress-nginx",
      "4.15.1",
      "controller.nodeSelector",
      { type: "object", additionalProperties: false, properties: { "kubernetes.io/os": { type: "string" } } },
    ],
    ["ingress-nginx", "4.15.1", "tcp", { type: "object" }],
    ["cert-manager", "v1.21.1", "crds.enabled", { type: "boolean" }],
  ])("infers %s %s's %s from the vendored values.yaml", (chart, version, path, expected) => {
    expect(at(inferValuesSchema(vendored(chart, version)), path)).toEqual(expected);
  });

  it.each([
    ["podinfo", "6.14.1", "replicaCount"],
    ["ingress-nginx", "4.15.1", "controller"],
  ])("closes %s %s's top level, so a misspelt key is refused", (chart, version, key) => {
    const schema = inferValuesSchema(vendored(chart, version));
    expect(schema["additionalProperties"]).toBe(false);
    expect(Object.keys(schema["properties"] as object)).toContain(key);
  });

  it("does not know ingress-nginx's admissionWebhooks at the top level: the chart reads controller.admissionWebhooks", () => {
    expect(at(inferValuesSchema(vendored("ingress-nginx", "4.15.1")), "admissionWebhooks")).toBeUndefined();
  });
});
