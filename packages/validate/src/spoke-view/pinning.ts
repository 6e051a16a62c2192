import { createRequire } from "node:module";

/**
 * The seed's rule for production spokes: a HelmRelease installs an exact chart version, promoted from staging,
 * never the latest chart or a range. The fleet checks apply it to the versions a fleet file sets and validate to
 * the HelmReleases of a generated tree; both word it here, so the two cannot drift apart.
 */
export function pinningProblem(
  spoke: string,
  pinning: "warn" | "strict",
  version: unknown,
): { message: string; severity: "error" | "warning" } | undefined {
  if (typeof version === "string" && isExact(version)) return undefined;
  return {
    message: `Production cluster "${spoke}" follows ${version === undefined ? "the latest chart" : `the range ${JSON.stringify(version)}`}: pin an exact chart version and promote it from staging.`,
    severity: pinning === "strict" ? "error" : "warning",
  };
}

// semver throws (and so captures a stack) inside valid() for every range: a fleet of a thousand production
// spokes asks about the same few versions thousands of times.
const exact = new Map<string, boolean>();

// eslint-disable-next-line @typescript-eslint/consistent-type-imports -- the module's type, for the lazy require
type ValidVersion = typeof import("semver/functions/valid.js");
let validVersion: ValidVersion | undefined;

function isExact(version: string): boolean {
  let answer = exact.get(version);
  if (answer === undefined) {
    // Loaded on the first production release checked, not with this package's index (a validate that repeats its
    // cached report, or a command that only prints, never needs it); only the one function, not semver's index.
    validVersion ??= createRequire(import.meta.url)("semver/functions/valid.js") as ValidVersion;
    answer = validVersion(version) !== null;
    exact.set(version, answer);
  }
  return answer;
}
