// Runs the flux-fleet CLI in this process, then reports its own resource usage on stderr, so that the
// bench measures wall time, CPU and peak memory of exactly one command.
import { run } from "@flux-fleet/generator";

const started = performance.now();
const exitCode = await run(process.argv.slice(2));
const usage = process.resourceUsage();
process.stderr.write(
  `\nBENCH ${JSON.stringify({ exitCode, wallMs: performance.now() - started, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssKiB: usage.maxRSS })}\n`,
);
process.exitCode = exitCode;
