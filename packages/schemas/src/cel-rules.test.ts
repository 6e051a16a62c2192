import { afterEach, describe, expect, it, vi } from "vitest";
import type * as CelFast from "./cel-fast.ts";
import type { FastExpr, PrecompiledCelRule } from "./cel-fast.ts";
import type * as CelRules from "./cel-rules.ts";
import { compileCelRules, toCelValue } from "./cel-rules.ts";
import { currentFluxCrds } from "./crd-catalog.ts";
import { fieldName } from "./problems.ts";

/** One rule's cases: `self` values (at the rule's location) that pass it and one that fails it. */
interface RuleCase {
  kind: string;
  location: string;
  rule: string;
  pass: unknown[];
  fail: unknown;
}

const KUBECONFIG_ONE = "has(self.configMapRef) || has(self.secretRef)";
const KUBECONFIG_NOT_BOTH = "!has(self.configMapRef) || !has(self.secretRef)";
const ref = { name: "cluster-kubeconfig" };

const kubeConfigCases = (kind: string): RuleCase[] => [
  { kind, location: "spec.kubeConfig", rule: KUBECONFIG_ONE, pass: [{ secretRef: ref }, { configMapRef: ref }], fail: {} },
  {
    kind,
    location: "spec.kubeConfig",
    rule: KUBECONFIG_NOT_BOTH,
    pass: [{ secretRef: ref }, { configMapRef: ref }],
    fail: { secretRef: ref, configMapRef: ref },
  },
];

