// pnpm bench: generates synthetic fleets of N spokes through the real DSL (--fleet realistic, the default: every
// spoke differs; --fleet uniform: nine in ten identical) and measures, side by side, gen, gen --check, gen after
// one spoke changed, the cost of the CEL rules, validate cold, warm and after one spoke changed, the floor (the
// same objects written with yaml.stringify and nothing else) and, at N = 100, the per-overlay kubectl kustomize
// loop the seed's validation runs. Each figure is the median of --runs runs. Prints a table and writes bench-results/latest.json.
import { spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const REPO = fileURLToPath(new URL("../../", import.meta.url));
const CLI = join(REPO, "packages/generator/bin/flux-fleet.js");

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "10,100,1000" },
    runs: { type: "string", default: "3" },
    "loop-sizes": { type: "string", default: "100" },
    "loop-runs": { type: "string", default: "1" },
    fleet: { type: "string", default: "realistic" },
    out: { type: "string", default: join(REPO, "bench-results") },
    "diff-sizes": { type: "string", default: "1000" },
    only: { type: "string" },
  },
});
/** A list option of fleet sizes: comma-separated whole numbers ≥ 1; `none` or an empty list is no size. */
function sizeList(option: "sizes" | "loop-sizes" | "diff-sizes"): number[] {
  const text = values[option];
  const list = text === "none" ? [] : text.split(",").filter(Boolean).map(Number);
  if (list.some((size) => !Number.isInteger(size) || size < 1))
    throw new Error(`--${option} must list whole numbers ≥ 1 or be none, got ${text}`);
  return list;
}
const sizes = sizeList("sizes");
const runs = Number(values.runs);
const loopSizes = new Set(sizeList("loop-sizes"));
const loopRuns = Number(values["loop-runs"]);
const shape = values.fleet;
if (shape !== "realistic" && shape !== "uniform") throw new Error(`--fleet must be realistic or uniform, got ${shape}`);

interface Sample {
  wallMs: number;
  cpuMs?: number;
  maxRssKiB?: number;
  stdout: string;
}

function runNode(args: string[], env: Record<string, string>, cwd: string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      const report = /BENCH (\{.*\})/.exec(stderr)?.[1];
      const usage = report ? (JSON.parse(report) as { exitCode: number; cpuMs: number; maxRssKiB: number }) : undefined;
      const exitCode = usage?.exitCode ?? code;
      if (exitCode !== 0 && !(args.includes("--check") && exitCode === 1)) {
        reject(new Error(`node ${args.join(" ")} exited ${exitCode}:\n${stderr}${stdout}`));
        return;
      }
      resolve({ wallMs, ...(usage ? { cpuMs: usage.cpuMs, maxRssKiB: usage.maxRssKiB } : {}), stdout });
    });
  });
}

function runCommand(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")}: ${stderr}`))));
  });
}

function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

interface Figure {
  wallMs: number;
  cpuMs?: number | undefined;
  maxRssMiB?: number | undefined;
  runs: number;
}

async function measure(times: number, before: () => Promise<void>, once: () => Promise<Sample>): Promise<Figure & { last: Sample }> {
  const samples: Sample[] = [];
  for (let i = 0; i < times; i++) {
    await before();
    samples.push(await once());
  }
  return summarize(samples);
}

function summarize(samples: Sample[]): Figure & { last: Sample } {
  const cpu = samples.flatMap((s) => (s.cpuMs === undefined ? [] : [s.cpuMs]));
  const rss = samples.flatMap((s) => (s.maxRssKiB === undefined ? [] : [s.maxRssKiB]));
  return {
    wallMs: median(samples.map((s) => s.wallMs)),
    cpuMs: cpu.length > 0 ? median(cpu) : undefined,
    maxRssMiB: rss.length > 0 ? median(rss) / 1024 : undefined,
    runs: samples.length,
    last: samples.at(-1)!,
  };
}

const strip = ({ last: _last, ...figure }: Figure & { last: Sample }): Figure => figure;

async function countFiles(dir: string): Promise<number> {
  let count = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) if (entry.isFile()) count++;
  return count;
}

async function overlayDirs(root: string): Promise<string[]> {
  const dirs: string[] = [];
  for (const cluster of await readdir(join(root, "clusters")))
    for (const layer of await readdir(join(root, "clusters", cluster))) dirs.push(join(root, "clusters", cluster, layer));
  return dirs;
}

/** A root holding the bench fleet (fleet/fleet.ts and the workspace's node_modules), and nothing generated yet. */
async function fleetRoot(size: number): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), `flux-fleet-bench-${size}-`));
  await mkdir(join(root, "fleet"));
  await cp(join(HERE, "bench-fleet.ts"), join(root, "fleet/fleet.ts"));
  await symlink(join(REPO, "fleet/node_modules"), join(root, "fleet/node_modules"), "dir");
  return root;
}

