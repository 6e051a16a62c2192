// Starts the CLI, waits for a point of its run and kills it with SIGKILL, then prints what ended it as JSON:
// `node kill-at.ts <spec JSON>`. A process of its own, so that the wait is never held up by what the test process
// does meanwhile (a gen rendering synchronously in it): the kill lands where the spec says, however loaded the
// machine. `{pid}` in a path stands for the CLI's pid.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** What kill-at is given: the run, and the point to kill it at. */
export interface KillSpec {
  bin: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Kill once every path (relative to cwd) exists… */
  exists: string[];
  /** …and none of these does… */
  missing: string[];
  /** …and this many milliseconds more have passed. */
  delayMs: number;
}

/** What kill-at prints: how the run ended and the pid it had. */
export interface KillOutcome {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
}

const spec = JSON.parse(process.argv[2] ?? "{}") as KillSpec;
const child = execFile(process.execPath, [spec.bin, ...spec.args], {
  cwd: spec.cwd,
  env: { ...process.env, NO_COLOR: "1", LC_ALL: "C", ...spec.env },
  maxBuffer: 64 * 1024 * 1024,
});
const pid = child.pid;
if (pid === undefined) throw new Error(`could not start ${spec.bin}`);
let exited = false;
const ended = new Promise<KillOutcome>((resolve) =>
  child.on("exit", (code, signal) => {
    exited = true;
    resolve({ pid, code, signal });
  }),
);
const path = (relative: string) => join(spec.cwd, relative.replaceAll("{pid}", String(pid)));
const reached = () => spec.exists.every((p) => existsSync(path(p))) && !spec.missing.some((p) => existsSync(path(p)));
while (!exited && !reached()) await sleep(1);
if (!exited && spec.delayMs > 0) await sleep(spec.delayMs);
if (!exited) child.kill("SIGKILL");
process.stdout.write(`${JSON.stringify(await ended)}\n`);