const CASES: RuleCase[] = [
  {
    kind: "HelmRelease",
    location: "spec",
    rule: "(has(self.chart) && !has(self.chartRef)) || (!has(self.chart) && has(self.chartRef))",
    pass: [{ chart: { spec: { chart: "podinfo" } } }, { chartRef: { kind: "OCIRepository", name: "podinfo" } }],
    fail: { chart: { spec: { chart: "podinfo" } }, chartRef: { kind: "OCIRepository", name: "podinfo" } },
  },
  {
    kind: "HelmRelease",
    location: "spec.install.strategy",
    rule: "!has(self.retryInterval) || self.name != 'RemediateOnFailure'",
    pass: [{ name: "RetryOnFailure", retryInterval: "1m" }, { name: "RemediateOnFailure" }],
    fail: { name: "RemediateOnFailure", retryInterval: "1m" },
  },
  {
    kind: "HelmRelease",
    location: "spec.upgrade.strategy",
    rule: "!has(self.retryInterval) || self.name == 'RetryOnFailure'",
    pass: [{ name: "RetryOnFailure", retryInterval: "1m" }, { name: "RemediateOnFailure" }],
    fail: { name: "RemediateOnFailure", retryInterval: "1m" },
  },
  ...kubeConfigCases("HelmRelease"),
  ...kubeConfigCases("Kustomization"),
  {
    kind: "ImagePolicy",
    location: "spec",
    rule: "!has(self.interval) || (has(self.digestReflectionPolicy) && self.digestReflectionPolicy == 'Always')",
    pass: [{ interval: "5m", digestReflectionPolicy: "Always" }, {}],
    fail: { interval: "5m", digestReflectionPolicy: "IfNotPresent" },
  },
  {
    kind: "ImagePolicy",
    location: "spec",
    rule: "has(self.interval) || !has(self.digestReflectionPolicy) || self.digestReflectionPolicy != 'Always'",
    pass: [{ digestReflectionPolicy: "IfNotPresent" }, { interval: "5m", digestReflectionPolicy: "Always" }],
    fail: { digestReflectionPolicy: "Always" },
  },
  {
    kind: "Provider",
    location: "spec",
    rule: "self.type == 'github' || self.type == 'gitlab' || self.type == 'gitea' || self.type == 'bitbucketserver' || self.type == 'bitbucket' || self.type == 'azuredevops' || !has(self.commitStatusExpr)",
    pass: [{ type: "github", commitStatusExpr: "'x'" }, { type: "azuredevops", commitStatusExpr: "'x'" }, { type: "slack" }],
    fail: { type: "slack", commitStatusExpr: "'x'" },
  },
  {
    kind: "Receiver",
    location: "spec",
    rule: "self.type != 'generic-oidc' || (has(self.oidcProviders) && size(self.oidcProviders) > 0)",
    pass: [{ type: "generic-oidc", oidcProviders: [{ issuerURL: "https://issuer" }] }, { type: "github" }],
    fail: { type: "generic-oidc", oidcProviders: [] },
  },
  {
    kind: "Receiver",
    location: "spec",
    rule: "self.type == 'generic-oidc' || !has(self.oidcProviders) || size(self.oidcProviders) == 0",
    pass: [{ type: "github" }, { type: "github", oidcProviders: [] }],
    fail: { type: "github", oidcProviders: [{ issuerURL: "https://issuer" }] },
  },
  {
    kind: "Receiver",
    location: "spec",
    rule: "self.type != 'generic-oidc' || !has(self.secretRef)",
    pass: [{ type: "generic-oidc" }, { type: "github", secretRef: ref }],
    fail: { type: "generic-oidc", secretRef: ref },
  },
  {
    kind: "Receiver",
    location: "spec",
    rule: "self.type == 'generic-oidc' || has(self.secretRef)",
    pass: [{ type: "github", secretRef: ref }, { type: "generic-oidc" }],
    fail: { type: "github" },
  },
  {
    kind: "ArtifactGenerator",
    location: "spec",
    rule: "has(self.pathPattern) && size(self.pathPattern) > 0 || self.artifacts.all(a, a.name.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'))",
    pass: [{ artifacts: [{ name: "app.config" }, { name: "web" }] }, { pathPattern: "{name}", artifacts: [{ name: "Not_A_Name" }] }],
    fail: { artifacts: [{ name: "web" }, { name: "Not_A_Name" }] },
  },
  {
    kind: "Bucket",
    location: "spec",
    rule: "self.provider == 'aws' || self.provider == 'generic' || !has(self.sts)",
    pass: [{ provider: "aws", sts: { provider: "aws" } }, { sts: { provider: "ldap" } }, { provider: "gcp" }],
    fail: { provider: "gcp", sts: { provider: "aws" } },
  },
  {
    kind: "Bucket",
    location: "spec",
    rule: "self.provider != 'aws' || !has(self.sts) || self.sts.provider == 'aws'",
    pass: [{ provider: "aws", sts: { provider: "aws" } }, { provider: "aws" }],
    fail: { provider: "aws", sts: { provider: "ldap" } },
  },
  {
    kind: "Bucket",
    location: "spec",
    rule: "self.provider != 'generic' || !has(self.sts) || self.sts.provider == 'ldap'",
    // provider defaults to "generic": the second case is checked as the API server sees it after defaulting.
    pass: [{ provider: "generic", sts: { provider: "ldap" } }, { sts: { provider: "ldap" } }],
    fail: { sts: { provider: "aws" } },
  },
  {
    kind: "Bucket",
    location: "spec",
    rule: "!has(self.sts) || self.sts.provider != 'aws' || !has(self.sts.secretRef)",
    pass: [
      { provider: "aws", sts: { provider: "aws" } },
      { provider: "generic", sts: { provider: "ldap", secretRef: ref } },
    ],
    fail: { provider: "aws", sts: { provider: "aws", secretRef: ref } },
  },
  {
    kind: "Bucket",
    location: "spec",
    rule: "!has(self.sts) || self.sts.provider != 'aws' || !has(self.sts.certSecretRef)",
    pass: [
      { provider: "aws", sts: { provider: "aws" } },
      { provider: "generic", sts: { provider: "ldap", certSecretRef: ref } },
    ],
    fail: { provider: "aws", sts: { provider: "aws", certSecretRef: ref } },
  },
  {
    kind: "Bucket",
    location: "spec",
    rule: "self.provider != 'generic' || !has(self.serviceAccountName)",
    pass: [{ provider: "aws", serviceAccountName: "flux" }, {}],
    fail: { serviceAccountName: "flux" },
  },
  {
    kind: "Bucket",
    location: "spec",
    rule: "!has(self.secretRef) || !has(self.serviceAccountName)",
    pass: [
      { provider: "aws", secretRef: ref },
      { provider: "aws", serviceAccountName: "flux" },
    ],
    fail: { provider: "aws", secretRef: ref, serviceAccountName: "flux" },
  },
  {
    kind: "GitRepository",
    location: "spec",
    rule: "!has(self.serviceAccountName) || (has(self.provider) && (self.provider == 'azure' || self.provider == 'aws'))",
    pass: [{ provider: "azure", serviceAccountName: "flux" }, { provider: "aws", serviceAccountName: "flux" }, {}],
    fail: { provider: "github", serviceAccountName: "flux" },
  },
  {
    kind: "HelmChart",
    location: "spec",
    rule: "!has(self.verify) || self.sourceRef.kind == 'HelmRepository'",
    pass: [
      { verify: { provider: "cosign" }, sourceRef: { kind: "HelmRepository", name: "podinfo" } },
      { sourceRef: { kind: "GitRepository", name: "x" } },
    ],
    fail: { verify: { provider: "cosign" }, sourceRef: { kind: "GitRepository", name: "x" } },
  },
];

