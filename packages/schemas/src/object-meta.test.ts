import { describe, expect, it } from "vitest";
import { checkObjectMeta, isDns1123Label, isDns1123Subdomain } from "./object-meta.ts";

const messages = (apiVersion: string, kind: string, metadata: unknown) =>
  checkObjectMeta({ apiVersion, kind, metadata }).map((p) => `${p.path} ${p.message}`);

describe("checkObjectMeta", () => {
  it.each([
    ["v1", "Namespace", "apps.team", "is not a valid Namespace name: a DNS-1123 label"],
    ["v1", "Service", "1web", "is not a valid Service name: a DNS-1035 label"],
    ["v1", "ConfigMap", "Settings", "is not a valid ConfigMap name: a DNS-1123 subdomain"],
    ["cert-manager.io/v1", "ClusterIssuer", "lets_encrypt", "is not a valid ClusterIssuer name: a DNS-1123 subdomain"],
    [
      "rbac.authorization.k8s.io/v1",
      "ClusterRole",
      "a/b",
      'is not a valid ClusterRole name: it may not be "." or ".." nor contain "/" or "%"',
    ],
  ])("rejects a %s %s named %j", (apiVersion, kind, name, expected) => {
    const [problem] = messages(apiVersion, kind, { name });
    expect(problem).toContain(`/metadata/name metadata.name: ${JSON.stringify(name)} ${expected}`);
  });

  it.each([
    ["v1", "Namespace", "apps"],
    ["v1", "Service", "web"],
    ["v1", "ConfigMap", "app.settings"],
    ["rbac.authorization.k8s.io/v1", "ClusterRole", "system:flux:Admin"],
  ])("accepts a %s %s named %j", (apiVersion, kind, name) => {
    expect(messages(apiVersion, kind, { name })).toEqual([]);
  });

  it("checks label and annotation keys and label values as the API server does", () => {
    expect(
      messages("v1", "ConfigMap", {
        name: "a",
        labels: { "app.kubernetes.io/name": "web", "Bad Prefix/x": "v", team: "platform team", empty: "", [`k${"x".repeat(63)}`]: "v" },
        annotations: { "example.com/note": "any value at all, spaces included", "-bad": "v" },
      }),
    ).toEqual([
      '/metadata/labels/Bad Prefix~1x metadata.labels: the key "Bad Prefix/x" is not valid: its prefix "Bad Prefix" must be a DNS-1123 subdomain of at most 253 characters.',
      '/metadata/labels/team metadata.labels["team"]: the value "platform team" is not a valid label value: use at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit, or "".',
      `/metadata/labels/k${"x".repeat(63)} metadata.labels: the key "k${"x".repeat(63)}" is not valid: its name part "k${"x".repeat(63)}" must be 1 to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit.`,
      '/metadata/annotations/-bad metadata.annotations: the key "-bad" is not valid: its name part "-bad" must be 1 to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit.',
    ]);
  });

  it("rejects a namespace that is not a DNS-1123 label", () => {
    expect(messages("v1", "ConfigMap", { name: "a", namespace: "Apps" })).toEqual([
      '/metadata/namespace metadata.namespace: "Apps" is not a valid namespace: a DNS-1123 label has at most 63 lowercase letters, digits and "-".',
    ]);
  });

  it("knows the DNS-1123 limits", () => {
    expect(isDns1123Label("a".repeat(63))).toBe(true);
    expect(isDns1123Label("a".repeat(64))).toBe(false);
    expect(isDns1123Subdomain(`${"a".repeat(63)}.${"b".repeat(63)}`)).toBe(true);
    expect(isDns1123Subdomain("a..b")).toBe(false);
  });
});
