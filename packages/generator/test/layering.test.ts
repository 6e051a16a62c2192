import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = join(dirname(fileURLToPath(import.meta.url)), "../src");

/**
 * The generator's stages in the order data flows through them (load → check → render → checks → emit → write →
 * diff → commands → CLI), with the shared layers below them. A module may import its own folder or a lower rank,
 * never a higher one nor a sibling of the same rank: what two stages share lives below both.
 */
const RANKS: readonly (readonly string[])[] = [
  ["errors.ts", "progress.ts", "yaml-emitter.ts", "repository-layout.ts", "replace-file.ts"],
  ["fleet/", "spoke-view/"],
  ["load-fleet.ts"],
  ["check/"],
  ["render/", "workflows/"],
  ["validate/"],
  ["serialize.ts"],
  ["write/"],
  ["plan/", "github/"],
  ["commands/"],
  ["cli.ts"],
  ["index.ts", "bin.ts"],
];

/** Who may import @flux-fleet/lifecycle: the CLI's commands, and the workflows, which share their facts. */
const LIFECYCLE_IMPORTERS = ["commands/", "workflows/"];

function unitOf(path: string): string {
  return path.includes("/") ? `${path.split("/")[0]}/` : path;
}

function rankOf(path: string): number {
  const unit = unitOf(path);
  const rank = RANKS.findIndex((units) => units.includes(unit));
  if (rank === -1) throw new Error(`${path} is in no rank of the layering test: add its folder to RANKS`);
  return rank;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

interface Import {
  from: string;
  to: string;
}

function imports(): Import[] {
  return sources(SRC).flatMap((file) => {
    const from = relative(SRC, file).split("\\").join("/");
    const text = readFileSync(file, "utf8");
    const specifiers = [
      ...text.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+"([^"]+)"/gms),
      // Lazy imports count too: they are how the CLI and gen load commands and workflows.
      ...text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g),
    ];
    return specifiers.map((match) => {
      const specifier = match[1]!;
      const to = specifier.startsWith(".")
        ? relative(SRC, resolve(dirname(file), specifier))
            .split("\\")
            .join("/")
        : specifier;
      return { from, to };
    });
  });
}

function againstTheFlow(list: readonly Import[]): string[] {
  return list
    .filter(({ from, to }) => to.endsWith(".ts") && unitOf(from) !== unitOf(to) && rankOf(to) >= rankOf(from))
    .map(({ from, to }) => `${from} imports ${to}`);
}

describe("the generator's layering", () => {
  const all = imports();

  it("reads the imports of every source module", () => {
    // Guards the parser below: the renderer's entry imports several stages, the CLI imports errors.
    expect(all.filter(({ from }) => from === "render/render-fleet.ts").map(({ to }) => to)).toContain("fleet/fleet-index.ts");
    expect(all.filter(({ from }) => from === "cli.ts").map(({ to }) => to)).toContain("errors.ts");
    expect(all.filter(({ from }) => from === "cli.ts").map(({ to }) => to)).toContain("commands/gen.ts");
    expect(all.length).toBeGreaterThan(200);
  });

  it("imports point down the data flow only, never up nor sideways", () => {
    expect(againstTheFlow(all)).toEqual([]);
  });

  it("catches an import against the flow", () => {
    expect(
      againstTheFlow([
        { from: "check/check-fleet.ts", to: "render/fleet-index.ts" },
        { from: "validate/repository-tree.ts", to: "write/plan-tree.ts" },
        { from: "render/render-hub.ts", to: "workflows/github-workflows.ts" },
        { from: "write/journal.ts", to: "repository-layout.ts" },
      ]),
    ).toEqual([
      "check/check-fleet.ts imports render/fleet-index.ts",
      "validate/repository-tree.ts imports write/plan-tree.ts",
      "render/render-hub.ts imports workflows/github-workflows.ts",
    ]);
  });

  it("imports @flux-fleet/lifecycle only where the CLI's commands run", () => {
    const importers = [...new Set(all.filter(({ to }) => to === "@flux-fleet/lifecycle").map(({ from }) => from))];
    expect(importers.length).toBeGreaterThan(0);
    expect(importers.filter((from) => !LIFECYCLE_IMPORTERS.some((allowed) => from === allowed || from.startsWith(allowed)))).toEqual([]);
  });

  it("is what the README's structure section shows, in the same order, folder for folder", () => {
    const readme = readFileSync(join(SRC, "../../../README.md"), "utf8");
    const block = /## Structure\n[\s\S]*?```text\npackages\/generator\/src\/\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const shown = block!
      .split("\n")
      .map((line) => line.split("#")[0]!.replace(/[├└│─]/g, " "))
      .flatMap((line) => line.split(/\s+/).filter((token) => token !== ""));
    expect(shown).toEqual(RANKS.flat());
    const onDisk = readdirSync(SRC, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() || !entry.name.endsWith(".test.ts"))
      .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name));
    expect([...onDisk].sort()).toEqual([...shown].sort());
  });

  it("is the only package that depends on @flux-fleet/lifecycle", () => {
    const packages = join(SRC, "../..");
    const dependents = readdirSync(packages).filter((name) => {
      const manifest = JSON.parse(readFileSync(join(packages, name, "package.json"), "utf8")) as Record<
        string,
        Record<string, string> | undefined
      >;
      return ["dependencies", "peerDependencies", "optionalDependencies"].some(
        (field) => manifest[field]?.["@flux-fleet/lifecycle"] !== undefined,
      );
    });
    expect(dependents).toEqual(["generator"]);
  });

  it("keeps the fleet DSL out of the repository checks", () => {
    // validate/ reads a generated tree, which any producer may have written: it must not need the fleet DSL.
    const dsl = all.filter(
      ({ from, to }) => from.startsWith("validate/") && (to === "@flux-fleet/fleet" || to === "@flux-fleet/tenants"),
    );
    expect(dsl.map(({ from, to }) => `${from} imports ${to}`)).toEqual([]);
  });
});
