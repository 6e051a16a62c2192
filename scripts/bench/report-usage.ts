// Loaded with `node --import` in front of the flux-fleet CLI by `pnpm bench`: when the command exits, it
// reports the process's exit code, CPU time and peak memory on stderr, so the bench measures the real CLI.
import { readFileSync } from "node:fs";

/**
 * The CPU time of the children the process started and waited for (gen's `sync -f`), from /proc/self/stat's cutime
 * and cstime, in clock ticks of 10 ms (USER_HZ is 100 on Linux); 0 where there is no /proc.
 */
function childrenCpuMs(): number {
  try {
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[13]) + Number(fields[14])) * 10 || 0;
  } catch {
    return 0;
  }
}

process.on("exit", (code) => {
  const usage = process.resourceUsage();
  const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000 + childrenCpuMs();
  process.stderr.write(`\nBENCH ${JSON.stringify({ exitCode: code, cpuMs, maxRssKiB: usage.maxRSS })}\n`);
});
