#!/usr/bin/env node
import { run } from "./cli.ts";

// `flux-fleet gen | head` closes the pipe early: stop quietly, as other command-line tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
    throw error;
  });
}

process.exitCode = await run(process.argv.slice(2));
