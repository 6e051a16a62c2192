// Loaded with `node --import` in front of the flux-fleet CLI by `pnpm bench`: when the command exits, it
// reports the process's exit code, CPU time and peak memory on stderr, so the bench measures the real CLI.
process.on("exit", (code) => {
  const usage = process.resourceUsage();
  process.stderr.write(
    `\nBENCH ${JSON.stringify({ exitCode: code, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssKiB: usage.maxRSS })}\n`,
  );
});
