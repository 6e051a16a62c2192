import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CEL_RULES_FILE, type PrecompiledCelRules } from "./cel-fast.ts";
import { celRulesInputsDigest, serializeCelRules, vendoredCelRules } from "./cel-precompile.ts";

const text = readFileSync(CEL_RULES_FILE, "utf8");
const file = JSON.parse(text) as PrecompiledCelRules;

describe("compiled-cel/rules.json", () => {
  it("was written from the current vendored CRDs, CEL library and subset (run compile-cel-rules after changing them)", () => {
    expect(file.inputsDigest).toBe(celRulesInputsDigest());
    expect(text).toBe(serializeCelRules());
  });

  it("holds every rule of the vendored CRDs", () => {
    expect(Object.keys(file.rules)).toEqual(vendoredCelRules().map((spec) => spec.rule));
    expect(Object.keys(file.rules).length).toBeGreaterThanOrEqual(20);
  });

  it("evaluates every rule of the vendored CRDs without the CEL library (a rule outside the subset would be listed here)", () => {
    const library = Object.entries(file.rules).filter(([, entry]) => entry.kind !== "ready" || entry.expr === undefined);
    expect(library).toEqual([]);
  });
});
