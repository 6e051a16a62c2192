// What reaches the disk, and when: gen runs under strace, which records every fsync, syncfs, rename and unlink
// (with the path of each descriptor) of it and its children, in order. Skipped where strace cannot trace (not
// installed, or ptrace not allowed); .ci/run installs it.
import { execFile, execFileSync } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { createFixtureRepo, readTree, REPO_ROOT } from "./helpers.ts";

const run = promisify(execFile);
const BIN = join(REPO_ROOT, "packages/generator/bin/flux-fleet.js");
const FLEET = { FLEET_SIZE: "20", FLEET_VARIANT: "a" };

function straceWorks(): boolean {
  try {
    execFileSync("strace", ["-f", "-qq", "-o", "/dev/null", "true"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
const traced = straceWorks();

interface Call {
  name: string;
  /** The paths the call names: its string arguments and the paths strace -y gives its descriptors. */
  paths: string[];
}

/** gen in `root` under strace: its output and the calls, in the order they returned. */
async function tracedGen(root: string, env: Record<string, string>): Promise<{ calls: Call[]; stdout: string }> {
  const log = join(await mkdtemp(join(tmpdir(), "flux-fleet-strace-")), "trace");
  const { stdout } = await run(
    "strace",
    [
      "-f",
      "-qq",
      "-y",
      "-o",
      log,
      "-e",
      "trace=fsync,fdatasync,syncfs,rename,renameat,renameat2,unlink,unlinkat",
      process.execPath,
      BIN,
      "gen",
    ],
    { cwd: root, env: { ...process.env, NO_COLOR: "1", LC_ALL: "C", ...env }, maxBuffer: 64 * 1024 * 1024 },
  );
  const calls: Call[] = [];
  // A call another thread interrupted is logged in two parts: "pid fsync(23</a/b> <unfinished ...>" and later
  // "pid <... fsync resumed>) = 0"; joined, it counts where it returned.
  const unfinished = new Map<string, string>();
  for (const line of (await readFile(log, "utf8")).split("\n")) {
    const [pid = "", ...words] = line.split(" ");
    let text = words.join(" ").trimStart();
    if (text.endsWith("<unfinished ...>")) {
      unfinished.set(pid, text.slice(0, -"<unfinished ...>".length));
      continue;
    }
    const resumed = /^<\.\.\. \w+ resumed>(.*)$/.exec(text);
    if (resumed) {
      text = `${unfinished.get(pid) ?? ""}${resumed[1] ?? ""}`;
      unfinished.delete(pid);
    }
    const match = /^(\w+)\((.*)\) += (-?\d+)/.exec(text);
    if (!match || match[3] === "-1") continue;
    const [, name = "", args = ""] = match;
    calls.push({ name, paths: [...args.matchAll(/"([^"]*)"|<([^>]*)>/g)].map((found) => found[1] ?? found[2] ?? "") });
  }
  return { calls, stdout };
}

const isTemp = (path: string) => /\.flux-fleet-\d+\.tmp$/.test(path);

describe.runIf(traced)("gen's writes reach the disk before what relies on them (strace)", () => {
  it("a large run flushes the file system once before the journal and once before deleting it, fsyncing almost nothing", async () => {
    const root = await createFixtureRepo("fleets/large-fleet");
    const { calls, stdout } = await tracedGen(root, FLEET);
    const files = Number(/Generated (\d+) files/.exec(stdout)?.[1]);
    expect(files).toBeGreaterThan(100);

    const journal = join(await import("node:fs/promises").then((fs) => fs.realpath(root)), ".flux-fleet/journal.json");
    const index = (predicate: (call: Call) => boolean) => calls.findIndex(predicate);
    const syncs = calls.flatMap((call, at) => (call.name === "syncfs" ? [at] : []));
    const journalWritten = index((call) => call.name.startsWith("rename") && call.paths[1] === journal);
    const journalDeleted = index((call) => call.name.startsWith("unlink") && call.paths[0] === journal);
    const placed = calls.flatMap((call, at) =>
      call.name.startsWith("rename") && isTemp(call.paths[0] ?? "") && call.paths[1] !== journal ? [at] : [],
    );

    expect(placed.length).toBeGreaterThan(files - 5);
    expect(syncs).toHaveLength(2);
    const [beforeJournal = -1, beforeDeletion = -1] = syncs;
    // Every staged file (and its folder entry) is on the disk before the journal names it…
    expect(beforeJournal).toBeLessThan(journalWritten);
    expect(Math.min(...placed)).toBeGreaterThan(journalWritten);
    // …and every rename before the journal goes.
    expect(beforeDeletion).toBeGreaterThan(Math.max(...placed));
    expect(beforeDeletion).toBeLessThan(journalDeleted);
    // Only the journal's own file and folder are fsync'd one by one.
    const fsyncs = calls.filter((call) => call.name === "fsync" || call.name === "fdatasync");
    expect(fsyncs.every((call) => call.paths[0]?.includes("/.flux-fleet/") || call.paths[0]?.endsWith("/.flux-fleet"))).toBe(true);
  });

  it("FLUX_FLEET_FLUSH=files fsyncs every staged file and the folders above it before the journal, and every folder it renamed into before deleting it; the same bytes", async () => {
    const reference = await createFixtureRepo("fleets/large-fleet");
    await tracedGen(reference, FLEET);
    const root = await createFixtureRepo("fleets/large-fleet");
    const { calls } = await tracedGen(root, { ...FLEET, FLUX_FLEET_FLUSH: "files" });
    expect(await readTree(root)).toEqual(await readTree(reference));

    const journal = join(await import("node:fs/promises").then((fs) => fs.realpath(root)), ".flux-fleet/journal.json");
    expect(calls.filter((call) => call.name === "syncfs")).toEqual([]);
    const journalWritten = calls.findIndex((call) => call.name.startsWith("rename") && call.paths[1] === journal);
    const journalDeleted = calls.findIndex((call) => call.name.startsWith("unlink") && call.paths[0] === journal);
    const synced = (from: number, to: number) =>
      new Set(calls.slice(from, to).flatMap((call) => (call.name === "fsync" ? [call.paths[0] ?? ""] : [])));
    const renames = calls.filter((call) => call.name.startsWith("rename") && isTemp(call.paths[0] ?? "") && call.paths[1] !== journal);
    expect(renames.length).toBeGreaterThan(100);

    const beforeJournal = synced(0, journalWritten);
    expect(renames.map((call) => call.paths[0]).filter((temp) => !beforeJournal.has(temp ?? ""))).toEqual([]);
    // The folders they are in, and (a cold run creates them all) every folder above those up to the root.
    const real = dirname(journal.slice(0, -"/journal.json".length));
    const folders = new Set<string>();
    for (const call of renames) for (let dir = dirname(call.paths[0] ?? ""); dir.startsWith(real); dir = dirname(dir)) folders.add(dir);
    expect(folders.size).toBeGreaterThan(60);
    expect([...folders].filter((dir) => !beforeJournal.has(dir))).toEqual([]);
    const lastRename = calls.lastIndexOf(renames.at(-1) as Call);
    const beforeDeletion = synced(lastRename, journalDeleted);
    expect([...new Set(renames.map((call) => dirname(call.paths[1] ?? "")))].filter((dir) => !beforeDeletion.has(dir))).toEqual([]);
  });
});
