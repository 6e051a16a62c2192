import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

/**
 * The first executable file called `name` in a PATH string, or `undefined`: the one PATH lookup of the packages
 * that run programs (the lifecycle's tools, validate's kustomize). Looks only; runs nothing.
 *
 * @example
 * ```ts
 * findExecutable("kubectl", "/usr/local/bin:/usr/bin"); // "/usr/bin/kubectl" on these machines
 * ```
 */
export function findExecutable(name: string, path: string): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here: keep looking
    }
  }
  return undefined;
}