/** Every rule of every served version of the vendored Flux CRDs, with its kind and message. */
const fluxRules = currentFluxCrds().entries.flatMap((crd) =>
  crd.versions.flatMap(({ name, schema }) =>
    schema === undefined ? [] : compileCelRules(schema).rules.map((rule) => ({ ...rule, kind: crd.kind, version: name, schema })),
  ),
);

function at(location: string, self: unknown): Record<string, unknown> {
  return location
    .split(".")
    .reverse()
    .reduce<unknown>((value, segment) => ({ [segment]: value }), self) as Record<string, unknown>;
}

function casesOf(kind: string, location: string, rule: string): RuleCase[] {
  return CASES.filter((c) => c.kind === kind && c.location === location && c.rule === rule);
}

describe("the CEL rules of the vendored Flux CRDs", () => {
  it("finds the rules of every Flux kind that declares some", () => {
    const kinds = [...new Set(fluxRules.map((r) => r.kind))].sort();
    expect(kinds).toEqual([
      "ArtifactGenerator",
      "Bucket",
      "GitRepository",
      "HelmChart",
      "HelmRelease",
      "ImagePolicy",
      "Kustomization",
      "Provider",
      "Receiver",
    ]);
    expect(fluxRules).toHaveLength(24);
  });

  it("has a passing and a failing case for every rule (add one to CASES when the CRDs gain a rule)", () => {
    const missing = fluxRules
      .filter((r) => casesOf(r.kind, r.location, r.rule).length === 0)
      .map((r) => `${r.kind} ${r.location}: ${r.rule}`);
    expect(missing).toEqual([]);
    const stale = CASES.filter((c) => !fluxRules.some((r) => r.kind === c.kind && r.location === c.location && r.rule === c.rule));
    expect(stale).toEqual([]);
  });

  describe.each(fluxRules.map((r) => [`${r.kind}/${r.version} ${r.location}: ${r.rule}`, r] as const))("%s", (_, rule) => {
    const rules = compileCelRules(rule.schema);
    const pointer = `/${rule.location.split(".").join("/")}`;
    const cases = casesOf(rule.kind, rule.location, rule.rule);

    it.each(cases.flatMap((c) => c.pass.map((self) => [JSON.stringify(self), self] as const)))("passes %s", (_, self) => {
      const { problems, unevaluated } = rules.evaluate(at(rule.location, self));
      expect(unevaluated).toEqual([]);
      expect(problems.filter((p) => p.rule === rule.rule)).toEqual([]);
    });

    it.each(cases.map((c) => [JSON.stringify(c.fail), c.fail] as const))(
      "fails %s with the CRD's message at the rule's field",
      (_, self) => {
        const { problems } = rules.evaluate(at(rule.location, self));
        expect(problems.filter((p) => p.rule === rule.rule)).toEqual([
          { path: pointer, message: `${fieldName(pointer)}: ${rule.message ?? ""}`, rule: rule.rule },
        ]);
      },
    );
  });
});

