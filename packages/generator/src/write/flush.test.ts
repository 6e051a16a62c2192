import { existsSync, statSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { UsageError } from "@flux-fleet/validate";
import { createFlusher, FILESYSTEM_FLUSH_FROM, flushMode } from "./flush.ts";

const folders: string[] = [];
afterEach(async () => {
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
async function folder(parent = tmpdir()): Promise<string> {
  const dir = await mkdtemp(join(parent, "flux-fleet-flush-"));
  folders.push(dir);
  return dir;
}

const linuxWithSync = process.platform === "linux" && (existsSync("/usr/bin/sync") || existsSync("/bin/sync"));

describe("flushMode", () => {
  // Needs Linux and /usr/bin/sync or /bin/sync.
  it.runIf(linuxWithSync)(
    "fsyncs each file for a few, and flushes the file system from FILESYSTEM_FLUSH_FROM fsyncs on (Linux, sync installed)",
    () => {
      expect(flushMode(1, {})).toBe("files");
      expect(flushMode(FILESYSTEM_FLUSH_FROM - 1, {})).toBe("files");
      expect(flushMode(FILESYSTEM_FLUSH_FROM, {})).toBe("filesystem");
      expect(flushMode(10_000, { FLUX_FLEET_FLUSH: "" })).toBe("filesystem");
    },
  );

  it("does what FLUX_FLEET_FLUSH says, and refuses any other value before anything is written", () => {
    expect(flushMode(10_000, { FLUX_FLEET_FLUSH: "files" })).toBe("files");
    expect(flushMode(1, { FLUX_FLEET_FLUSH: "filesystem" })).toBe("filesystem");
    expect(() => flushMode(1, { FLUX_FLEET_FLUSH: "fsync" })).toThrow(UsageError);
    expect(() => flushMode(1, { FLUX_FLEET_FLUSH: "fsync" })).toThrow(
      'FLUX_FLEET_FLUSH is "fsync": it must be "files" or "filesystem" (or unset, to let gen choose)',
    );
  });
});

describe("createFlusher", () => {
  it.for(["files", "filesystem"] as const)("%s: writes new files only, never over one that exists", async (mode) => {
    const dir = await folder();
    const flusher = createFlusher(mode);
    await flusher.write(join(dir, "a.yaml"), "a: 1\n");
    await writeFile(join(dir, "b.yaml"), "someone's\n");
    await expect(flusher.write(join(dir, "b.yaml"), "b: 1\n")).rejects.toMatchObject({ code: "EEXIST", path: join(dir, "b.yaml") });
    expect(await readFile(join(dir, "a.yaml"), "utf8")).toBe("a: 1\n");
    expect(await readFile(join(dir, "b.yaml"), "utf8")).toBe("someone's\n");
  });

  it("files: settles by fsyncing each folder, and a folder that is gone is an error unless best effort", async () => {
    const dir = await folder();
    const flusher = createFlusher("files");
    await flusher.write(join(dir, "a.yaml"), "a: 1\n");
    expect(await flusher.settle([dir, dir])).toEqual({ mode: "files", fileSystems: 0 });
    await expect(flusher.settle([join(dir, "gone")])).rejects.toMatchObject({ code: "ENOENT" });
    expect(await flusher.settle([join(dir, "gone")], { bestEffort: true })).toEqual({ mode: "files", fileSystems: 0 });
  });

  it.runIf(linuxWithSync)("filesystem: one syncfs per file system the folders are on", async () => {
    const first = await folder();
    await mkdir(join(first, "deep/er"), { recursive: true });
    const flusher = createFlusher("filesystem");
    await flusher.write(join(first, "a.yaml"), "a: 1\n");
    await flusher.write(join(first, "deep/er/b.yaml"), "b: 1\n");
    expect(await flusher.settle([first, join(first, "deep/er"), join(first, "deep")])).toEqual({ mode: "filesystem", fileSystems: 1 });
    // A folder on another file system (a tmpfs, where there is one) is flushed on its own.
    const other = ["/dev/shm", "/run"].find((dir) => existsSync(dir) && statSync(dir).dev !== statSync(first).dev);
    if (other === undefined) return;
    let second: string;
    try {
      second = await folder(other);
    } catch {
      return;
    }
    await flusher.write(join(second, "c.yaml"), "c: 1\n");
    expect(await flusher.settle([first, second])).toEqual({ mode: "filesystem", fileSystems: 2 });
  });

  it("filesystem: a sync program that fails (or is missing) falls back to fsyncing each file and folder", async () => {
    const dir = await folder();
    for (const program of ["/bin/false", join(dir, "no-such-sync")]) {
      const flusher = createFlusher("filesystem", { syncProgram: program });
      await flusher.write(join(dir, `${program.length}.yaml`), "a: 1\n");
      expect(await flusher.settle([dir])).toEqual({ mode: "files", fileSystems: 0 });
      // The fallback fsyncs what was written and the folders, so their errors are the files' own.
      await rm(join(dir, `${program.length}.yaml`));
      await expect(flusher.settle([dir])).rejects.toMatchObject({ code: "ENOENT", path: join(dir, `${program.length}.yaml`) });
    }
  });
});
