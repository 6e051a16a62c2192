import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const PACKAGES = join(dirname(fileURLToPath(import.meta.url)), "../..");
const README = join(PACKAGES, "../README.md");

/**
 * A package whose `src/` folders are ranked in the order data flows through them, with the shared layers below
 * them. A module may import its own folder or a lower rank, never a higher one nor a sibling of the same rank: what
 * two stages share lives below both.
 */
interface Layering {
  /** The package's folder under packages/. */
  dir: string;
  ranks: readonly (readonly string[])[];
  /** Imports the parser must find (`from` imports `to`), and how many imports there are at least: guards the parser. */
  found: ReadonlyArray<Import>;
  atLeast: number;
  /** Imports against the flow the check must catch, and one along it that it must let through. */
  against: ReadonlyArray<Import>;
  along: Import;
}

/**
 * @flux-fleet/validate: the repository format below everything, the spoke view, reading a committed tree (files,
 * YAML, kustomization closures, real kustomize), the checks on the spoke view, then the end-to-end validation.
 */
const VALIDATE: Layering = {
  dir: "validate",
  ranks: [
    ["errors.ts", "yaml-emitter.ts", "repository-layout.ts", "replace-file.ts"],
    ["spoke-view/"],
    ["read/"],
    ["checks/"],
    ["repository/"],
    ["index.ts"],
  ],
  found: [
    { from: "checks/check-spoke-view.ts", to: "spoke-view/collect-spokes.ts" },
    { from: "read/kustomize-builds.ts", to: "read/kustomize.ts" },
    { from: "repository/validate-repository.ts", to: "repository/report-cache.ts" },
    { from: "index.ts", to: "repository/validate-repository.ts" },
  ],
  atLeast: 80,
  against: [
    { from: "spoke-view/flux-apply.ts", to: "checks/schema-checks.ts" },
    { from: "read/kustomize.ts", to: "repository/report-cache.ts" },
    { from: "errors.ts", to: "yaml-emitter.ts" },
  ],
  along: { from: "checks/schema-checks.ts", to: "read/document-source.ts" },
};

/**
 * @flux-fleet/generator: load → check → render → (validate's checks) → emit → write → diff → commands → CLI, with
 * the generator's own shared layers below them.
 */
const GENERATOR: Layering = {
  dir: "generator",
  ranks: [
    ["errors.ts", "progress.ts"],
    ["fleet/"],
    ["load-fleet.ts"],
    ["check/"],
    ["render/", "workflows/"],
    ["serialize.ts"],
    ["write/"],
    ["plan/", "github/"],
    ["commands/"],
    ["cli.ts"],
    ["index.ts", "bin.ts"],
  ],
  found: [
    // The renderer's entry imports several stages, the CLI imports errors and loads its commands lazily.
    { from: "render/render-fleet.ts", to: "fleet/fleet-index.ts" },
    { from: "cli.ts", to: "errors.ts" },
    { from: "cli.ts", to: "commands/gen.ts" },
    { from: "commands/gen.ts", to: "@flux-fleet/validate" },
  ],
  atLeast: 200,
  against: [
    { from: "check/check-fleet.ts", to: "render/fleet-index.ts" },
    { from: "write/journal.ts", to: "plan/spoke-view.ts" },
    { from: "render/render-hub.ts", to: "workflows/github-workflows.ts" },
  ],
  along: { from: "write/journal.ts", to: "errors.ts" },
};

const LAYERINGS = [VALIDATE, GENERATOR];

/** Who may import @flux-fleet/lifecycle: the CLI's commands, and the workflows, which share their facts. */
const LIFECYCLE_IMPORTERS = ["commands/", "workflows/"];

/**
 * What @flux-fleet/validate must not need: it reads trees any producer wrote, without the fleet DSL (fleet, its
 * former name profiles, tenants) or the CLI (generator, lifecycle).
 */
const NOT_FOR_VALIDATE = ["fleet", "profiles", "tenants", "generator", "lifecycle"];

/** The modules only a command that builds or caches loads: never reached from validate's index by static imports. */
const LOADED_LAZILY = ["read/kustomize.ts", "repository/report-cache.ts", "repository/parse-store.ts"];

interface Import {
  from: string;
  to: string;
  /** Loaded with `import()` when it runs. */
  lazy?: boolean;
  /** Types only (`import type`): erased, so nothing is loaded. */
  types?: boolean;
}

function srcOf(dir: string): string {
  return join(PACKAGES, dir, "src");
}

function unitOf(path: string): string {
  return path.includes("/") ? `${path.split("/")[0]}/` : path;
}

