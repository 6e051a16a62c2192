import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, readlink, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
const BIN = join(REPO_ROOT, "packages/generator/src/bin.ts");

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