async function benchSize(size: number) {
  const root = await fleetRoot(size);
  const cliAt = (at: string, args: string[], env: Record<string, string> = {}) =>
    runNode(
      ["--import", join(HERE, "report-usage.ts"), CLI, ...args, "--root", at],
      { FLEET_SIZE: String(size), FLEET_SHAPE: shape, ...env },
      at,
    );
  const cli = (args: string[], env: Record<string, string> = {}) => cliAt(root, args, env);
  const nothing = async () => {};
  process.stderr.write(`N = ${size}: gen and floor…`);

  // gen and the floor alternate, so that both see the same machine (disk and CPU noise come in waves). Every cold
  // run writes into folders no earlier run wrote, and nothing is deleted until all of them are done: on ext4
  // without a journal (as on this machine), creating a file right after thousands were deleted makes the kernel
  // skip each recently deleted inode (ext4's recently_deleted(), 31 % of gen's samples in `perf record` at
  // N = 1,000), which added 1-4 s of system time to whichever side had just deleted its tree. A fresh clone, where
  // cold gens happen, has no such deletions.
  const coldRoots: string[] = [];
  const floorDirs: string[] = [];
  const genSamples: Sample[] = [];
  const floorSamples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const coldRoot = await fleetRoot(size);
    coldRoots.push(coldRoot);
    genSamples.push(await cliAt(coldRoot, ["gen"]));
    const floorDir = join(root, `floor-${i}`);
    floorDirs.push(floorDir);
    floorSamples.push(
      await runNode(
        ["--import", join(HERE, "report-usage.ts"), join(HERE, "floor.ts"), floorDir],
        { FLEET_SIZE: String(size), FLEET_SHAPE: shape },
        REPO,
      ),
    );
  }
  const floorFiles = await countFiles(floorDirs.at(-1)!);
  for (const dir of [...coldRoots, ...floorDirs]) await rm(dir, { recursive: true, force: true });
  // The tree the other measurements start from.
  await cli(["gen"]);
  const gen = summarize(genSamples);
  const floor = summarize(floorSamples);
  const files = Number(/Generated (\d+) files/.exec(gen.last.stdout)?.[1] ?? "0");
  process.stderr.write(" check…");
  const check = await measure(runs, nothing, () => cli(["gen", "--check"]));
  process.stderr.write(" change…");
  const change = await measure(
    runs,
    async () => void (await cli(["gen"])),
    () => cli(["gen"], { FLEET_CHANGED: "spoke-0005" }),
  );
  const rewritten = Number(/: (\d+) written/.exec(change.last.stdout)?.[1] ?? "0");
  await cli(["gen"]);
  // What the CRDs' CEL rules cost: gen's in-memory check of this tree with and without them, alternating.
  process.stderr.write(" CEL…");
  const celSamples: Record<"on" | "off", Sample[]> = { on: [], off: [] };
  for (let i = 0; i < runs; i++) {
    for (const mode of ["on", "off"] as const) {
      const sample = await runNode([join(HERE, "cel-cost.ts"), root, mode], { FLEET_SIZE: String(size), FLEET_SHAPE: shape }, REPO);
      celSamples[mode].push({ ...sample, wallMs: (JSON.parse(sample.stdout) as { ms: number }).ms });
    }
  }
  const celOn = summarize(celSamples.on);
  const celOff = summarize(celSamples.off);
  process.stderr.write(" validate cold…");
  const validateCold = await measure(
    runs,
    () => rm(join(root, ".fleet"), { recursive: true, force: true }),
    () => cli(["validate"]),
  );
  process.stderr.write(" warm…");
  const validateWarm = await measure(runs, nothing, () => cli(["validate"]));
  // One spoke changed since the last validate: a different spoke each run, so that no run finds its builds cached.
  process.stderr.write(" one spoke changed…");
  let changedSpoke = 1;
  const validateChanged = await measure(
    runs,
    async () => void (await cli(["gen"], { FLEET_CHANGED: `spoke-${String(Math.min(changedSpoke++, size - 1)).padStart(4, "0")}` })),
    () => cli(["validate"]),
  );
  let loop: Figure | undefined;
  if (loopSizes.has(size)) {
    process.stderr.write(" kustomize loop…");
    const dirs = await overlayDirs(root);
    loop = strip(
      await measure(loopRuns, nothing, async () => {
        const started = performance.now();
        for (const dir of dirs) await runCommand("kubectl", ["kustomize", "--load-restrictor=LoadRestrictionsNone", dir], root);
        return { wallMs: performance.now() - started, stdout: "" };
      }),
    );
  }
  process.stderr.write(" done\n");
  await rm(root, { recursive: true, force: true });
  return {
    size,
    files,
    floorFiles,
    rewrittenAfterOneChange: rewritten,
    gen: strip(gen),
    genCheck: strip(check),
    genAfterChange: strip(change),
    validateCold: strip(validateCold),
    validateWarm: strip(validateWarm),
    validateChanged: strip(validateChanged),
    floor: strip(floor),
    checkWithCel: strip(celOn),
    checkWithoutCel: strip(celOff),
    ...(loop ? { kustomizeLoop: loop } : {}),
  };
}