const schemaWith = (validations: unknown[], properties: Record<string, unknown> = {}) => ({
  type: "object",
  properties: { spec: { type: "object", properties, "x-kubernetes-validations": validations } },
});

describe("compileCelRules", () => {
  it("reports a rule that calls a function the library does not provide as not evaluated, never as passed", () => {
    const rules = compileCelRules(schemaWith([{ rule: "isURL(self.url)", message: "url must be a URL" }], { url: { type: "string" } }));
    expect(rules.evaluate({ spec: { url: "not a url" } })).toEqual({
      problems: [],
      unevaluated: [
        {
          path: "/spec",
          rule: "isURL(self.url)",
          reason: "it calls isURL(), which the CEL library flux-fleet uses (@bufbuild/cel) does not provide",
        },
      ],
    });
    // Where the field is absent the rule would not run on the API server either: nothing to report.
    expect(rules.evaluate({})).toEqual({ problems: [], unevaluated: [] });
  });

  it("reports a rule that does not parse as not evaluated", () => {
    const { unevaluated } = compileCelRules(schemaWith([{ rule: "self.(" }])).evaluate({ spec: {} });
    expect(unevaluated).toHaveLength(1);
    expect(unevaluated[0]?.reason).toMatch(/^it does not parse: /);
  });

  it("does not run transition rules (oldSelf) on create, as the API server does", () => {
    const rules = compileCelRules(schemaWith([{ rule: "self == oldSelf", message: "immutable" }]));
    expect(rules.evaluate({ spec: { a: 1 } })).toEqual({ problems: [], unevaluated: [] });
  });

  it("uses messageExpression, fieldPath and the default message of a rule without one", () => {
    const rules = compileCelRules(
      schemaWith(
        [
          { rule: "self.replicas <= 3", messageExpression: "'at most 3 replicas, got ' + string(self.replicas)", fieldPath: ".replicas" },
          { rule: "self.name.startsWith('web')" },
        ],
        { replicas: { type: "integer" }, name: { type: "string" } },
      ),
    );
    expect(rules.evaluate({ spec: { replicas: 5, name: "api" } }).problems).toEqual([
      { path: "/spec/replicas", message: "spec.replicas: at most 3 replicas, got 5", rule: "self.replicas <= 3" },
      { path: "/spec", message: "spec: failed rule: self.name.startsWith('web')", rule: "self.name.startsWith('web')" },
    ]);
  });

  it("evaluates rules on list items and map values, naming the element", () => {
    const rules = compileCelRules({
      type: "object",
      properties: {
        hosts: {
          type: "array",
          items: { type: "string", "x-kubernetes-validations": [{ rule: "self.lowerAscii() == self", message: "lowercase" }] },
        },
        ports: {
          type: "object",
          additionalProperties: { type: "integer", "x-kubernetes-validations": [{ rule: "self > 0", message: "positive" }] },
        },
      },
    });
    expect(rules.evaluate({ hosts: ["a", "B"], ports: { http: 80, bad: 0 } }).problems.map((p) => p.message)).toEqual([
      "hosts[1]: lowercase",
      "ports.bad: positive",
    ]);
  });

  it.each([
    ["size(self) == 3", []],
    ["self.all(key, key != 'values')", ["spec: m"]],
    ["has(self.chart) && self.chart.name == 'x'", []],
    ["self.zone == 'b'", []],
    ["self.exists(key, key == 'zone') && self.zone == 'a'", ["spec: m"]],
  ])("gives %s the whole object, or the fields it reads, with the same verdict", (rule, messages) => {
    // Two rules on one field: each sees what it would see alone, whichever reads self as a whole.
    const rules = compileCelRules(
      schemaWith(
        [
          { rule, message: "m" },
          { rule: "has(self.chart)", message: "chart" },
        ],
        { zone: { type: "string", default: "b" } },
      ),
    );
    expect(rules.evaluate({ spec: { chart: { name: "x" }, values: { deep: [1, { n: 2 }] } } }).problems.map((p) => p.message)).toEqual(
      messages,
    );
  });

  it("reports a rule that fails to evaluate (a missing field) as the API server does", () => {
    const { problems } = compileCelRules(schemaWith([{ rule: "self.name == 'x'", message: "m" }])).evaluate({ spec: {} });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/^spec: the CRD's rule "self.name == 'x'" could not be evaluated: /);
  });
});

