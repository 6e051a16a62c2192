// The published packages as a user gets them: built, packed with `pnpm pack`, installed with `npm install` from
// the tarballs into a project outside the workspace. Takes about half a minute, most of it `npm install`
// fetching the third-party dependencies; FLUX_FLEET_SKIP_PACK_TEST=1 skips it. The last block scaffolds a fleet repository with
// the packed create-flux-fleet and runs its pnpm install, gen, validate and typecheck.
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const PACKAGES = ["models", "tenants", "charts", "fleet", "profiles", "schemas", "validate", "lifecycle", "generator"] as const;
type PackageDir = (typeof PACKAGES)[number];
const SKIP = process.env["FLUX_FLEET_SKIP_PACK_TEST"] === "1";

interface PackedPackage {
  dir: PackageDir;
  name: string;
  version: string;
  tarball: string;
  files: string[];
  manifest: Record<string, unknown>;
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

// pnpm passes its own lifecycle variables to the test process; npm in the consumer project must not see them.
const PNPM_VARIABLE = /^(npm_(lifecycle|package|command|execpath|node_execpath)|npm_config_(user_agent|verify_deps_before_run)$|pnpm_)/i;

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: "1", LC_ALL: "C" };
  for (const [key, value] of Object.entries(process.env)) if (!PNPM_VARIABLE.test(key) && !(key in env)) env[key] = value;
  return env;
}

function run(command: string, args: readonly string[], cwd: string): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: cleanEnv(), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

