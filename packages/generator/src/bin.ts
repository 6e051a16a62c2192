#!/usr/bin/env node
import { enableCompileCache } from "node:module";

// Node keeps the compiled code (and the type-stripped source) of every module it loads in its compile cache, in
// the system's temporary folder unless NODE_COMPILE_CACHE names one, so a second run does not strip and compile
// the CLI, its packages and the fleet files again. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
enableCompileCache();
const { run } = await import("./cli.ts");

let finished = false;

// `flux-fleet gen | head` closes the pipe early: stop quietly, as other command-line tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") {
      finished = true;
      process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
    }
    throw error;
  });
}

// The fleet runs in this process: a timer it started may call process.exit(0) while gen still works, which would
// pass `gen --check` unchecked. Ending before the command has finished is never a success.
process.on("exit", (code) => {
  if (finished || code !== 0) return;
  process.stderr.write(
    "flux-fleet: the process was ended (exit code 0) before the command finished, by code the fleet runs (process.exit in a timer or callback it started); this run failed.\n",
  );
  process.exitCode = 1;
});

const code = await run(process.argv.slice(2));
finished = true;
// Exit now rather than when the event loop empties: a timer or socket the fleet left open must not keep the
// finished command running. Pipes are written asynchronously on macOS: let what is queued (a long diff) drain first.
const drained = (stream: NodeJS.WriteStream): Promise<void> => new Promise((resolve) => stream.write("", () => resolve()));
await Promise.all([drained(process.stdout), drained(process.stderr)]);
process.exit(code);
