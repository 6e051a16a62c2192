import { createHash } from "node:crypto";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { createFakeTools, createOutput, readAllFiles, type FakeTools } from "../test/fake-tools.ts";
import { LifecycleError } from "./errors.ts";
import { bootstrapGithubArgv, fluxBootstrap, fluxUp, planFluxUp, resolveRepositoryOptions } from "./flux-up.ts";
import { formatCommand, formatPlan } from "./plan.ts";
import { createFleetTopology } from "./topology.ts";

const TWO = createFleetTopology({ spokes: ["staging", "production"] });
const FIVE = createFleetTopology({ spokes: ["staging", "production", "qa", "edge-eu", "edge-us"] });
const TOKEN = "ghp_Zq81TESTtokenThatMustNeverLeak0000";
const URL = "https://github.com/acme/fleet";

describe("flux up plan", () => {
  it("installs Flux on the hub and syncs ./hub from the repository, token through stdin", () => {
    expect(planFluxUp(TWO, { repositoryUrl: URL, branch: "main", token: TOKEN }).steps.map(formatCommand)).toEqual([
      "flux install --context kind-flux-hub",
      [
        "kubectl --context kind-flux-hub apply --server-side --force-conflicts --field-manager=flux-fleet -f - <<'EOF'",
        '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"flux-system","namespace":"flux-system"},"type":"Opaque","data":{"username":"Z2l0","password":"***"}}',
        "EOF",
      ].join("\n"),
      "flux create source git flux-system --context kind-flux-hub --namespace flux-system --url=https://github.com/acme/fleet --branch=main --ignore-paths=hub/flux-system/ --interval=1m --secret-ref=flux-system",
      "flux create kustomization flux-system --context kind-flux-hub --namespace flux-system --source=GitRepository/flux-system --path=./hub --prune=true --interval=10m",
    ]);
  });

  it("needs no secret for a public repository, and the hub is the only cluster it touches, whatever the spoke count", () => {
    const two = planFluxUp(TWO, { repositoryUrl: URL, branch: "release" }).steps.map(formatCommand);
    expect(two).toEqual([
      "flux install --context kind-flux-hub",
      "flux create source git flux-system --context kind-flux-hub --namespace flux-system --url=https://github.com/acme/fleet --branch=release --ignore-paths=hub/flux-system/ --interval=1m",
      "flux create kustomization flux-system --context kind-flux-hub --namespace flux-system --source=GitRepository/flux-system --path=./hub --prune=true --interval=10m",
    ]);
    expect(planFluxUp(FIVE, { repositoryUrl: URL, branch: "release" }).steps.map(formatCommand)).toEqual(two);
  });

  it("adds extra controllers when asked", () => {
    const plan = planFluxUp(TWO, { repositoryUrl: URL, componentsExtra: ["image-reflector-controller", "image-automation-controller"] });
    expect(plan.steps[0]?.argv).toEqual([
      "flux",
      "install",
      "--context",
      "kind-flux-hub",
      "--components-extra=image-reflector-controller,image-automation-controller",
    ]);
  });

  it("never shows the token, nor its base64 form, in the plan however it is printed", () => {
    const plan = planFluxUp(FIVE, { repositoryUrl: URL, token: TOKEN, username: "octocat" });
    const encoded = Buffer.from(TOKEN).toString("base64");
    for (const text of [formatPlan(plan), JSON.stringify(plan), inspect(plan, { depth: null }), String(plan.steps.map((s) => s.argv))]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(encoded);
    }
    expect(formatPlan(plan)).toContain('"password":"***"');
    expect(plan.steps.flatMap((s) => s.argv).some((word) => word.includes("password"))).toBe(false);
  });

  it.each([
    ["ssh://git@github.com/acme/fleet", TOKEN, /is not HTTPS, so the token would not be used/],
    ["http://git.example/acme/fleet", TOKEN, /is not HTTPS/],
    [
      `https://octocat:${TOKEN}@github.com/acme/fleet`,
      undefined,
      /The repository URL carries a password: remove it from the URL and set GITHUB_TOKEN instead/,
    ],
    ["github.com/acme/fleet", undefined, /Repository URL "github.com\/acme\/fleet" is not a URL/],
    ["file:///srv/fleet", undefined, /uses file:, which Flux cannot clone/],
  ])("rejects %s", (repositoryUrl, token, message) => {
    expect(() => planFluxUp(TWO, { repositoryUrl, ...(token === undefined ? {} : { token }) })).toThrow(message);
  });

  it.each([
    [
      "a token as the user",
      `https://${TOKEN}@github.com/acme/fleet`,
      'The repository URL "https://***@github.com/acme/fleet" carries credentials before its host',
    ],
    [
      "a token in the query",
      `https://github.com/acme/fleet?token=${TOKEN}`,
      'The repository URL "https://github.com/acme/fleet?token=***" carries a query or fragment',
    ],
    [
      "an access_token among other parameters",
      `https://github.com/acme/fleet?a=1&access_token=${TOKEN}`,
      '"https://github.com/acme/fleet?a=***&access_token=***" carries a query',
    ],
    [
      "a token before a host that does not parse",
      `https://${TOKEN}@github.com:port/acme`,
      'Repository URL "https://***@github.com:port/acme" is not a URL',
    ],
  ])("refuses %s, and its message shows *** instead", (_name, repositoryUrl, message) => {
    let error: Error | undefined;
    try {
      planFluxUp(TWO, { repositoryUrl });
    } catch (caught) {
      error = caught as Error;
    }
    expect(error?.message).toContain(message);
    expect(error?.message).not.toContain(TOKEN);
  });

  it("accepts the user of an SSH URL, which is no credential", () => {
    const plan = planFluxUp(TWO, { repositoryUrl: "ssh://git@github.com/acme/fleet" });
    expect(plan.steps.flatMap((step) => step.argv)).toContain("--url=ssh://git@github.com/acme/fleet");
  });

  it("the URL error does not echo an embedded token", () => {
    let message = "";
    try {
      planFluxUp(TWO, { repositoryUrl: `https://octocat:${TOKEN}@github.com/acme/fleet` });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toBe("");
    expect(message).not.toContain(TOKEN);
  });

  it("reads the repository settings from the environment, flags first", () => {
    const env = { FLEET_REPO_URL: URL, FLEET_REPO_BRANCH: "feature", GITHUB_USER: "octocat", GITHUB_TOKEN: TOKEN };
    const fromEnv = resolveRepositoryOptions({}, env);
    expect([fromEnv.repositoryUrl, fromEnv.branch, fromEnv.username, fromEnv.token?.toString()]).toEqual([
      URL,
      "feature",
      "octocat",
      "***",
    ]);
    expect(resolveRepositoryOptions({ branch: "main", repositoryUrl: "https://github.com/o/r" }, env)).toMatchObject({
      branch: "main",
      repositoryUrl: "https://github.com/o/r",
    });
    expect(resolveRepositoryOptions({}, { FLEET_REPO_URL: URL })).toMatchObject({ branch: "main", username: "git" });
    expect(resolveRepositoryOptions({}, { FLEET_REPO_URL: URL, GITHUB_TOKEN: "" }).token).toBeUndefined();
    expect(() => resolveRepositoryOptions({}, {})).toThrow(/No repository URL: pass --repository-url or set FLEET_REPO_URL/);
  });
});

describe("fluxUp", () => {
  let tools: FakeTools | undefined;
  afterEach(() => tools?.cleanup());

  it("prints *** in a dry run", async () => {
    tools = createFakeTools(["kubectl", "flux"], { FLEET_REPO_URL: URL, GITHUB_TOKEN: TOKEN });
    const stdout = createOutput();
    const stderr = createOutput();
    const result = await fluxUp(TWO, { dryRun: true, cwd: tools.cwd, env: tools.env, stdout, stderr });
    expect(result.ran).toBe(false);
    expect(stdout.text()).toContain('"password":"***"');
    expect(stdout.text() + stderr.text()).not.toContain(TOKEN);
    expect(stderr.text()).toContain("✓ flux: v2.9.2");
    // Only the (concurrent) version checks ran.
    expect(
      tools
        .calls()
        .map((call) => call.slice(0, 2).join(" "))
        .sort(),
    ).toEqual(["flux version", "kubectl version"]);
  });

  it("hands the token to kubectl on stdin only: not in any argument, log or file", async () => {
    tools = createFakeTools(["kubectl", "flux"], { FLEET_REPO_URL: URL, FLEET_REPO_BRANCH: "main", GITHUB_TOKEN: TOKEN });
    const stdout = createOutput();
    const stderr = createOutput();
    const result = await fluxUp(TWO, { cwd: tools.cwd, env: tools.env, stdout, stderr });
    expect(result.ran).toBe(true);
    const calls = tools.calls();
    const sha = createHash("sha256").update(TOKEN).digest("hex");
    expect(calls).toContainEqual(["stdin", "Secret", sha]);
    expect(calls.filter((call) => call[1] !== "version").map((call) => call.slice(0, 3).join(" "))).toEqual([
      "flux install --context",
      "kubectl --context kind-flux-hub",
      "stdin Secret " + sha,
      "flux create source",
      "flux create kustomization",
    ]);
    const encoded = Buffer.from(TOKEN).toString("base64");
    for (const file of readAllFiles(tools.root)) {
      expect(file.content, file.path).not.toContain(TOKEN);
      expect(file.content, file.path).not.toContain(encoded);
    }
    expect(stdout.text() + stderr.text()).not.toContain(TOKEN);
  });
});

describe("flux bootstrap github", () => {
  it("builds the seed's bootstrap command for the hub context", () => {
    expect(bootstrapGithubArgv(TWO, { owner: "acme", repository: "fleet" })).toEqual([
      "flux",
      "bootstrap",
      "github",
      "--context=kind-flux-hub",
      "--owner=acme",
      "--repository=fleet",
      "--branch=main",
      "--personal",
      "--path=hub",
    ]);
    const lab = createFleetTopology({ prefix: "lab-", spokes: ["a"] });
    expect(bootstrapGithubArgv(lab, { owner: "org", repository: "r", personal: false, branch: "trunk" }).slice(3)).toEqual([
      "--context=kind-lab-hub",
      "--owner=org",
      "--repository=r",
      "--branch=trunk",
      "--path=hub",
    ]);
  });

  it("takes owner and repository from the environment and shows the token as ***", async () => {
    const stdout = createOutput();
    await fluxBootstrap(TWO, {
      dryRun: true,
      env: { PATH: "", GITHUB_USER: "acme", GITHUB_REPO: "fleet", GITHUB_TOKEN: TOKEN },
      stdout,
      stderr: createOutput(),
    });
    expect(stdout.text()).toContain(
      "GITHUB_TOKEN=*** flux bootstrap github --context=kind-flux-hub --owner=acme --repository=fleet --branch=main --personal --path=hub\n",
    );
    expect(stdout.text()).not.toContain(TOKEN);
    await expect(fluxBootstrap(TWO, { dryRun: true, env: { PATH: "" }, stdout, stderr: createOutput() })).rejects.toThrow(LifecycleError);
  });
});