function rankOf(layering: Layering, path: string): number {
  const unit = unitOf(path);
  const rank = layering.ranks.findIndex((units) => units.includes(unit));
  if (rank === -1) throw new Error(`${path} is in no rank of packages/${layering.dir}'s layering: add its folder to its ranks`);
  return rank;
}

function sources(dir: string, tests = false): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path, tests);
    return entry.name.endsWith(".ts") && (tests || !entry.name.endsWith(".test.ts")) ? [path] : [];
  });
}

const slashes = (path: string) => path.split("\\").join("/");

/** Every import of the package's source modules: relative ones as paths from its src/, the others as written. */
function imports(layering: Layering): Import[] {
  const src = srcOf(layering.dir);
  return sources(src).flatMap((file) => {
    const from = slashes(relative(src, file));
    const text = readFileSync(file, "utf8");
    const specifiers = [
      ...[...text.matchAll(/^(?:import|export)\s(type\s)?[^;]*?\sfrom\s+"([^"]+)"/gms)].map((match) => ({
        specifier: match[2]!,
        lazy: false,
        // `import type` is erased; `import { type X }` is not (the module is still loaded).
        types: match[1] !== undefined,
      })),
      // Lazy imports count too: they are how the CLI and gen load commands and workflows.
      ...[...text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)].map((match) => ({ specifier: match[1]!, lazy: true, types: false })),
    ];
    return specifiers.map(({ specifier, lazy, types }) => ({
      from,
      to: specifier.startsWith(".") ? slashes(relative(src, resolve(dirname(file), specifier))) : specifier,
      lazy,
      types,
    }));
  });
}

function againstTheFlow(layering: Layering, list: readonly Import[]): string[] {
  return list
    .filter(
      ({ from, to }) =>
        to.endsWith(".ts") && !to.startsWith("../") && unitOf(from) !== unitOf(to) && rankOf(layering, to) >= rankOf(layering, from),
    )
    .map(({ from, to }) => `${from} imports ${to}`);
}

/** Imports that reach into another package: a relative path out of src/, or a deep import of a workspace package. */
function outOfPackage(list: readonly Import[]): string[] {
  return list.filter(({ to }) => to.startsWith("../") || /^@flux-fleet\/[^/]+\//.test(to)).map(({ from, to }) => `${from} imports ${to}`);
}

/** The units the README's structure block shows under `packages/<dir>/src/`, in order. */
function shownInReadme(dir: string): string[] | undefined {
  const readme = readFileSync(README, "utf8");
  const block = /## Structure\n[\s\S]*?```text\n([\s\S]*?)```/.exec(readme)?.[1];
  const lines = block?.split("\n") ?? [];
  const start = lines.findIndex((line) => line.startsWith(`packages/${dir}/src/ `) || line === `packages/${dir}/src/`);
  if (start === -1) return undefined;
  const end = lines.findIndex((line, i) => i > start && !/^[├└│ ]/.test(line));
  return lines
    .slice(start + 1, end === -1 ? undefined : end)
    .map((line) => line.split("#")[0]!.replace(/[├└│─]/g, " "))
    .flatMap((line) => line.split(/\s+/).filter((token) => token !== ""));
}

/** What a package's manifest depends on, in every dependency field. */
function dependenciesOf(dir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(PACKAGES, dir, "package.json"), "utf8")) as Record<
    string,
    Record<string, string> | undefined
  >;
  return ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"].flatMap((field) =>
    Object.keys(manifest[field] ?? {}),
  );
}

/** The packages of NOT_FOR_VALIDATE that a text names, by package name or by path. */
function forbiddenReferences(text: string): string[] {
  const names = NOT_FOR_VALIDATE.join("|");
  const pattern = new RegExp(`@flux-fleet/(${names})\\b|packages/(${names})/|\\.\\./(${names})/`, "g");
  return [...text.matchAll(pattern)].map((match) => match[0]);
}

/** The modules `entry` loads when it is imported: its static imports of values, followed inside the package. */
function staticClosure(list: readonly Import[], entry: string): Set<string> {
  const reached = new Set([entry]);
  const pending = [entry];
  while (pending.length > 0) {
    const from = pending.pop()!;
    for (const { to } of list.filter((edge) => edge.from === from && !edge.lazy && !edge.types && edge.to.endsWith(".ts")))
      if (!reached.has(to)) {
        reached.add(to);
        pending.push(to);
      }
  }
  return reached;
}

