import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const FAKE_TOOL = join(dirname(fileURLToPath(import.meta.url)), "fake-tool.ts");

/** Fake tools on a temporary PATH, and the log of their calls. */
export interface FakeTools {
  /** The temporary root; `bin/` holds the tools, `cwd/` is a scratch working directory. */
  root: string;
  /** A PATH holding only the fake tools. */
  path: string;
  /** A working directory for commands under test. */
  cwd: string;
  /** The environment to pass as `env`: PATH plus the log location. */
  env: Record<string, string>;
  /** Every call so far, `[tool, ...args]`, in order. */
  calls(): string[][];
  cleanup(): void;
}

/**
 * Writes an executable wrapper per tool into a fresh temporary `bin/` folder. Each wrapper runs
 * `fake-tool.ts` with this Node, so the tests need no docker, kind, kubectl or flux.
 */
export function createFakeTools(tools: readonly string[], extraEnv: Record<string, string> = {}): FakeTools {
  const root = mkdtempSync(join(tmpdir(), "flux-fleet-lifecycle-"));
  const bin = join(root, "bin");
  const cwd = join(root, "cwd");
  mkdirSync(bin);
  mkdirSync(cwd);
  for (const tool of tools) {
    const wrapper = join(bin, tool);
    writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${FAKE_TOOL}" ${tool} "$@"\n`);
    chmodSync(wrapper, 0o755);
  }
  const log = join(root, "calls.jsonl");
  return {
    root,
    path: bin,
    cwd,
    env: { PATH: bin, FAKE_LOG: log, ...extraEnv },
    calls: () =>
      existsSync(log)
        ? readFileSync(log, "utf8")
            .split("\n")
            .filter(Boolean)
            .map((line) => JSON.parse(line) as string[])
        : [],
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Every regular file under `dir`, recursively, with its contents. */
export function readAllFiles(dir: string): Array<{ path: string; content: string }> {
  const files: Array<{ path: string; content: string }> = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...readAllFiles(path));
    else files.push({ path, content: readFileSync(path, "utf8") });
  }
  return files;
}

/** Collects what a command writes to stdout or stderr. */
export function createOutput(): { write(chunk: string): boolean; text(): string } {
  let text = "";
  return {
    write(chunk: string) {
      text += chunk;
      return true;
    },
    text: () => text,
  };
}