// flux-fleet diff, one-spoke and shared-base changes (bench-diff.ts): its own table and diff.json; --only diff skips the rest.
const diffSizes = sizeList("diff-sizes");
if (diffSizes.length > 0) {
  const { benchDiff } = await import("./bench-diff.ts");
  await benchDiff({ sizes: diffSizes, shape, out: values.out });
}
if (values.only === "diff") process.exit(0);

const results: Array<Awaited<ReturnType<typeof benchSize>>> = [];
for (const size of sizes) results.push(await benchSize(size));

const ms = (n: number | undefined) => (n === undefined ? "–" : n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`);
const mib = (n: number | undefined) => (n === undefined ? "–" : `${Math.round(n)} MiB`);
const ratio = (a: number, b: number | undefined) => (b === undefined ? "–" : `${(a / b).toFixed(a / b < 1 ? 3 : 2)}×`);
const header = [
  "N",
  "files",
  "gen",
  "gen CPU",
  "gen peak RSS",
  "floor",
  "floor CPU",
  "floor RSS",
  "gen / floor (wall, CPU, RSS)",
  "gen ms/spoke",
  "gen --check",
  "gen, 1 spoke changed (files rewritten)",
  "in-memory check, CEL on / off (CEL share)",
  "validate cold",
  "validate warm",
  "validate, 1 spoke changed",
  "kustomize loop",
  "cold / loop",
  "warm / loop",
];
const rows = results.map((r) => [
  String(r.size),
  String(r.files),
  ms(r.gen.wallMs),
  ms(r.gen.cpuMs),
  mib(r.gen.maxRssMiB),
  ms(r.floor.wallMs),
  ms(r.floor.cpuMs),
  mib(r.floor.maxRssMiB),
  `${ratio(r.gen.wallMs, r.floor.wallMs)}, ${r.gen.cpuMs === undefined ? "–" : ratio(r.gen.cpuMs, r.floor.cpuMs)}, ${r.gen.maxRssMiB === undefined ? "–" : ratio(r.gen.maxRssMiB, r.floor.maxRssMiB)}`,
  (r.gen.wallMs / r.size).toFixed(1),
  ms(r.genCheck.wallMs),
  `${ms(r.genAfterChange.wallMs)} (${r.rewrittenAfterOneChange})`,
  `${ms(r.checkWithCel.wallMs)} / ${ms(r.checkWithoutCel.wallMs)} (${Math.round((100 * (r.checkWithCel.wallMs - r.checkWithoutCel.wallMs)) / r.gen.wallMs)} % of gen)`,
  ms(r.validateCold.wallMs),
  ms(r.validateWarm.wallMs),
  ms(r.validateChanged.wallMs),
  r.kustomizeLoop ? `${ms(r.kustomizeLoop.wallMs)} (${r.size * 4} runs)` : "–",
  r.kustomizeLoop ? ratio(r.validateCold.wallMs, r.kustomizeLoop.wallMs) : "–",
  r.kustomizeLoop ? ratio(r.validateWarm.wallMs, r.kustomizeLoop.wallMs) : "–",
]);
const table = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((row) => `| ${row.join(" | ")} |`)].join(
  "\n",
);
const growth =
  results.length >= 2
    ? results.slice(1).map((r, i) => {
        const p = results[i]!;
        return `N ${p.size} → ${r.size} (×${r.size / p.size}): gen time ×${(r.gen.wallMs / p.gen.wallMs).toFixed(1)}, gen peak RSS ×${((r.gen.maxRssMiB ?? 0) / (p.gen.maxRssMiB ?? 1)).toFixed(2)}, validate warm ×${(r.validateWarm.wallMs / p.validateWarm.wallMs).toFixed(1)}`;
      })
    : [];
const machine = `${cpus().length} cores (${cpus()[0]?.model ?? "unknown"}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`;
process.stdout.write(
  `\nFleet: ${shape}\n\n${table}\n\n${growth.join("\n")}\n\nMedians of ${runs} runs (kustomize loop: ${loopRuns}); ${machine}.\n`,
);
await mkdir(values.out, { recursive: true });
await writeFile(
  join(values.out, "latest.json"),
  `${JSON.stringify({ date: new Date().toISOString(), machine, fleet: shape, runs, loopRuns, results, table }, null, 2)}\n`,
);
process.stdout.write(`Wrote ${join(values.out, "latest.json")}\n`);
