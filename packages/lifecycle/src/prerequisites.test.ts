import { afterEach, describe, expect, it } from "vitest";
import { createFakeTools, type FakeTools } from "../test/fake-tools.ts";
import { checkPrerequisites, compareVersions, formatPrerequisites, parseToolVersion, type ToolName } from "./prerequisites.ts";

const ALL: ToolName[] = ["docker", "kind", "kubectl", "flux"];
const HINTS: Record<ToolName, string> = {
  docker: "docker: not found on PATH — install it: https://docs.docker.com/engine/install/",
  kind: "kind: not found on PATH — install it: https://kind.sigs.k8s.io/docs/user/quick-start/#installation",
  kubectl: "kubectl: not found on PATH — install it: https://kubernetes.io/docs/tasks/tools/#kubectl",
  flux: "flux: not found on PATH — install it: https://fluxcd.io/flux/installation/#install-the-flux-cli",
};

describe("checkPrerequisites", () => {
  let tools: FakeTools | undefined;
  afterEach(() => tools?.cleanup());

  it("finds every tool and parses its version", async () => {
    tools = createFakeTools(ALL);
    const report = await checkPrerequisites(ALL, { path: tools.path, env: tools.env });
    expect(report.ok).toBe(true);
    expect(report.problems).toEqual([]);
    expect(report.checks.map((c) => [c.tool, c.status, c.version, c.path])).toEqual([
      ["docker", "ok", "29.1.0", `${tools.path}/docker`],
      ["kind", "ok", "0.33.0", `${tools.path}/kind`],
      ["kubectl", "ok", "1.32.0", `${tools.path}/kubectl`],
      ["flux", "ok", "2.9.2", `${tools.path}/flux`],
    ]);
    expect(
      tools
        .calls()
        .map((call) => call.join(" "))
        .sort(),
    ).toEqual(["docker version --format {{.Server.Version}}", "flux version --client", "kind version", "kubectl version --client"]);
  });

  it.each(ALL)("reports %s missing from a PATH that has the others, with its install hint", async (missing) => {
    tools = createFakeTools(ALL.filter((tool) => tool !== missing));
    const report = await checkPrerequisites(ALL, { path: tools.path, env: tools.env });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([{ tool: missing, status: "missing", message: HINTS[missing] }]);
    expect(report.checks.filter((c) => c.status === "ok").map((c) => c.tool)).toEqual(ALL.filter((tool) => tool !== missing));
  });

  it("reports all four when none is on PATH", async () => {
    tools = createFakeTools([]);
    const report = await checkPrerequisites(ALL, { path: tools.path, env: tools.env });
    expect(report.problems.map((p) => p.message)).toEqual(ALL.map((tool) => HINTS[tool]));
    expect(formatPrerequisites(report)).toBe(ALL.map((tool) => `✗ ${HINTS[tool]}\n`).join(""));
  });

  it("checks only the tools asked for, once each", async () => {
    tools = createFakeTools(["flux"]);
    const report = await checkPrerequisites(["flux", "flux"], { path: tools.path, env: tools.env });
    expect(report.checks.map((c) => c.tool)).toEqual(["flux"]);
    expect(report.ok).toBe(true);
  });

  it("tells a stopped Docker engine apart from a missing docker", async () => {
    tools = createFakeTools(["docker"], { FAKE_DOCKER_DOWN: "1" });
    const [docker] = (await checkPrerequisites(["docker"], { path: tools.path, env: tools.env })).problems;
    expect(docker?.status).toBe("failed");
    expect(docker?.message).toBe(
      `docker: found at ${tools.path}/docker but "docker version --format {{.Server.Version}}" failed (Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?) — start the Docker engine (kind runs each cluster node as a container): https://docs.docker.com/engine/install/`,
    );
  });

  it("flags versions older than the seed's", async () => {
    tools = createFakeTools(["kind", "flux"], { FAKE_KIND_VERSION: "0.20.0", FAKE_FLUX_VERSION: "2.3.0" });
    const report = await checkPrerequisites(["kind", "flux"], { path: tools.path, env: tools.env });
    expect(report.problems).toEqual([
      {
        tool: "kind",
        status: "outdated",
        path: `${tools.path}/kind`,
        version: "0.20.0",
        message:
          "kind: v0.20.0 is older than the v0.22.0 this needs — upgrade it: https://kind.sigs.k8s.io/docs/user/quick-start/#installation",
      },
    ]);
  });

  it("uses env.PATH when no path is given", async () => {
    tools = createFakeTools(["kind"]);
    const report = await checkPrerequisites(["kind", "kubectl"], { env: tools.env });
    expect(report.checks.map((c) => c.status)).toEqual(["ok", "missing"]);
  });
});

describe("version parsing", () => {
  it.each<[ToolName, string, string | undefined]>([
    ["docker", "29.1.0\n", "29.1.0"],
    ["kind", "kind v0.22.0 go1.21.7 darwin/arm64", "0.22.0"],
    ["kubectl", "Client Version: v1.32.0\nKustomize Version: v5.5.0", "1.32.0"],
    ["kubectl", 'Client Version: version.Info{Major:"1", Minor:"27", GitVersion:"v1.27.3", GitCommit:"x"}', "1.27.3"],
    ["flux", "flux: v2.9.2", "2.9.2"],
    ["flux", "flux version 2.0.1", "2.0.1"],
    ["kind", "something else", undefined],
  ])("reads %s from %j", (tool, output, version) => {
    expect(parseToolVersion(tool, output)).toBe(version);
  });

  it("compares dotted versions numerically", () => {
    expect(compareVersions("0.9.0", "0.22.0")).toBeLessThan(0);
    expect(compareVersions("1.29.0", "1.29")).toBe(0);
    expect(compareVersions("2.10.0", "2.9.2")).toBeGreaterThan(0);
  });
});
