import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, readlink, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
// The launcher pnpm exec flux-fleet runs: it turns the compile cache on before any TypeScript is read.
const BIN = join(REPO_ROOT, "packages/generator/bin/flux-fleet.js");

/**
 * A fleet repository in a temporary folder: the given fleet files, with `fleet/node_modules` linked to
 * this workspace's, so the fleet imports the @flux-fleet packages as a user's repository does.
 */
export async function createFleetRepo(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "flux-fleet-test-"));
  await mkdir(join(root, "fleet"), { recursive: true });
  await symlink(join(REPO_ROOT, "fleet/node_modules"), join(root, "fleet/node_modules"), "dir");
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

/** A temporary fleet repository holding a copy of this repository's default fleet (`fleet/*.ts`). */
export async function createDefaultFleetRepo(): Promise<string> {
  const names = (await readdir(join(REPO_ROOT, "fleet"))).filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts"));
  const files: Record<string, string> = {};
  for (const name of names) files[`fleet/${name}`] = await readFile(join(REPO_ROOT, "fleet", name), "utf8");
  // The GitHub workflows gen writes call the root package.json's scripts.
  files["package.json"] = await readFile(join(REPO_ROOT, "package.json"), "utf8");
  return createFleetRepo(files);
}

/** A temporary fleet repository made from a fixture folder under test/fixtures/. */
export async function createFixtureRepo(fixture: string): Promise<string> {
  const root = await createFleetRepo({});
  await cp(join(FIXTURES, fixture), root, { recursive: true });
  return root;
}

export interface CliResult {
  code: number;
  /** The signal that ended the process, when one did. */
  signal?: NodeJS.Signals | undefined;
  stdout: string;
  stderr: string;
}

/** Starts the real CLI in a child process, as `pnpm gen` does: its pid (to kill it) and its result. */
export function startCli(
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): { pid: number; result: Promise<CliResult> } {
  let child: ReturnType<typeof execFile> | undefined;
  const result = new Promise<CliResult>((resolve) => {
    child = execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env: { ...process.env, NO_COLOR: "1", LC_ALL: "C", ...env } },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number | null }).code ?? 1) : 0;
        resolve({ code: code ?? 1, signal: (error as { signal?: NodeJS.Signals } | null)?.signal ?? undefined, stdout, stderr });
      },
    );
  });
  if (child?.pid === undefined) throw new Error(`could not start ${BIN}`);
  return { pid: child.pid, result };
}

/** Runs the real CLI in a child process, as `pnpm gen` does. */
export function runCli(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<CliResult> {
  return startCli(args, cwd, env).result;
}

let inProcessQueue: Promise<unknown> = Promise.resolve();

/**
 * Runs the CLI's `run(argv)` in this process, with what it prints captured and `env` set while it runs: the same
 * argument parsing, commands, messages and exit codes as `runCli`, without starting Node and loading flux-fleet,
 * kustomize's wrapper and the schemas again for every run (most of a short run's time). `--root cwd` is added
 * unless the arguments name a root. Runs are queued one after the other, as what they print is captured
 * process-wide.
 *
 * Not for what only a process shows (the bin's exit guard, a signal, a fleet that never finishes loading, a lock
 * held by this process's pid, all that it prints: console calls go to vitest, not to the captured output), nor for a `gen` after the fleet's files changed: a fleet module is imported once per
 * process, so an edit of its files would not be seen (a repository copied to a new folder is a new fleet). The
 * commands that read the generated tree (validate, plan, diff, graph) and gen on a repository whose fleet this
 * process has not imported, or imported as it still is, are what it is for.
 */
export function runInProcess(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<CliResult> {
  const result = inProcessQueue.then(() => inProcess(args, cwd, env));
  inProcessQueue = result.catch(() => undefined);
  return result;
}

async function inProcess(args: readonly string[], cwd: string, env: Record<string, string>): Promise<CliResult> {
  const { run } = await import("../src/cli.ts");
  const output = { stdout: "", stderr: "" };
  const writes = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };
  const capture =
    (stream: "stdout" | "stderr") =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      output[stream] += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      const callback = rest.find((arg): arg is () => void => typeof arg === "function");
      callback?.();
      return true;
    };
  const saved = Object.fromEntries(Object.keys({ NO_COLOR: "", LC_ALL: "", ...env }).map((name) => [name, process.env[name]]));
  Object.assign(process.env, { NO_COLOR: "1", LC_ALL: "C", ...env });
  process.stdout.write = capture("stdout");
  process.stderr.write = capture("stderr");
  try {
    const code = await run(args.includes("--root") ? args : [...args, "--root", cwd]);
    return { code, stdout: output.stdout, stderr: output.stderr };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/**
 * Every file under a folder (node_modules links left out), path → content, and every symbolic link, path → its
 * target (never followed): to prove nothing changed.
 */
export async function readTree(root: string): Promise<Record<string, string>> {
  const tree: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.name === "node_modules") continue;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isSymbolicLink()) tree[relative(root, path)] = `symbolic link to ${await readlink(path)}`;
      else tree[relative(root, path)] = await readFile(path, "utf8");
    }
  };
  await walk(root);
  return tree;
}