describe("toCelValue", () => {
  it("types integers as CEL int and applies schema defaults", () => {
    const schema = {
      type: "object",
      properties: { replicas: { type: "integer" }, ratio: { type: "number" }, provider: { type: "string", default: "generic" } },
    };
    expect(toCelValue({ replicas: 2, ratio: 1, extra: [3, 1.5] }, schema)).toEqual({
      replicas: 2n,
      ratio: 1,
      extra: [3n, 1.5],
      provider: "generic",
    });
  });
});

describe("compileCelRules with precompiled rules", () => {
  afterEach(() => {
    vi.doUnmock("./cel-fast.ts");
    vi.resetModules();
  });

  /** cel-rules.ts, fresh, reading these entries as compiled-cel/rules.json's. */
  async function withEntries(entries: Record<string, PrecompiledCelRule>): Promise<typeof CelRules> {
    vi.resetModules();
    vi.doMock("./cel-fast.ts", async (importOriginal) => {
      const original = await importOriginal<typeof CelFast>();
      return { ...original, loadPrecompiledCelRules: () => new Map(Object.entries(entries)) };
    });
    return import("./cel-rules.ts");
  }

  it("reports a rule the build classified as not evaluable with the recorded reason, and skips a transition rule", async () => {
    const { compileCelRules: compile } = await withEntries({
      "self.a == 'x'": { kind: "transition" },
      "self.b == 'x'": { kind: "unsupported", reason: "the recorded reason" },
    });
    const rules = compile(schemaWith([{ rule: "self.a == 'x'" }, { rule: "self.b == 'x'" }]));
    expect(rules.evaluate({ spec: { a: "y", b: "y" } })).toEqual({
      problems: [],
      unevaluated: [{ path: "/spec", rule: "self.b == 'x'", reason: "the recorded reason" }],
    });
  });

  it("takes a precompiled verdict only for the same messageExpression, and leaves a failure's messageExpression to the library", async () => {
    // Trees that contradict their rules, so that the test sees which of the two decided.
    const always = (verdict: boolean): FastExpr => ["bool", verdict];
    const { compileCelRules: compile } = await withEntries({
      "self.a == 'x'": { kind: "ready", reads: ["a"], messageProgram: true, messageExpression: "'a is ' + self.a", expr: always(false) },
      "self.b == 'x'": { kind: "ready", reads: ["b"], messageProgram: false, expr: always(true) },
    });
    const rules = compile(
      schemaWith([
        { rule: "self.a == 'x'", messageExpression: "'a is ' + self.a" },
        { rule: "self.b == 'x'", message: "b" },
        { rule: "self.b == 'x'", messageExpression: "'b is ' + self.b" },
      ]),
    );
    expect(rules.evaluate({ spec: { a: "x", b: "y" } }).problems.map((p) => p.message)).toEqual(["spec: b is y"]);
    expect(rules.evaluate({ spec: { a: "y", b: "y" } }).problems.map((p) => p.message)).toEqual(["spec: a is y", "spec: b is y"]);
  });
});
