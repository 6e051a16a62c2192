// One in-memory check of a fleet's spoke view, as gen runs it before writing (checkSpokeView on what the renderer
// built), with the CRDs' CEL rules (`on`) or without them (`off`). Run in a fresh process per sample so that
// loading the CEL library and compiling the rules count too. Prints {"ms": …, "objects": …}.
import type { Component } from "../../packages/fleet/src/index.ts";
import { readCrdFiles } from "../../packages/schemas/src/index.ts";
import { loadFleet } from "../../packages/generator/src/load-fleet.ts";
import { renderFleet } from "../../packages/generator/src/render/render-fleet.ts";
import { checkSpokeView } from "../../packages/validate/src/index.ts";

const [root, mode] = process.argv.slice(2);
if (!root || (mode !== "on" && mode !== "off")) throw new Error("usage: node cel-cost.ts ROOT on|off");
const { fleet, entry } = await loadFleet({ root });
const { files, builds } = renderFleet(fleet, { root, entry });
const components = fleet.clusters.flatMap((cluster) => cluster.profile.components as readonly Component[]);
const crds = readCrdFiles([...new Set(components.flatMap((component) => component.crds ?? []))].sort(), root);
const started = performance.now();
const report = checkSpokeView({
  files: new Map(files.map((file) => [file.path, file.documents])),
  builds: new Map([...builds].map(([dir, documents]) => [dir, { ok: true as const, documents }])),
  editIn: () => entry,
  crds,
  celRules: mode === "on",
});
const ms = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({ ms, objects: report.objects, errors: report.issues.filter((i) => i.severity === "error").length })}\n`,
);
