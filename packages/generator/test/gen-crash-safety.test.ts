import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixtureRepo, readTree, runCli, runInProcess, startCli } from "./helpers.ts";

const run = promisify(execFile);
const SMALL = { FLEET_SIZE: "20", FLEET_VARIANT: "a" };
const SMALL_B = { FLEET_SIZE: "20", FLEET_VARIANT: "b" };
const LOCK = ".flux-fleet/lock";
const isRoot = process.getuid?.() === 0;

let generated: string;
beforeAll(async () => {
  generated = await createFixtureRepo("fleets/large-fleet");
  expect((await runInProcess(["gen"], generated, SMALL)).code).toBe(0);
});

async function copyOf(source: string, root?: string): Promise<string> {
  const target = root ?? (await mkdtemp(join(tmpdir(), "flux-fleet-crash-")));
  await cp(source, target, { recursive: true });
  return target;
}

const temporaries = (tree: Record<string, string>) => Object.keys(tree).filter((path) => path.endsWith(".tmp"));

/** The pid of a process that has exited: no process runs with it (until the system reuses it). */
async function deadPid(): Promise<number> {
  const { pid, result } = startCli(["--help"], tmpdir());
  await result;
  return pid;
}

describe("two gens at once", () => {
  it("lets exactly one write; the other fails at once naming the pid that holds the lock", async () => {
    const root = await createFixtureRepo("fleets/large-fleet");
    const runs = [startCli(["gen"], root, SMALL), startCli(["gen"], root, SMALL)];
    const results = await Promise.all(runs.map((r) => r.result));

    const winner = results.findIndex((result) => result.code === 0);
    const loser = results.findIndex((result) => result.code !== 0);
    expect(results.map((result) => result.code).sort()).toEqual([0, 1]);
    expect(results[loser]?.stderr).toMatch(
      new RegExp(
        `^flux-fleet: Another gen is running in this repository \\(pid ${runs[winner]?.pid}, started [^;]+; it holds \\.flux-fleet/lock\\): wait for it to finish and run "pnpm gen" again; if it is not running, delete \\.flux-fleet/lock\\.\\n$`,
      ),
    );
    expect(await readTree(root)).toEqual(await readTree(generated));
    expect((await runInProcess(["gen", "--check"], root, SMALL)).code).toBe(0);
  });
});

describe("the lock", () => {
  it("is taken over, and the takeover reported, when its pid no longer runs", async () => {
    const root = await copyOf(generated);
    const pid = await deadPid();
    await mkdir(join(root, ".flux-fleet"), { recursive: true });
    await writeFile(join(root, LOCK), `${JSON.stringify({ pid, hostname: hostname(), started: "2026-01-02T03:04:05.000Z" })}\n`);

    const result = await runInProcess(["gen"], root, SMALL_B);

    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(
        `^Took over \\.flux-fleet/lock from gen pid ${pid} \\(started 2026-01-02T03:04:05\\.000Z\\), which is no longer running\\.\\nGenerated `,
      ),
    );
    expect(Object.keys(await readTree(root)).filter((path) => path.startsWith(".flux-fleet"))).toEqual([]);
  });

  it.each([
    ["a running gen", () => ({ pid: process.pid, hostname: hostname() }), `pid ${process.pid}, started`],
    ["a gen on another host", () => ({ pid: 4242, hostname: "build-7" }), "pid 4242 on host build-7, started"],
  ])("held by %s makes gen fail at once, naming the pid, with nothing written", async (_name, owner, expected) => {
    const root = await copyOf(generated);
    await mkdir(join(root, ".flux-fleet"), { recursive: true });
    await writeFile(join(root, LOCK), JSON.stringify({ ...owner(), started: "2026-01-02T03:04:05.000Z" }));
    const before = await readTree(root);

    const result = await runCli(["gen"], root, SMALL_B);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`flux-fleet: Another gen is running in this repository (${expected} 2026-01-02T03:04:05.000Z;`);
    expect(result.stdout).toBe("");
    expect(await readTree(root)).toEqual(before);
  });

  it("is never a reason to create a folder: a --root that does not exist is an error", async () => {
    const missing = join(await mkdtemp(join(tmpdir(), "flux-fleet-crash-")), "no-such-repo");
    const result = await runCli(["gen", "--root", missing], tmpdir());
    expect(result.stderr).toBe(`flux-fleet: There is no folder ${missing}: run flux-fleet inside a fleet repository, or pass --root.\n`);
    expect(result.code).toBe(1);
    expect(existsSync(missing)).toBe(false);
  });

  it("is not needed by gen --check, which runs while another gen holds it", async () => {
    const root = await copyOf(generated);
    await mkdir(join(root, ".flux-fleet"), { recursive: true });
    await writeFile(join(root, LOCK), JSON.stringify({ pid: process.pid, hostname: hostname(), started: "2026-01-02T03:04:05.000Z" }));
    const result = await runInProcess(["gen", "--check"], root, SMALL);
    expect(result.stdout).toMatch(/^Up to date: /);
    expect(result.code).toBe(0);
  });
});

