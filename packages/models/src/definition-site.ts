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
const FRAME_LOCATION = /(?:\(|\s)((?:file:\/\/)?\/[^():]+):(\d+):\d+\)?$/;

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
  for (const line of stack.split("\n").slice(1)) {
    const match = FRAME_LOCATION.exec(line.trim());
    if (!match?.[1] || !match[2]) continue;
    const file = match[1].startsWith("file://") ? fileURLToPath(match[1]) : match[1];
    if (file.startsWith(PACKAGES_ROOT) || file.includes("/node_modules/")) continue;
    return { file, line: Number(match[2]) };
  }
  return undefined;
}
