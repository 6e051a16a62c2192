import { createHash } from "node:crypto";

/** The file, at the repository root, in which the generator records the files it wrote. */
export const RECORD_FILE = "flux-fleet.generated.json";

const RECORD_COMMENT = "Written by flux-fleet gen: the files it generated, with their SHA-256, so that it only ever rewrites or removes its own files. Do not edit.";

/** Generated path → SHA-256 of its content. */
export type GeneratedRecord = ReadonlyMap<string, string>;

export function hashContent(content: string): string {
  return createHash("sha256").update(content).digest("hex");
}

export function serializeRecord(files: ReadonlyMap<string, string>): string {
  const sorted = Object.fromEntries([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ comment: RECORD_COMMENT, files: sorted }, null, 2)}\n`;
}

/** Reads a record; `undefined` content (no record yet) is an empty record. */
export function parseRecord(content: string | undefined): GeneratedRecord {
  if (content === undefined) return new Map();
  const parsed = JSON.parse(content) as { files?: Record<string, unknown> };
  const files = parsed.files ?? {};
  return new Map(Object.entries(files).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}