describe("an interrupted run's journal and temporary files", () => {
  it("are reported as drift by gen --check, which changes nothing, then finished by gen, which says so", async () => {
    const root = await copyOf(generated);
    const path = "clusters/spoke-0003/apps/kustomization.yaml";
    const content = await readFile(join(root, path), "utf8");
    const { createHash } = await import("node:crypto");
    const temp = `${path}.flux-fleet-4242.tmp`;
    await writeFile(join(root, temp), content);
    await writeFile(join(root, "hub/spoke-0001.yaml.flux-fleet-4243.tmp"), "half a fi");
    await mkdir(join(root, ".flux-fleet"), { recursive: true });
    const sha256 = createHash("sha256").update(content).digest("hex");
    await writeFile(join(root, ".flux-fleet/journal.json"), JSON.stringify({ pid: 4242, writes: [{ path, temp, sha256 }], removals: [] }));
    const before = await readTree(root);

    const check = await runInProcess(["gen", "--check"], root, SMALL);
    expect(check.stdout).toBe(
      'An interrupted gen left .flux-fleet/journal.json: run "pnpm gen" to finish it.\n' +
        `An interrupted gen left 2 temporary files (${temp}, …): run "pnpm gen" to remove them.\n` +
        '3 files differ from what fleet/fleet.ts produces: run "pnpm gen" and commit the result.\n',
    );
    expect(check.code).toBe(1);
    expect(await readTree(root)).toEqual(before);

    const repair = await runCli(["gen"], root, SMALL);
    expect(repair.stdout).toBe(
      "Repaired an interrupted gen (pid 4242): finished its 1 writes and 0 removals from .flux-fleet/journal.json and removed 1 temporary file.\n" +
        "Generated 115 files from fleet/fleet.ts: 0 written, 0 removed, 115 unchanged.\n",
    );
    expect(await readTree(root)).toEqual(await readTree(generated));
  });

  it("refuses a journal that names a path outside the folders gen owns", async () => {
    const root = await copyOf(generated);
    await mkdir(join(root, ".flux-fleet"), { recursive: true });
    const journal = { pid: 4242, writes: [], removals: [{ path: "fleet/fleet.ts", sha256: "0".repeat(64) }] };
    await writeFile(join(root, ".flux-fleet/journal.json"), JSON.stringify(journal));
    const result = await runInProcess(["gen"], root, SMALL);
    expect(result.stderr).toBe(
      'flux-fleet: .flux-fleet/journal.json is not a journal gen writes (a removal names "fleet/fleet.ts"): gen cannot finish the run that left it; check the tree with "git status", then delete .flux-fleet/journal.json and run "pnpm gen" again.\n',
    );
    expect(result.code).toBe(1);
    expect(await readFile(join(root, "fleet/fleet.ts"), "utf8")).toBe(await readFile(join(generated, "fleet/fleet.ts"), "utf8"));
  });
});

