import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { gen } from "@flux-fleet/generator";
import { run } from "./cli.ts";
import { createFleetRepository } from "./create.ts";
import { SCRIPTS } from "./templates.ts";
import { dependencyRanges } from "./versions.ts";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

async function versionOf(dir: string): Promise<string> {
  return (JSON.parse(await readFile(join(REPO_ROOT, "packages", dir, "package.json"), "utf8")) as { version: string }).version;
}

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream, text: () => chunks.join("") };
}

let temp = "";
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "create-flux-fleet-"));
});
afterEach(async () => {
  await rm(temp, { recursive: true, force: true });
});

describe("dependencyRanges", () => {
  it("reads the @flux-fleet packages' current versions from the workspace, and the tools' ranges", async () => {
    const { fleet, tools } = dependencyRanges();
    expect(fleet).toEqual({
      "@flux-fleet/generator": `^${await versionOf("generator")}`,
      "@flux-fleet/models": `^${await versionOf("models")}`,
      "@flux-fleet/fleet": `^${await versionOf("fleet")}`,
      "@flux-fleet/tenants": `^${await versionOf("tenants")}`,
    });
    expect(Object.keys(tools).sort()).toEqual(["@types/node", "typescript"]);
  });
});

describe("createFleetRepository", () => {
  it("writes the seed repository: package.json with the scripts and versions, tsconfig, fleet/, .gitignore, README", async () => {
    const dir = join(temp, "my-fleet");
    const result = await createFleetRepository({ dir, packageManager: "pnpm@10.34.8" });
    expect(result.files).toEqual([
      ".gitignore",
      "README.md",
      "fleet/clusters.ts",
      "fleet/fleet.ts",
      "fleet/tenants.ts",
      "package.json",
      "tsconfig.json",
    ]);
    const manifest = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as Record<string, unknown>;
    expect(manifest).toMatchObject({ name: "my-fleet", private: true, type: "module", packageManager: "pnpm@10.34.8", scripts: SCRIPTS });
    expect(manifest["dependencies"]).toEqual(dependencyRanges().fleet);
    expect(manifest["pnpm"]).toBeUndefined();
    expect(Object.keys(SCRIPTS)).toEqual(
      expect.arrayContaining(["gen", "gen:check", "validate", "typecheck", "test", "fleet:up", "flux:up", "fleet:down"]),
    );
    expect(await readFile(join(dir, "fleet/clusters.ts"), "utf8")).toContain("seedProfile");
    expect(await readFile(join(dir, "README.md"), "utf8")).toMatch(/^# my-fleet\n/);
  });

  it("writes this repository's seed fleet files as the seed template's", async () => {
    const dir = join(temp, "seed");
    await createFleetRepository({ dir, packageManager: "pnpm@10.34.8" });
    for (const file of ["fleet/tenants.ts", "fleet/clusters.ts"])
      expect(await readFile(join(dir, file), "utf8"), file).toBe(await readFile(join(REPO_ROOT, file), "utf8"));
  });

  it("depends on the tarballs of --packages-from, and overrides the indirect @flux-fleet packages with them too", async () => {
    const tarballs = join(temp, "tarballs");
    await mkdir(tarballs);
    for (const name of ["generator", "models", "fleet", "tenants", "lifecycle", "schemas"])
      await writeFile(join(tarballs, `flux-fleet-${name}-0.1.0.tgz`), "");
    await writeFile(join(tarballs, "create-flux-fleet-0.0.0.tgz"), "");
    await createFleetRepository({ dir: join(temp, "air-gapped"), packagesFrom: tarballs, packageManager: "pnpm@10.34.8" });
    const manifest = JSON.parse(await readFile(join(temp, "air-gapped/package.json"), "utf8")) as {
      dependencies: Record<string, string>;
      pnpm: { overrides: Record<string, string> };
    };
    expect(manifest.dependencies["@flux-fleet/generator"]).toBe(`file:${tarballs}/flux-fleet-generator-0.1.0.tgz`);
    expect(Object.keys(manifest.dependencies)).toEqual([
      "@flux-fleet/fleet",
      "@flux-fleet/generator",
      "@flux-fleet/models",
      "@flux-fleet/tenants",
    ]);
    expect(manifest.pnpm.overrides["@flux-fleet/lifecycle"]).toBe(`file:${tarballs}/flux-fleet-lifecycle-0.1.0.tgz`);
    expect(Object.keys(manifest.pnpm.overrides)).toHaveLength(6);
  });

  it("names the packages --packages-from lacks", async () => {
    await writeFile(join(temp, "flux-fleet-generator-0.1.0.tgz"), "");
    await expect(createFleetRepository({ dir: join(temp, "x"), packagesFrom: temp, packageManager: "pnpm@10.34.8" })).rejects.toThrow(
      /holds no tarball of @flux-fleet\/fleet, @flux-fleet\/models, @flux-fleet\/tenants: run "pnpm pack"/,
    );
  });

  it("writes an empty fleet that the generator turns into a hub and two spokes with no warning", async () => {
    const dir = join(temp, "empty-fleet");
    await createFleetRepository({ dir, template: "empty", packageManager: "pnpm@10.34.8" });
    // The workspace's packages stand in for the installed ones (the pack test installs the real tarballs).
    await symlink(join(REPO_ROOT, "fleet/node_modules"), join(dir, "node_modules"), "dir");
    const out: string[] = [];
    const result = await gen({ root: dir, out: (text) => out.push(text) });
    expect(result.warnings).toEqual([]);
    expect(result.exitCode).toBe(0);
    const paths = result.plan.changes.map((change) => change.path);
    expect(paths).toEqual(
      expect.arrayContaining(["hub/staging.yaml", "hub/production.yaml", ".github/workflows/test.yaml", ".github/workflows/e2e.yaml"]),
    );
    expect(paths).not.toContain(".github/workflows/release.yaml");
  });
});

describe("run", () => {
  it("refuses a folder that is not empty, with exit code 1 and one line saying what to do", async () => {
    await writeFile(join(temp, "notes.txt"), "mine");
    const error = capture();
    const code = await run([temp, "--yes"], { error: error.stream, output: capture().stream, interactive: false });
    expect(code).toBe(1);
    expect(error.text()).toBe(`The folder "${temp}" is not empty (notes.txt): choose a new folder, or empty this one.\n`);
  });

  it("asks nothing when flags are given, and says what to run next", async () => {
    const output = capture();
    const code = await run(["my-fleet", "--template", "empty", "--name", "acme-fleet"], {
      output: output.stream,
      interactive: true,
      cwd: temp,
    });
    expect(code).toBe(0);
    expect(output.text()).toMatch(
      /^Created my-fleet from the empty template: .*\n\nNext: pnpm gen writes .*\n {2}cd my-fleet\n {2}pnpm install\n {2}pnpm gen\n/,
    );
    expect(JSON.parse(await readFile(join(temp, "my-fleet/package.json"), "utf8"))).toMatchObject({ name: "acme-fleet" });
  });

  it("prompts on a terminal for what no flag gave, re-asking an unknown template", async () => {
    const input = new PassThrough();
    const output = capture();
    const pending = run([], { input, output: output.stream, interactive: true, cwd: temp });
    for (const answer of ["prompted\n", "\n", "bogus\n", "empty\n"]) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      input.write(answer);
    }
    expect(await pending).toBe(0);
    expect(output.text()).toContain('"bogus" is not a template: answer seed or empty.');
    const manifest = JSON.parse(await readFile(join(temp, "prompted/package.json"), "utf8")) as { name: string };
    expect(manifest.name).toBe("prompted");
    expect(await readFile(join(temp, "prompted/fleet/clusters.ts"), "utf8")).toContain("components: []");
  });

  it.each([
    [["--template", "big", "x"], '--template "big" is not a template: use seed or empty.\n'],
    [[], "Which folder? Pass it: create-flux-fleet my-fleet (see --help).\n"],
    [["a", "b"], 'One folder, please: got "a", "b".\n'],
  ])("rejects %j off a terminal with a message saying what to pass", async (argv, message) => {
    const error = capture();
    expect(await run(argv, { error: error.stream, interactive: false, cwd: temp })).toBe(1);
    expect(error.text()).toBe(message);
  });
});
