/**
 * Writes `crd-index/*.json`: the vendored CRDs (Flux current and v2.4.0, and the third-party ones) parsed once from
 * their YAML, so that validation reads JSON instead of parsing megabytes of YAML on every run. Run it after
 * `refresh-flux-crds` or after vendoring third-party CRDs; a unit test fails when a committed index differs from
 * what this script writes.
 *
 * Usage (from packages/schemas): `node scripts/index-crds.ts`
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CRD_INDEX_FILES, serializeCrdIndex, type VendoredCrdSet } from "../src/crd-catalog.ts";

for (const set of Object.keys(CRD_INDEX_FILES) as VendoredCrdSet[]) {
  writeFileSync(CRD_INDEX_FILES[set], serializeCrdIndex(set));
  process.stdout.write(`wrote ${fileURLToPath(CRD_INDEX_FILES[set])}\n`);
}
