import { closeSync, fsync, openSync, writeFileSync } from "node:fs";
import { rename, unlink, writeFile } from "node:fs/promises";

/**
 * fsync of an open file or folder, off the main thread: it waits for the disk, so callers run many at a time.
 *
 * @example
 * ```ts
 * await fsyncDescriptor(fd);
 * ```
 */
export function fsyncDescriptor(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())));
}

/**
 * Writes content to a new file (never over an existing one); with `fsync`, fsyncs it, so that it survives a power
 * loss once this returns (without, the caller puts it on the disk later: gen flushes the whole file system once).
 * Opening, writing and closing a small file take microseconds: they run here, and only the fsync, which waits for
 * the disk, goes to the thread pool (each trip there costs more CPU than the call itself).
 *
 * @example
 * ```ts
 * await writeNewFile("hub/staging.yaml.flux-fleet-42.tmp", yaml, { fsync: true });
 * ```
 */
export async function writeNewFile(path: string, content: string, options: { fsync: boolean }): Promise<void> {
  const fd = openSync(path, "wx");
  try {
    writeFileSync(fd, content);
    if (options.fsync) await fsyncDescriptor(fd);
  } catch (error) {
    // A write to a descriptor does not say which file it was.
    (error as NodeJS.ErrnoException).path ??= path;
    throw error;
  } finally {
    closeSync(fd);
  }
}

/**
 * {@link writeNewFile} with its fsync: the new file survives a power loss once this returns.
 *
 * @example
 * ```ts
 * await writeDurably("fleet/charts/redis/20.1.0/values.ts.flux-fleet-42.tmp", source);
 * ```
 */
export function writeDurably(path: string, content: string): Promise<void> {
  return writeNewFile(path, content, { fsync: true });
}

/**
 * Replaces `path` with `content` through `temporary` (a file beside it) and a rename, so that a reader, or a crash,
 * sees the old content or the new one, never part of it. `durable` fsyncs the new content first (what gen and
 * promote write); caches, which can always be rebuilt, skip it.
 *
 * @example
 * ```ts
 * await replaceFile(".fleet/validate-report.json", json, `.fleet/validate-report.json.${process.pid}.tmp`);
 * ```
 */
export async function replaceFile(path: string, content: string, temporary: string, options: { durable?: boolean } = {}): Promise<void> {
  if (options.durable) {
    await unlink(temporary).catch(() => undefined);
    await writeDurably(temporary, content);
  } else {
    await writeFile(temporary, content);
  }
  await rename(temporary, path);
}
