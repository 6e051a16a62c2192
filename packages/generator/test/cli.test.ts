import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.ts";

describe("flux-fleet's command line", () => {
  it("lists a command's own options only under <command> --help", async () => {
    const result = await runCli(["gen", "--help"], tmpdir());
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")[0]).toBe("Usage: flux-fleet gen [--check] [options]");
    const options = result.stdout
      .split("\n")
      .filter((line) => line.startsWith("  -"))
      .map((line) => line.trim().split(/\s+/)[0]);
    expect(options).toEqual(["--root", "--fleet", "--load-timeout", "--check", "-h,"]);
  });

  it("prints the generator package's version for --version", async () => {
    const { version } = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    const result = await runCli(["--version"], tmpdir());
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it.each([
    [
      ["gen", "--json"],
      'flux-fleet: --json is not an option of "flux-fleet gen": it takes --root, --fleet, --load-timeout, --check (flux-fleet gen --help).',
    ],
    [
      ["validate", "--load-timeout", "5"],
      'flux-fleet: --load-timeout is not an option of "flux-fleet validate": it takes --root, --fleet, --json, --no-cache (flux-fleet validate --help).',
    ],
    [
      ["fleet", "down", "--kubernetes-version", "v1.36.4"],
      'flux-fleet: --kubernetes-version is not an option of "flux-fleet fleet down": it takes --root, --fleet, --load-timeout, --dry-run (flux-fleet fleet down --help).',
    ],
    [
      ["gen", "--frobnicate"],
      'flux-fleet: --frobnicate is not an option of "flux-fleet gen": it takes --root, --fleet, --load-timeout, --check (flux-fleet gen --help).',
    ],
    [
      ["diff", "--base", "main", "--frobnicate=1"],
      'flux-fleet: --frobnicate is not an option of "flux-fleet diff": it takes --root, --base, --json, --markdown, --comment, --no-cache (flux-fleet diff --help).',
    ],
    [
      ["--frobnicate"],
      'flux-fleet: Unknown option "--frobnicate": run flux-fleet --help for the commands, or flux-fleet <command> --help for its options.',
    ],
  ])("refuses %j in one line, exit 1, before doing anything", async (args, message) => {
    const result = await runCli(args, tmpdir());
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`${message}\n`);
    expect(result.stdout).toBe("");
  });
});
