import { describe, expect, it } from "vitest";
import { fieldName, showValue } from "./problems.ts";

describe("fieldName", () => {
  it.each([
    ["/spec/interval", "spec.interval"],
    ["/spec/containers/0/image", "spec.containers[0].image"],
    ["/metadata/labels/app.kubernetes.io~1name", 'metadata.labels["app.kubernetes.io/name"]'],
    ["/data/tls.crt", 'data["tls.crt"]'],
    ["/metadata/annotations/a~0b", 'metadata.annotations["a~b"]'],
    ["", "the object"],
  ])("names %j %s", (pointer, expected) => {
    expect(fieldName(pointer)).toBe(expected);
  });
});

describe("showValue", () => {
  it.each([
    ["5m", '"5m"'],
    [5, "5"],
    [true, "true"],
    [null, "null"],
    [undefined, "nothing"],
    [{ a: [1] }, '{"a":[1]}'],
    ["x".repeat(100), `"${"x".repeat(77)}..."`],
  ])("quotes %j as %s", (value, expected) => {
    expect(showValue(value)).toBe(expected);
  });
});
