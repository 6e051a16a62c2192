import { describe, expect, it } from "vitest";
import { toStrictSchema } from "./strict-schema.ts";

describe("toStrictSchema", () => {
  it("forbids unknown fields in every object schema with properties, nested ones and list items included", () => {
    const schema = {
      type: "object",
      properties: {
        spec: {
          type: "object",
          properties: { items: { type: "array", items: { type: "object", properties: { a: { type: "string" } } } } },
        },
      },
    };
    expect(toStrictSchema(schema)).toEqual({
      type: "object",
      additionalProperties: false,
      properties: {
        spec: {
          type: "object",
          additionalProperties: false,
          properties: {
            items: {
              type: "array",
              items: { type: "object", additionalProperties: false, properties: { a: { type: "string" } } },
            },
          },
        },
      },
    });
  });

  it.each([
    [
      "x-kubernetes-preserve-unknown-fields",
      { type: "object", "x-kubernetes-preserve-unknown-fields": true, properties: { a: { type: "string" } } },
      { type: "object", properties: { a: { type: "string" } } },
    ],
    [
      "a map (additionalProperties schema)",
      { type: "object", additionalProperties: { type: "string" } },
      { type: "object", additionalProperties: { type: "string" } },
    ],
    ["an object without properties", { type: "object" }, { type: "object" }],
    [
      "anyOf branches, which only constrain values",
      { anyOf: [{ properties: { a: { type: "string" } }, required: ["a"] }] },
      { anyOf: [{ properties: { a: { type: "string" } }, required: ["a"] }] },
    ],
  ])("leaves %s open", (_name, schema, expected) => {
    expect(toStrictSchema(schema)).toEqual(expected);
  });

  it.each([
    ["nullable", { type: "string", nullable: true }, { type: ["string", "null"] }],
    [
      "OpenAPI's boolean exclusiveMinimum",
      { type: "integer", minimum: 0, exclusiveMinimum: true },
      { type: "integer", exclusiveMinimum: 0 },
    ],
    [
      "x-kubernetes-list-type: set",
      { type: "array", items: { type: "string" }, "x-kubernetes-list-type": "set" },
      { type: "array", items: { type: "string" }, uniqueItems: true },
    ],
    [
      "CEL rules, descriptions and defaults (dropped)",
      { type: "string", description: "A.", default: "a", "x-kubernetes-validations": [{ rule: "self != ''" }] },
      { type: "string" },
    ],
    ["an unknown format (dropped)", { type: "string", format: "uri" }, { type: "string" }],
  ])("maps %s", (_name, schema, expected) => {
    expect(toStrictSchema(schema)).toEqual(expected);
  });

  it("replaces the root's bare metadata with the given schema", () => {
    const schema = { type: "object", properties: { metadata: { type: "object" }, spec: { type: "object" } } };
    expect(toStrictSchema(schema, { metadata: { $ref: "meta" } })).toEqual({
      type: "object",
      additionalProperties: false,
      properties: { metadata: { $ref: "meta" }, spec: { type: "object" } },
    });
  });
});
