import { open, rename, unlink, writeFile } from "node:fs/promises";

/**
 * Writes content to a new file (never over an existing one) and fsyncs it, so that it survives a power loss once
 * this returns.
 *
 * @example
 * ```ts
 * await writeDurably("hub/staging.yaml.flux-fleet-42.tmp", yaml);
 * ```
 */
export async function writeDurably(path: string, content: string): Promise<void> {
  const handle = await open(path, "wx");
  try {
    await handle.writeFile(content);
    await handle.sync();
  } catch (error) {
    // A write through a file handle does not say which file it was.
    (error as NodeJS.ErrnoException).path ??= path;
    throw error;
  } finally {
    await handle.close();
  }
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
