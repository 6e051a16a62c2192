import { isDns1123Label, isDns1123Subdomain } from "@flux-fleet/schemas";
import validRange from "semver/ranges/valid.js";

// The pattern Flux's CRDs enforce on every duration field.
const FLUX_DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;

/** A rule's verdict: undefined when the value is fine, else the sentence that says what is wrong and how to fix it. */
export type RuleResult = string | undefined;

export function checkDns1123Label(value: unknown, what: string): RuleResult {
  if (typeof value !== "string") return `${what} must be a string, got ${describeValue(value)}.`;
  if (!isDns1123Label(value)) {
    return `${JSON.stringify(value)} is not a valid DNS-1123 label for ${what}: use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit.`;
  }
  return undefined;
}

export function checkDns1123Subdomain(value: unknown, what: string): RuleResult {
  if (typeof value !== "string") return `${what} must be a string, got ${describeValue(value)}.`;
  if (!isDns1123Subdomain(value)) {
    return `${JSON.stringify(value)} is not a valid DNS-1123 subdomain for ${what}: use lowercase letters, digits, "-" and ".".`;
  }
  return undefined;
}

export function checkFluxDuration(value: unknown): RuleResult {
  if (typeof value !== "string") return `must be a Flux duration string such as "10m", got ${describeValue(value)}.`;
  if (!FLUX_DURATION.test(value))
    return `${JSON.stringify(value)} is not a Flux duration: use a number with ms, s, m or h, such as "30s", "10m" or "1h30m".`;
  return undefined;
}

export function checkSemverRange(value: unknown): RuleResult {
  if (typeof value !== "string") return `must be a chart version or semver range string, got ${describeValue(value)}.`;
  if (validRange(value) === null) {
    return `${JSON.stringify(value)} is not a valid semver range: use an exact version such as "1.2.3" or a range such as ">=1.0.0" or "1.x".`;
  }
  return undefined;
}

export function checkType(value: unknown, type: "string" | "boolean" | "object" | "integer" | "array"): RuleResult {
  const ok =
    type === "integer"
      ? Number.isInteger(value) && (value as number) >= 0
      : type === "object"
        ? value !== null && typeof value === "object" && !Array.isArray(value)
        : type === "array"
          ? Array.isArray(value)
          : typeof value === type;
  if (ok) return undefined;
  const expected = { string: "a string", boolean: "true or false", object: "an object", integer: "a whole number ≥ 0", array: "a list" }[
    type
  ];
  return `must be ${expected}, got ${describeValue(value)}.`;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects returned above: a primitive or function is left
  return `${typeof value} ${String(value)}`;
}
