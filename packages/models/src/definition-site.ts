import { fileURLToPath } from "node:url";

/**
 * Where in the user's code a fleet object (cluster, tenant, component) was defined, so that errors and
 * generated-file headers can point at the line to edit.
 */
export interface DefinitionSite {
  file: string;
  line: number;
}

// The folder that holds all @flux-fleet packages: packages/ in the workspace, node_modules/@flux-fleet/ when
// installed. Frames inside it belong to our define* helpers, not to the user's fleet.
const PACKAGES_ROOT = fileURLToPath(new URL("../../", import.meta.url));
// A location in a stack: `at f (file:///x.ts:3:5)`, `at /x.ts:3:5`, or a syntax error's `file:///x.ts:3`.
// A path must start the line or follow a space or "(": "node:internal/process/task_queues:104" is none.
const LOCATION = /(?<=^|[\s(])((?:file:\/\/)?\/[^\s():]+):(\d+)(?::\d+)?/gm;

/**
 * The locations in a stack trace (or an error's stack) that lie in the user's code, first first: outside the
 * @flux-fleet packages and outside node_modules.
 *
 * @example
 * ```ts
 * userStackFrames(error.stack ?? "")[0]; // { file: "/home/me/fleet/fleet/clusters.ts", line: 12 }
 * ```
 */
export function userStackFrames(stack: string): DefinitionSite[] {
  const frames: DefinitionSite[] = [];
  for (const match of stack.matchAll(LOCATION)) {
    const raw = match[1] ?? "";
    const file = raw.startsWith("file://") ? fileURLToPath(raw) : raw;
    if (file.startsWith(PACKAGES_ROOT) || file.includes("/node_modules/")) continue;
    frames.push({ file, line: Number(match[2]) });
  }
  return frames;
}

/**
 * The first stack frame outside the @flux-fleet packages: the user's call to a `define*` helper.
 *
 * @example
 * ```ts
 * export function defineThing<T>(thing: T) {
 *   return { ...thing, definedAt: captureDefinitionSite() };
 * }
 * ```
 */
export function captureDefinitionSite(): DefinitionSite | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 30;
  const stack = new Error().stack ?? "";
  Error.stackTraceLimit = limit;
  // The first line is the message ("Error"), which holds no location.
  return userStackFrames(stack.slice(stack.indexOf("\n") + 1))[0];
}