async function runOk(command: string, args: readonly string[], cwd: string): Promise<string> {
  const result = await run(command, args, cwd);
  if (result.code !== 0)
    throw new Error(`${command} ${args.join(" ")} failed (exit ${result.code}) in ${cwd}:\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** Every file under a folder, path → content, node_modules left out. */
async function readTree(root: string): Promise<Record<string, string>> {
  const tree: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile() && !relative(root, path).split("/").includes("node_modules"))
      tree[relative(root, path)] = await readFile(path, "utf8");
  }
  return tree;
}

async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

const ONE_SPOKE_FLEET = `import { defineCluster, defineFleet, seedProfile } from "@flux-fleet/fleet";
import { defineAppOperators, defineClusterAdmins } from "@flux-fleet/tenants";

const sreTeam = defineClusterAdmins({ name: "sre-team", namespaces: ["cert-manager", "ingress-nginx"] });
const devTeam = defineAppOperators({ name: "dev-team", namespaces: ["podinfo"] });

export const fleet = defineFleet({
  tenants: [sreTeam, devTeam],
  clusters: [defineCluster({ name: "edge-1", profile: seedProfile, overrides: { podinfo: { version: "6.7.1", host: "podinfo.edge-1" } } })],
});
`;

// Every package's main API from TypeScript; the @ts-expect-error fails the check if the packed types degrade to any.
const CONSUMER_TS = `import { createHelmRelease, toPlainObject, validateModel, type KubernetesObject, type ModelProblem } from "@flux-fleet/models";
import { defineAppOperators, defineClusterAdmins, renderTenantsLayer, type Tenant } from "@flux-fleet/tenants";
import { defineCluster, defineFleet, seedProfile, type Fleet } from "@flux-fleet/fleet";
import { createSchemaValidator, type SchemaResult } from "@flux-fleet/schemas";
import { gen, renderFleet, run, serializeFile, type GeneratedFile, type GenOptions } from "@flux-fleet/generator";
import { validateRepository, type RepositoryValidation } from "@flux-fleet/validate";

const release = createHelmRelease({
  name: "podinfo",
  namespace: "podinfo",
  spec: { interval: "50m", chart: { spec: { chart: "podinfo", sourceRef: { kind: "HelmRepository", name: "podinfo" } } } },
});
const problems: ModelProblem[] = validateModel(release);
const plain: KubernetesObject = toPlainObject(release);

const tenants: Tenant[] = [defineClusterAdmins({ name: "sre-team" }), defineAppOperators({ name: "dev-team", namespaces: ["podinfo"] })];
const layerFiles: string[] = renderTenantsLayer(tenants, { fluxNamespace: "\${CLUSTER_NAME}" }).map((file) => file.file);

const edge = defineCluster({ name: "edge-1", profile: seedProfile, overrides: { podinfo: { host: "podinfo.edge-1", replicas: 2 } } });
// @ts-expect-error overrides are keyed by the names of the profile's components
defineCluster({ name: "edge-2", profile: seedProfile, overrides: { podinfoo: { replicas: 2 } } });
const fleet: Fleet = defineFleet({ tenants, clusters: [edge] });

const files: GeneratedFile[] = renderFleet(fleet, { root: process.cwd(), entry: "consumer.ts" }).files;
const text: string = files.map(serializeFile).join("");
const result: SchemaResult = createSchemaValidator().validate(plain);
const options: GenOptions = { root: process.cwd(), check: true };
const code: Promise<number> = run(["--help"]);
const validation: Promise<RepositoryValidation> = validateRepository(process.cwd(), { cacheDir: ".fleet/cache" });

export const summary = { problems, layerFiles, files: files.length, text, status: result.status, gen, options, code, validation };
`;

const CONSUMER_TSCONFIG = {
  compilerOptions: {
    target: "ES2023",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    types: ["node"],
  },
  files: ["consumer.ts"],
};

// Renders the fleet from plain JavaScript and validates every complete object (deploy/ and hub/; clusters/ holds
// partial patches) with the packed schemas package, which reads the CRDs and Kubernetes schemas from its own crds/
// and kubernetes/ folders.
// Validates a repository written by hand from plain JavaScript with the packed validate package alone: kustomize
// builds it, the packed schemas check it, and the report cache (keyed by the code of the installed packages, from
// their dist/) repeats the report on the second run.
const VALIDATE_MJS = `import { formatValidation, validateRepository } from "@flux-fleet/validate";

const [root, cacheDir] = process.argv.slice(2);
const { report, fromCache } = await validateRepository(root, { cacheDir });
process.stdout.write(formatValidation(report, { fromCache }));
`;

const RENDER_MJS = `import { loadFleet, renderFleet } from "@flux-fleet/generator";
import { createSchemaValidator } from "@flux-fleet/schemas";

const { fleet, root, entry } = await loadFleet({ root: process.cwd() });
const { files, issues } = renderFleet(fleet, { root, entry });
const validator = createSchemaValidator();
const complete = files.filter((file) => !file.path.startsWith("clusters/"));
// Objects holding \${VAR} are checked after Flux's postBuild substitution (by validate), not as rendered:
// a \${CLUSTER_NAME} label value is not yet a valid one.
const results = complete.flatMap((file) =>
  file.documents
    .filter((doc) => !JSON.stringify(doc).includes("\${"))
    .map((doc) => ({ path: file.path, kind: doc.kind, status: validator.validate(doc).status })),
);
const typo = validator.validate({ apiVersion: "v1", kind: "Namespace", metadata: { name: "a", labelz: {} } });
process.stdout.write(JSON.stringify({ paths: files.map((file) => file.path), issues, results, typo }));
`;

/** The modification times of every file below `dir` (none when it does not exist). */
async function mtimes(dir: string): Promise<number[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  return Promise.all(files.map(async (file) => (await stat(file)).mtimeMs));
}

/**
 * Whether a package's dist/ was built after every file it is built from changed (as `turbo run test:unit` leaves
 * it, having built the packages first): then building again would only redo the same work.
 */
async function isBuilt(dir: string): Promise<boolean> {
  const root = join(REPO_ROOT, "packages", dir);
  const built = await mtimes(join(root, "dist"));
  if (built.length === 0) return false;
  const inputs = [
    ...(await mtimes(join(root, "src"))),
    ...(await Promise.all(
      ["package.json", "tsconfig.json", "tsconfig.build.json"].map(
        async (f) => (await stat(join(root, f)).catch(() => undefined))?.mtimeMs ?? 0,
      ),
    )),
  ];
  return Math.min(...built) >= Math.max(...inputs);
}

/** Scaffolds a fleet repository with the packed create-flux-fleet (from the tarballs in `temp`) and installs it. */
async function scaffold(temp: string, createTarball: string): Promise<string> {
  const started = Date.now();
  const scaffolder = join(temp, "create-flux-fleet");
  await mkdir(scaffolder);
  await runOk("tar", ["-xzf", createTarball, "-C", scaffolder, "--strip-components=1"], temp);
  const repo = join(temp, "my-fleet");
  await runOk(process.execPath, [join(scaffolder, "dist/bin.js"), repo, "--packages-from", join(temp, "tarballs"), "--yes"], temp);
  await runOk("pnpm", ["install", "--prefer-offline", "--no-frozen-lockfile", "--reporter=silent"], repo);
  console.info(`pack test: scaffolded and installed a fleet repository in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return repo;
}

// The consumer's tests only read what beforeAll installed (gen writes its own folders, which no other test reads),
// so they run concurrently: most of their time is child processes (tsc, the packed bin, node) waiting on each other.
describe.skipIf(SKIP)("the packed packages in a consumer project", { concurrent: true }, () => {
  let temp = "";
  let consumer = "";
  const packed = new Map<PackageDir, PackedPackage>();
  let createTarball = "";
  /** The repository the packed create-flux-fleet scaffolds, installed while the consumer project installs. */
  let scaffolded: Promise<string> | undefined;

  beforeAll(async () => {
    const started = Date.now();
    temp = await mkdtemp(join(tmpdir(), "flux-fleet-pack-"));
    consumer = join(temp, "consumer");
    const tarballs = join(temp, "tarballs");
    await mkdir(tarballs);

    // Build from the current sources: a stale dist/ would test the wrong code. Under `pnpm test`, turbo has just
    // built every package, so they are only built again when a source is newer than its dist/.
    const stale = (await Promise.all([...PACKAGES, "create-flux-fleet"].map(async (dir) => ((await isBuilt(dir)) ? [] : [dir])))).flat();
    if (stale.length > 0)
      await runOk("pnpm", ["--filter", "./packages/*", "--no-sort", "--workspace-concurrency=8", "run", "build"], REPO_ROOT);
    await Promise.all(
      PACKAGES.map(async (dir) => {
        const json = await runOk("pnpm", ["pack", "--json", "--pack-destination", tarballs], join(REPO_ROOT, "packages", dir));
        const info = JSON.parse(json) as { name: string; version: string; filename: string; files: Array<{ path: string }> };
        const manifest = JSON.parse(await runOk("tar", ["-xOzf", info.filename, "package/package.json"], temp)) as Record<string, unknown>;
        packed.set(dir, {
          dir,
          name: info.name,
          version: info.version,
          tarball: info.filename,
          files: info.files.map((file) => file.path).sort(),
          manifest,
        });
      }),
    );

    const scaffolder = JSON.parse(
      await runOk("pnpm", ["pack", "--json", "--pack-destination", tarballs], join(REPO_ROOT, "packages/create-flux-fleet")),
    ) as { filename: string };
    createTarball = scaffolder.filename;

    const rootManifest = JSON.parse(await readFile(join(REPO_ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
    await writeFiles(consumer, {
      "package.json": `${JSON.stringify({ name: "flux-fleet-consumer", private: true, type: "module" }, null, 2)}\n`,
      "fleet/fleet.ts": ONE_SPOKE_FLEET,
      "consumer.ts": CONSUMER_TS,
      "tsconfig.json": `${JSON.stringify(CONSUMER_TSCONFIG, null, 2)}\n`,
      "render.mjs": RENDER_MJS,
      "validate.mjs": VALIDATE_MJS,
    });
    const typesNode = `@types/node@${rootManifest.devDependencies["@types/node"] ?? "24"}`;
    // Both installs mostly wait on the disk and the package stores: side by side rather than one after the other.
    scaffolded = scaffold(temp, createTarball);
    // Awaited by the scaffolded repository's beforeAll; a failure here must not be an unhandled rejection first.
    scaffolded.catch(() => undefined);
    await runOk(
      "npm",
      [
        "install",
        "--no-audit",
        "--no-fund",
        "--no-package-lock",
        "--prefer-offline",
        "--loglevel=error",
        ...PACKAGES.map((dir) => packed.get(dir)?.tarball ?? dir),
        typesNode,
      ],
      consumer,
    );
    console.info(
      `pack test: ${stale.length > 0 ? `built (${stale.join(", ")} stale), ` : ""}packed and installed in ${((Date.now() - started) / 1000).toFixed(1)}s`,
    );
  }, 300_000);

  afterAll(async () => {
    if (temp) await rm(temp, { recursive: true, force: true });
  });

  it.each(PACKAGES)("packs only what a consumer of %s needs", (dir) => {
    const pkg = packed.get(dir);
    const data =
      dir === "schemas"
        ? /^(compiled|compiled-cel|crds|crd-index|kubernetes|third-party-crds)\//
        : dir === "charts"
          ? /^(vendor\/[^/]+\/[^/]+\/(LICENSE|values\.yaml|values\.schema\.json)|compiled\/[^/]+\.(cjs|json))$/
          : /^$/;
    const unexpected = pkg?.files.filter(
      (path) =>
        !/^dist\/.+\.(js|js\.map|d\.ts)$/.test(path) && !/^(package\.json|README\.md|CHANGELOG\.md)$/.test(path) && !data.test(path),
    );
    expect(unexpected).toEqual([]);
    expect(pkg?.files.filter((path) => /(^|\/)(src|test|fixtures|__snapshots__)\/|\.test\.|tsconfig|\.tsbuildinfo$/.test(path))).toEqual(
      [],
    );
    expect(pkg?.files).toEqual(
      expect.arrayContaining(["dist/index.js", "dist/index.d.ts", "dist/index.js.map", "README.md", "CHANGELOG.md", "package.json"]),
    );
  });

  it("packs the schemas' CRDs and Kubernetes schemas with their licenses", () => {
    expect(packed.get("schemas")?.files).toEqual(
      expect.arrayContaining([
        "crds/LICENSE",
        "crds/helm.toolkit.fluxcd.io_helmreleases.yaml",
        "crds/legacy-flux-v2.4.0/helm.toolkit.fluxcd.io_helmreleases.yaml",
        "kubernetes/LICENSE",
        "kubernetes/kubernetes-schemas.json",
        "compiled-cel/rules.json",
      ]),
    );
  });

  it("packs the vendored charts' values with their licenses, and their precompiled validators", () => {
    expect(packed.get("charts")?.files).toEqual(
      expect.arrayContaining([
        "vendor/cert-manager/v1.21.1/LICENSE",
        "vendor/cert-manager/v1.21.1/values.schema.json",
        "vendor/ingress-nginx/4.15.1/LICENSE",
        "vendor/podinfo/6.14.1/LICENSE",
        "compiled/index.json",
        "compiled/cert-manager-v1.21.1.cjs",
      ]),
    );
  });

  it.each(PACKAGES)("rewrites the manifest of %s for publishing: versions for workspace ranges, exports and bin on dist/", (dir) => {
    const manifest = packed.get(dir)?.manifest ?? {};
    const dependencies = (manifest["dependencies"] ?? {}) as Record<string, string>;
    expect(Object.values(dependencies).filter((range) => range.startsWith("workspace:"))).toEqual([]);
    const siblings = Object.keys(dependencies).filter((name) => name.startsWith("@flux-fleet/"));
    const released = new Map([...packed.values()].map((other) => [other.name, `^${other.version}`]));
    expect(Object.fromEntries(siblings.map((name) => [name, dependencies[name]]))).toEqual(
      Object.fromEntries(siblings.map((name) => [name, released.get(name)])),
    );
    expect(manifest["exports"]).toEqual({
      ".": { types: "./dist/index.d.ts", import: "./dist/index.js" },
      // The CRDs a component ships (cert-manager's) are files other packages and fleets name.
      ...(dir === "schemas" ? { "./third-party-crds/*": "./third-party-crds/*" } : {}),
    });
    expect(manifest["bin"]).toEqual(dir === "generator" ? { "flux-fleet": "./dist/bin.js" } : undefined);
    expect(manifest).toMatchObject({ type: "module", sideEffects: false, files: expect.arrayContaining(["dist"]) as unknown });
    expect(manifest["engines"]).toEqual({ node: expect.stringMatching(/^>=22/) as unknown });
    expect(manifest["repository"]).toMatchObject({ directory: `packages/${dir}` });
  });

  it.each(PACKAGES)("exports the same names from the installed %s as from its sources", async (dir) => {
    const name = `@flux-fleet/${dir}`;
    const installed = await runOk(
      process.execPath,
      ["--input-type=module", "-e", `process.stdout.write(JSON.stringify(Object.keys(await import("${name}")).sort()))`],
      consumer,
    );
    const sources = Object.keys((await import(join(REPO_ROOT, "packages", dir, "src/index.ts"))) as object).sort();
    expect(JSON.parse(installed)).toEqual(sources);
    expect(sources.length).toBeGreaterThan(0);
  });

  it("keeps the deprecated @flux-fleet/profiles working: the same module objects as @flux-fleet/fleet, not a copy", async () => {
    const script = `const [old, renamed] = await Promise.all([import("@flux-fleet/profiles"), import("@flux-fleet/fleet")]);
const names = Object.keys(renamed);
process.stdout.write(JSON.stringify({ names: names.length, same: names.every((name) => old[name] === renamed[name]), seed: old.seedProfile === renamed.seedProfile }));`;
    const output = JSON.parse(await runOk(process.execPath, ["--input-type=module", "-e", script], consumer)) as Record<string, unknown>;
    expect(output).toEqual({ names: expect.any(Number) as unknown, same: true, seed: true });
    expect(output["names"]).toBeGreaterThan(10);
  });

  it("type-checks a TypeScript consumer against the packed declarations", async () => {
    const tsc = createRequire(join(REPO_ROOT, "package.json")).resolve("typescript/bin/tsc");
    const result = await run(process.execPath, [tsc, "-p", "tsconfig.json"], consumer);
    expect(result.stdout + result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("generates a one-spoke fleet with the packed flux-fleet bin, byte for byte as the workspace generator does", async () => {
    const bin = join(consumer, "node_modules/.bin/flux-fleet");
    const written = await run(bin, ["gen"], consumer);
    expect(written.stderr).toBe("");
    expect(written.stdout).toMatch(/^Generated \d+ files from fleet\/fleet\.ts/);
    expect(written.code).toBe(0);

    const workspace = join(temp, "workspace");
    await writeFiles(workspace, { "fleet/fleet.ts": ONE_SPOKE_FLEET });
    await symlink(join(REPO_ROOT, "fleet/node_modules"), join(workspace, "fleet/node_modules"), "dir");
    await runOk(process.execPath, [join(REPO_ROOT, "packages/generator/src/bin.ts"), "gen"], workspace);

    const expected = await readTree(workspace);
    const actual = await readTree(consumer);
    const generated = Object.keys(expected).filter((path) => path !== "fleet/fleet.ts");
    expect(generated).toEqual(
      expect.arrayContaining([
        "clusters/edge-1/apps/kustomization.yaml",
        "deploy/apps/podinfo.yaml",
        "hub/edge-1.yaml",
        "hub/flux-system/kustomization.yaml",
        "flux-fleet.generated.json",
      ]),
    );
    for (const path of generated) expect(actual[path], path).toBe(expected[path]);

    const check = await run(bin, ["gen", "--check"], consumer);
    expect(check.stdout).toMatch(/^Up to date: the \d+ generated files are what fleet\/fleet\.ts produces\./);
    expect(check.code).toBe(0);
  });

  it("renders from JavaScript and validates every object with the packed schemas and their data folders", async () => {
    const output = JSON.parse(await runOk(process.execPath, ["render.mjs"], consumer)) as {
      paths: string[];
      issues: unknown[];
      results: Array<{ path: string; kind: string; status: string }>;
      typo: { status: string; problems?: Array<{ path: string }> };
    };
    expect(output.issues).toEqual([]);
    expect(output.paths).toContain("clusters/edge-1/apps/kustomization.yaml");
    const status = (kind: string) => [...new Set(output.results.filter((result) => result.kind === kind).map((result) => result.status))];
    expect(status("HelmRelease")).toEqual(["valid"]); // from crds/
    expect(status("Namespace")).toEqual(["valid"]); // from kubernetes/
    expect(output.results.filter((result) => result.status === "invalid")).toEqual([]);
    expect(output.results.length).toBeGreaterThan(10);
    expect(output.typo).toMatchObject({ status: "invalid", problems: [{ path: "/metadata/labelz" }] });
  });
  it("validates a hand-written repository from JavaScript with the packed validate package, twice with its cache", async () => {
    // The repository @flux-fleet/validate's own test validates: no fleet, no record, a patched base.
    const repository = join(temp, "hand-written");
    await cp(join(REPO_ROOT, "packages/validate/test/fixtures/hand-written-repository"), repository, { recursive: true });
    const cacheDir = join(temp, "hand-written-cache");
    const first = await run(process.execPath, ["validate.mjs", repository, cacheDir], consumer);
    const second = await run(process.execPath, ["validate.mjs", repository, cacheDir], consumer);
    expect(first.stderr).toBe("");
    expect(first.stdout).toBe(
      "Checked 6 files, 1 spoke and 4 objects; 2 kustomizations (1 built as bases of the others; 1 distinct: 1 built with kustomize, 0 from cache).\n" +
        "0 errors, 0 warnings, 0 skipped\n",
    );
    expect(second.stdout).toContain("Nothing changed since the last validation");
    expect(second.stdout).toMatch(/\n0 errors, 0 warnings, 0 skipped\n$/);
  });

  // What a new user does: the packed create-flux-fleet scaffolds a repository outside the workspace, pnpm installs
  // it from the tarballs (third-party packages from the pnpm store, the registry only for what it lacks), and the
  // repository's own scripts generate, validate and type-check it.
  // In order: gen, then validate and typecheck on what gen wrote.
  describe("a fleet repository scaffolded by the packed create-flux-fleet", { concurrent: false }, () => {
    let repo = "";
    const pnpm = (...args: string[]) => run("pnpm", args, repo);

    beforeAll(async () => {
      if (!scaffolded) throw new Error("the consumer project's beforeAll did not start the scaffolding");
      repo = await scaffolded;
    }, 300_000);

    it("publishes create-flux-fleet with registry ranges of the @flux-fleet packages, read from the workspace", async () => {
      const manifest = JSON.parse(await readFile(join(temp, "create-flux-fleet/package.json"), "utf8")) as Record<string, unknown>;
      const ranges = (manifest["devDependencies"] ?? {}) as Record<string, string>;
      const released = Object.fromEntries([...packed.values()].map((other) => [other.name, `^${other.version}`]));
      for (const name of Object.keys(ranges).filter((key) => key.startsWith("@flux-fleet/")))
        expect(ranges[name], name).toBe(released[name]);
      expect(manifest).toMatchObject({
        bin: { "create-flux-fleet": "./dist/bin.js" },
        repository: { directory: "packages/create-flux-fleet" },
      });
      expect(manifest["dependencies"]).toBeUndefined();
    });

    it("depends on the tarballs, with no workspace file in the new repository", async () => {
      const manifest = JSON.parse(await readFile(join(repo, "package.json"), "utf8")) as { dependencies: Record<string, string> };
      expect(Object.values(manifest.dependencies).every((spec) => spec.startsWith(`file:${join(temp, "tarballs")}/`))).toBe(true);
      expect(Object.keys(await readTree(repo)).filter((path) => path === "pnpm-workspace.yaml")).toEqual([]);
    });

    it("generates the repository and its workflows with pnpm gen, and a second run changes nothing", async () => {
      const first = await pnpm("gen");
      expect(first.code, first.stderr + first.stdout).toBe(0);
      expect(first.stdout).toMatch(/Generated \d+ files from fleet\/fleet\.ts: \d+ written, 0 removed, 0 unchanged/);
      const tree = await readTree(repo);
      expect(Object.keys(tree)).toEqual(
        expect.arrayContaining([".github/workflows/test.yaml", ".github/workflows/e2e.yaml", "hub/staging.yaml", "hub/production.yaml"]),
      );
      expect(tree[".github/workflows/test.yaml"]).toContain("run: pnpm typecheck");
      const second = await pnpm("gen");
      expect(second.stdout).toMatch(/: 0 written, 0 removed, \d+ unchanged\.$/m);
      expect(await readTree(repo)).toEqual(tree);
    });

    it("validates and type-checks with the repository's own scripts", async () => {
      const [validate, typecheck] = await Promise.all([pnpm("validate"), pnpm("typecheck")]);
      expect(validate.code, validate.stderr + validate.stdout).toBe(0);
      expect(typecheck.code, typecheck.stderr + typecheck.stdout).toBe(0);
    });
  });
});
