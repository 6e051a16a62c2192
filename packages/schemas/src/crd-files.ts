import { readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { sha256Of, type CrdText } from "./crd-catalog.ts";

/**
 * A CRD file a fleet ships, read: `file` is the reference it was named by, `sha256` its content's digest.
 *
 * @example
 * ```ts
 * const [crd]: CrdFile[] = readCrdFiles(["./fleet/crds/widgets.yaml"], process.cwd());
 * crd.sha256; // "9f2c…"
 * ```
 */
export interface CrdFile extends CrdText {
  sha256: string;
}

/**
 * Resolves where a CRD reference points: `./path` (or `../` nowhere: it must stay inside the repository) is relative
 * to the repository root; anything else is a file of an installed package (`@scope/package/path.yaml`), found with
 * Node's resolution from the root and then from this package (which resolves its own vendored CRDs).
 */
function resolveReference(reference: string, root: string): string {
  if (reference.startsWith("./") || reference.startsWith("../") || isAbsolute(reference)) {
    const path = join(root, reference);
    const inside = relative(realpathSync(root), realpathSync(path));
    if (inside === "" || inside.startsWith(`..${sep}`) || inside === ".." || isAbsolute(inside)) {
      throw new Error(
        `the CRD file "${reference}" is outside the repository: name a file under the repository root, such as "./fleet/crds/widgets.yaml"`,
      );
    }
    return path;
  }
  const attempts = [createRequire(join(resolve(root), "package.json")), createRequire(import.meta.url)];
  for (const require of attempts) {
    try {
      return require.resolve(reference);
    } catch {
      // Not resolvable from here: try the next place.
    }
  }
  throw new Error(
    `the CRD file "${reference}" was not found: use a path relative to the repository root starting with "./", or a file an installed package exports`,
  );
}

/**
 * Reads the CRD files a fleet names (see {@link resolveReference} for the two forms), in the given order. A file that
 * is missing or outside the repository is an error naming it; the content is not parsed here (the validator indexes
 * it lazily).
 *
 * @example
 * ```ts
 * const crds = readCrdFiles(["@flux-fleet/schemas/third-party-crds/cert-manager/v1.21.1/cert-manager.io_clusterissuers.yaml"], root);
 * createSchemaValidator({ crds });
 * ```
 */
export function readCrdFiles(references: readonly string[], root: string): CrdFile[] {
  return references.map((reference) => {
    let text: string;
    try {
      text = readFileSync(resolveReference(reference, root), "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") throw new Error(`the CRD file "${reference}" does not exist`, { cause: error });
      throw error;
    }
    return { file: reference, text, sha256: sha256Of(text) };
  });
}
