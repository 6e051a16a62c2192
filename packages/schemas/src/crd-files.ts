import { readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { sha256Of, THIRD_PARTY_CRDS_DIRECTORY, thirdPartyCrds, type CrdText } from "./crd-catalog.ts";

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
    let path: string;
    try {
      path = resolveReference(reference, root);
    } catch (error) {
      throw readError(reference, error);
    }
    const vendored = vendoredDigest(path);
    if (vendored !== undefined) {
      // One of this package's own vendored CRDs (a component ships cert-manager's): its digest is in the index,
      // which the validator reads it from, so the file (a megabyte for cert-manager's) is read only if asked for.
      let text: string | undefined;
      return {
        file: reference,
        sha256: vendored,
        get text(): string {
          text ??= readCrdText(reference, path);
          return text;
        },
      };
    }
    const text = readCrdText(reference, path);
    return { file: reference, text, sha256: sha256Of(text) };
  });
}

function readCrdText(reference: string, path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw readError(reference, error);
  }
}

/** A missing file as an error naming the reference; any other error as it is. */
function readError(reference: string, error: unknown): unknown {
  if ((error as NodeJS.ErrnoException).code === "ENOENT") return new Error(`the CRD file "${reference}" does not exist`, { cause: error });
  return error;
}

/** The indexed digest of a file of this package's `third-party-crds/` folder (a test checks the index against the files). */
function vendoredDigest(path: string): string | undefined {
  const inside = relative(fileURLToPath(THIRD_PARTY_CRDS_DIRECTORY), path);
  if (inside === "" || inside.startsWith("..") || isAbsolute(inside)) return undefined;
  const file = inside.split(sep).join("/");
  return thirdPartyCrds().entries.find((entry) => entry.file === file)?.sha256;
}
