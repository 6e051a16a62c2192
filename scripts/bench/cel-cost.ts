// One in-memory check of a generated tree, as gen runs it before writing (validateTree with the model of the
// builds), with the CRDs' CEL rules (`on`) or without them (`off`). Run in a fresh process per sample so that
// loading the CEL library and compiling the rules count too. Prints {"ms": …, "objects": …}.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { readCrdFiles } from "../../packages/schemas/src/index.ts";
import { readRepositoryTree } from "../../packages/generator/src/validate/repository-tree.ts";
import { validateTree } from "../../packages/generator/src/validate/validate-repository.ts";
import { parseRecord, RECORD_FILE } from "../../packages/generator/src/write/generated-record.ts";

const [root, mode] = process.argv.slice(2);
if (!root || (mode !== "on" && mode !== "off")) throw new Error("usage: node cel-cost.ts ROOT on|off");
const tree = await readRepositoryTree(root);
const record = parseRecord(await readFile(join(root, RECORD_FILE), "utf8"));
const crds = readCrdFiles([...record.crds.keys()], root);
const started = performance.now();
const report = await validateTree(tree, { root, builds: "model", clusters: record.clusters, crds, celRules: mode === "on" });
const ms = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({ ms, objects: report.stats.objects, errors: report.issues.filter((i) => i.severity === "error").length })}\n`,
);
