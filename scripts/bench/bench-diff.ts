// `flux-fleet diff` at N spokes of the bench fleet (bench-fleet.ts), in a temporary git repository with the
// generated tree committed twice: a one-spoke change (FLEET_CHANGED, podinfo replicas on one spoke, regenerated)
// and a shared-base change (a hand edit of deploy/apps/podinfo.yaml, which every spoke's apps layer builds on).
// Each is timed as CI runs it, after validate filled the build cache with the working tree's builds (the base's
// builds of what did not change are then cache hits too, since the cache is keyed by content), and with
// --no-cache (every layer of both revisions built). Called by bench.ts; also runs alone:
// `node scripts/bench/bench-diff.ts --sizes 1000 --runs 1`.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const REPO = fileURLToPath(new URL("../../", import.meta.url));
const CLI = join(REPO, "packages/generator/bin/flux-fleet.js");
/** A hand edit of the shared base: every spoke's apps layer includes deploy/apps. */
const SHARED_EDIT = { file: "deploy/apps/podinfo.yaml", from: "  interval: 50m\n", to: "  interval: 10m\n" };

interface Run {
  wallMs: number;
  cpuMs: number;
  maxRssMiB: number;
  stdout: string;
}

/** Runs a command to its end; the flux-fleet CLI reports its CPU and memory through report-usage.ts. */
function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve, reject) =>
    execFile(
      command,
      args,
      { cwd, env: { ...process.env, NO_COLOR: "1", ...env }, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const usage = /BENCH (\{.*\})/.exec(stderr)?.[1];
        const { exitCode, cpuMs, maxRssKiB } = usage
          ? (JSON.parse(usage) as { exitCode: number; cpuMs: number; maxRssKiB: number })
          : { exitCode: error ? 1 : 0, cpuMs: 0, maxRssKiB: 0 };
        if (exitCode !== 0) reject(new Error(`${command} ${args.join(" ")} exited ${exitCode}:\n${stderr}${stdout}`));
        else resolve({ wallMs: performance.now() - started, cpuMs, maxRssMiB: maxRssKiB / 1024, stdout });
      },
    ),
  );
}

export interface DiffFigures {
  size: number;
  change: "one spoke" | "shared base";
  /** The summary line diff printed, checked against what the change must reach. */
  summary: string;
  /** After validate (build cache holds the working tree's builds), as in CI. */
  warm: Omit<Run, "stdout">;
  /** --no-cache: every layer of both revisions built. */
  cold: Omit<Run, "stdout">;
}

async function benchDiffAt(size: number, shape: string): Promise<DiffFigures[]> {
  const root = await mkdtemp(join(tmpdir(), `flux-fleet-bench-diff-${size}-`));
  try {
    await mkdir(join(root, "fleet"));
    await writeFile(join(root, "fleet/fleet.ts"), await readFile(join(HERE, "bench-fleet.ts"), "utf8"));
    await symlink(join(REPO, "fleet/node_modules"), join(root, "fleet/node_modules"), "dir");
    await writeFile(join(root, ".gitignore"), "node_modules\n.fleet/\n");
    const fleetEnv = { FLEET_SIZE: String(size), FLEET_SHAPE: shape };
    const cli = (args: string[], env: Record<string, string> = {}) =>
      run(process.execPath, ["--import", join(HERE, "report-usage.ts"), CLI, ...args, "--root", root], root, { ...fleetEnv, ...env });
    const git = (...args: string[]) =>
      run("git", ["-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false", ...args], root);
    await cli(["gen"]);
    await git("init", "--quiet", "--initial-branch=main");
    await git("add", "-A");
    await git("commit", "--quiet", "-m", "base");

    const measure = async (change: DiffFigures["change"], expected: string): Promise<DiffFigures> => {
      await git("commit", "--quiet", "-am", change);
      await rm(join(root, ".fleet"), { recursive: true, force: true });
      await cli(["validate"]);
      const { stdout, ...warm } = await cli(["diff", "--base", "HEAD~1"]);
      const { stdout: coldOut, ...cold } = await cli(["diff", "--base", "HEAD~1", "--no-cache"]);
      const summary = stdout.trimEnd().split("\n").at(-1) ?? "";
      if (summary !== expected || coldOut !== stdout)
        throw new Error(`diff after the ${change} change said "${summary}", expected "${expected}" (and the same with --no-cache)`);
      return { size, change, summary, warm, cold };
    };

    process.stderr.write(`N = ${size}: diff, one spoke changed…`);
    await cli(["gen"], { FLEET_CHANGED: "spoke-0005" });
    const one = await measure("one spoke", `1 spoke changed, ${size - 1} spokes unchanged.`);
    process.stderr.write(" shared base changed…");
    const podinfo = await readFile(join(root, SHARED_EDIT.file), "utf8");
    if (!podinfo.includes(SHARED_EDIT.from)) throw new Error(`${SHARED_EDIT.file} does not hold ${JSON.stringify(SHARED_EDIT.from)}`);
    await writeFile(join(root, SHARED_EDIT.file), podinfo.replace(SHARED_EDIT.from, SHARED_EDIT.to));
    const shared = await measure("shared base", `${size} spokes changed, 0 spokes unchanged.`);
    process.stderr.write(" done\n");
    return [one, shared];
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const ms = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`);

/** The figures as a Markdown table, for the terminal and docs/performance.md. */
export function diffTable(figures: readonly DiffFigures[]): string {
  const header = ["N", "change", "diff says", "diff (validate's cache warm)", "CPU", "peak RSS", "diff --no-cache", "CPU", "peak RSS"];
  const rows = figures.map((f) => [
    String(f.size),
    f.change,
    f.summary,
    ms(f.warm.wallMs),
    ms(f.warm.cpuMs),
    `${Math.round(f.warm.maxRssMiB)} MiB`,
    ms(f.cold.wallMs),
    ms(f.cold.cpuMs),
    `${Math.round(f.cold.maxRssMiB)} MiB`,
  ]);
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((row) => `| ${row.join(" | ")} |`)].join("\n");
}

/**
 * Measures diff at each size (one run each: a run at N = 1,000 takes minutes), prints the table and writes
 * `diff.json` into `out`.
 */
export async function benchDiff(options: { sizes: readonly number[]; shape: string; out: string }): Promise<DiffFigures[]> {
  const figures: DiffFigures[] = [];
  for (const size of options.sizes) figures.push(...(await benchDiffAt(size, options.shape)));
  const table = diffTable(figures);
  process.stdout.write(`\nflux-fleet diff (fleet: ${options.shape})\n\n${table}\n`);
  await mkdir(options.out, { recursive: true });
  await writeFile(
    join(options.out, "diff.json"),
    `${JSON.stringify({ date: new Date().toISOString(), fleet: options.shape, figures, table }, null, 2)}\n`,
  );
  return figures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "1000" },
      fleet: { type: "string", default: "realistic" },
      out: { type: "string", default: join(REPO, "bench-results") },
    },
  });
  await benchDiff({ sizes: values.sizes.split(",").map(Number), shape: values.fleet, out: values.out });
}