describe("a full disk (a small tmpfs)", () => {
  let mountPoint: string | undefined;
  let unmounted: string | undefined = "not root: mount -t tmpfs needs CAP_SYS_ADMIN";
  beforeAll(async () => {
    if (!isRoot) return;
    mountPoint = await mkdtemp(join(tmpdir(), "flux-fleet-tmpfs-"));
    try {
      await run("mount", ["-t", "tmpfs", "-o", "size=1536k", "tmpfs", mountPoint]);
      unmounted = undefined;
    } catch (error) {
      unmounted = `mount -t tmpfs failed (${(error as Error).message.trim()})`;
    }
  });
  afterAll(async () => {
    if (unmounted === undefined && mountPoint) await run("umount", [mountPoint]);
    if (mountPoint) await rm(mountPoint, { recursive: true, force: true });
  });

  it("stops gen with exit 1 and a clear message, the old tree intact; the next gen, with space, writes the new one", async (context) => {
    if (unmounted !== undefined || !mountPoint) return context.skip(`skipped: ${unmounted}`);
    const root = await copyOf(generated, join(mountPoint, "repo"));
    const before = await readTree(root);
    const bigger = { FLEET_SIZE: "200", FLEET_VARIANT: "b" };

    const full = await runInProcess(["gen"], root, bigger);

    expect(full.stderr).toMatch(
      /^flux-fleet: gen could not write \S+ \(ENOSPC: no space left on the device\), so it changed nothing: free some space, then run "pnpm gen" again\.\n$/,
    );
    expect(full.code).toBe(1);
    const after = await readTree(root);
    expect(temporaries(after)).toEqual([]);
    expect(after).toEqual(before);

    await run("mount", ["-o", "remount,size=64m", mountPoint]);
    const freed = await runCli(["gen"], root, bigger);
    expect(freed.stderr).toBe("");
    expect(freed.code).toBe(0);
    expect((await runInProcess(["gen", "--check"], root, bigger)).code).toBe(0);
    expect(temporaries(await readTree(root))).toEqual([]);
  });
});

/** Whether chattr +i works on the filesystem of `dir` (ext4 and most local filesystems as root; not tmpfs or overlay). */
function chattrWorks(dir: string): string | undefined {
  if (!isRoot) return "not root: chattr +i needs CAP_LINUX_IMMUTABLE";
  const probe = join(dir, "chattr-probe");
  try {
    execFileSync("touch", [probe]);
    execFileSync("chattr", ["+i", probe], { stdio: "pipe" });
    execFileSync("chattr", ["-i", probe], { stdio: "pipe" });
    return undefined;
  } catch (error) {
    return `chattr +i failed on ${dir} (${(error as Error).message.trim()})`;
  } finally {
    execFileSync("rm", ["-f", probe]);
  }
}

describe("an immutable generated file (chattr +i)", () => {
  const immutable: string[] = [];
  afterAll(() => {
    for (const path of immutable) execFileSync("chattr", ["-i", path]);
  });

  it.for([
    ["one gen replaces", "clusters/spoke-0003/apps/kustomization.yaml"],
    ["one gen removes", "clusters/spoke-0009/apps/kustomization.yaml"],
  ] as const)(
    "stops gen with exit 1 naming the file (%s), nothing changed; after chattr -i the next gen succeeds",
    async ([, path], context) => {
      const root = await copyOf(generated);
      const unsupported = chattrWorks(root);
      if (unsupported) return context.skip(`skipped: ${unsupported}`);
      const before = await readTree(root);
      execFileSync("chattr", ["+i", join(root, path)]);
      immutable.push(join(root, path));

      const refused = await runInProcess(["gen"], root, SMALL_B);

      expect(refused.stderr).toBe(
        `flux-fleet: gen could not write ${path} (EPERM: not permitted: the file or its folder is read-only, immutable or append-only), so it changed nothing: make it writable (chmod, chattr -i), then run "pnpm gen" again.\n`,
      );
      expect(refused.code).toBe(1);
      expect(await readTree(root)).toEqual(before);

      execFileSync("chattr", ["-i", join(root, path)]);
      immutable.pop();
      const result = await runCli(["gen"], root, SMALL_B);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect((await runInProcess(["gen", "--check"], root, SMALL_B)).code).toBe(0);
      expect(temporaries(await readTree(root))).toEqual([]);
    },
  );
});
