/**
 * Writes `compiled-cel/rules.json`: every CEL rule of the vendored CRDs (Flux current and v2.4.0, third-party),
 * classified by the CEL library as the run time classifies it, with the fields it reads and, where every node of it is
 * in the subset that `src/cel-fast.ts` evaluates, its syntax tree, so that validating objects of these kinds does not
 * load the library. The file records the digest of its inputs (the vendored CRDs, the library's version, the subset's
 * version). Run it after changing the vendored CRDs, `@bufbuild/cel` or the subset; a unit test fails when the
 * committed file differs from what this script writes.
 *
 * Usage (from packages/schemas): `node scripts/compile-cel-rules.ts`
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CEL_RULES_FILE, type PrecompiledCelRules } from "../src/cel-fast.ts";
import { serializeCelRules } from "../src/cel-precompile.ts";

const text = serializeCelRules();
mkdirSync(new URL(".", CEL_RULES_FILE), { recursive: true });
writeFileSync(CEL_RULES_FILE, text);
const rules = Object.values((JSON.parse(text) as PrecompiledCelRules).rules);
const fast = rules.filter((entry) => entry.kind === "ready" && entry.expr !== undefined).length;
process.stdout.write(
  `wrote ${fileURLToPath(CEL_RULES_FILE)}: ${rules.length} rules, ${fast} evaluated without the CEL library, ${rules.length - fast} with it or not at all\n`,
);