describe.each(LAYERINGS)("the layering of packages/$dir/src", (layering) => {
  const all = imports(layering);

  it("reads the imports of every source module", () => {
    for (const { from, to } of layering.found)
      expect(
        all.filter((edge) => edge.from === from).map((edge) => edge.to),
        from,
      ).toContain(to);
    expect(all.length).toBeGreaterThan(layering.atLeast);
  });

  it("imports point down the data flow only, never up nor sideways", () => {
    expect(againstTheFlow(layering, all)).toEqual([]);
  });

  it("catches an import against the flow", () => {
    expect(againstTheFlow(layering, [...layering.against, layering.along])).toEqual(
      layering.against.map(({ from, to }) => `${from} imports ${to}`),
    );
  });

  it("imports other packages by their public index only, never their files", () => {
    expect(outOfPackage(all)).toEqual([]);
    expect(
      outOfPackage([
        { from: "a.ts", to: "../../validate/src/read/kustomize.ts" },
        { from: "a.ts", to: "@flux-fleet/validate/src/index.ts" },
        { from: "a.ts", to: "@flux-fleet/validate" },
      ]),
    ).toEqual(["a.ts imports ../../validate/src/read/kustomize.ts", "a.ts imports @flux-fleet/validate/src/index.ts"]);
  });

  it("is what the README's structure section shows, in the same order, folder for folder", () => {
    const shown = shownInReadme(layering.dir);
    expect(shown).toEqual(layering.ranks.flat());
    const onDisk = readdirSync(srcOf(layering.dir), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() || !entry.name.endsWith(".test.ts"))
      .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name));
    expect([...onDisk].sort()).toEqual([...(shown ?? [])].sort());
  });
});

describe("the packages' layering", () => {
  it("shows @flux-fleet/validate below the generator in the README's structure section", () => {
    const readme = readFileSync(README, "utf8");
    const block = /## Structure\n[\s\S]*?```text\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect(block.indexOf("packages/validate/src/")).toBeGreaterThanOrEqual(0);
    expect(block.indexOf("packages/validate/src/")).toBeLessThan(block.indexOf("packages/generator/src/"));
  });

  it("imports @flux-fleet/lifecycle only where the generator's commands run", () => {
    const all = imports(GENERATOR);
    const importers = [...new Set(all.filter(({ to }) => to === "@flux-fleet/lifecycle").map(({ from }) => from))];
    expect(importers.length).toBeGreaterThan(0);
    expect(importers.filter((from) => !LIFECYCLE_IMPORTERS.some((allowed) => from === allowed || from.startsWith(allowed)))).toEqual([]);
  });

  it("lets only the generator depend on @flux-fleet/lifecycle", () => {
    const dependents = readdirSync(PACKAGES).filter((name) => {
      const manifest = JSON.parse(readFileSync(join(PACKAGES, name, "package.json"), "utf8")) as Record<
        string,
        Record<string, string> | undefined
      >;
      return ["dependencies", "peerDependencies", "optionalDependencies"].some(
        (field) => manifest[field]?.["@flux-fleet/lifecycle"] !== undefined,
      );
    });
    expect(dependents).toEqual(["generator"]);
  });

  it("keeps the fleet DSL, the lifecycle and the generator out of @flux-fleet/validate", () => {
    // validate reads a repository, which any producer may have written: it must not need the fleet DSL or the CLI.
    const dependencies = dependenciesOf("validate");
    expect(dependencies).toContain("@flux-fleet/schemas");
    expect(dependencies.filter((name) => forbiddenReferences(name).length > 0)).toEqual([]);
    // Its tests too: the hand-written repositories they validate are made without the generator.
    const tests = join(PACKAGES, "validate/test");
    const files = [...sources(srcOf("validate"), true), ...(existsSync(tests) ? sources(tests, true) : [])];
    expect(files.length).toBeGreaterThan(30);
    const references = files.flatMap((file) =>
      forbiddenReferences(readFileSync(file, "utf8")).map((reference) => `${slashes(relative(PACKAGES, file))}: ${reference}`),
    );
    expect(references).toEqual([]);
    expect(
      forbiddenReferences(
        'import { x } from "@flux-fleet/fleet";\nimport("../generator/src/cli.ts");\n"@flux-fleet/schemas", "@flux-fleet/fleets"',
      ),
    ).toEqual(["@flux-fleet/fleet", "../generator/"]);
  });

  it("loads neither the kustomize runner nor the report cache with @flux-fleet/validate's index, which gen imports", () => {
    const all = imports(VALIDATE);
    const loaded = staticClosure(all, "index.ts");
    expect(loaded).toContain("checks/check-spoke-view.ts");
    expect(loaded).toContain("read/kustomize-builds.ts");
    expect(LOADED_LAZILY.filter((module) => loaded.has(module))).toEqual([]);
    // Each is still loaded, lazily, by what needs it.
    expect(LOADED_LAZILY.filter((module) => !all.some(({ to, lazy }) => to === module && lazy))).toEqual([]);
  });
});
