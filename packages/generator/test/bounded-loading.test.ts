import { appendFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FleetError } from "../src/errors.ts";
import { loadFleet } from "../src/load-fleet.ts";
import { createDefaultFleetRepo, createFleetRepo, runCli, type CliResult } from "./helpers.ts";

/** Runs the CLI and measures how long it took, in seconds. */
async function timed(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<CliResult & { seconds: number }> {
  const start = performance.now();
  const result = await runCli(args, cwd, env);
  return { ...result, seconds: (performance.now() - start) / 1000 };
}

/** A copy of the default fleet with extra code at the end of fleet/fleet.ts. */
async function defaultFleetWith(code: string): Promise<string> {
  const root = await createDefaultFleetRepo();
  await appendFile(join(root, "fleet/fleet.ts"), `\n${code}\n`);
  return root;
}

// Each case spawns the CLI, which spends most of its time waiting: run them side by side.
describe.concurrent("bounded fleet loading: a fleet that does not finish, or ends the process, is an error naming it", () => {
  it.each([
    ["the flag", ["--load-timeout", "1"], {}],
    ["the environment", [], { FLUX_FLEET_LOAD_TIMEOUT: "1" }],
    ["the flag over the environment", ["--load-timeout", "1"], { FLUX_FLEET_LOAD_TIMEOUT: "600" }],
  ] as const)("stops a synchronous endless loop after the limit set by %s", async (_, args, env) => {
    const root = await createFleetRepo({ "fleet/fleet.ts": "while (true) {}\n" });

    const result = await timed(["gen", ...args], root, env);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("fleet/fleet.ts did not finish loading within 1 s: a fleet module runs forever");
    expect(result.stderr).toMatch(/Nothing was written\.\n$/);
    // Well under the 30 s default (the message proves which limit applied); loose, as test machines are shared.
    expect(result.seconds).toBeLessThan(25);
  });

  // Node announces each worker thread it starts on this diagnostics channel: the probe counts them, at exit.
  const WORKER_PROBE = `import { subscribe } from "node:diagnostics_channel";
let workers = 0;
subscribe("worker_threads", () => workers++);
process.on("exit", () => process.stderr.write("worker threads started: " + workers + "\\n"));
`;
  const withWorkerProbe = async (root: string): Promise<Record<string, string>> => {
    await writeFile(join(root, "probe.mjs"), WORKER_PROBE);
    return { NODE_OPTIONS: `--import ${join(root, "probe.mjs")}` };
  };

  it("loads a fleet without top-level await synchronously, under a vm timeout, with no watchdog thread to start", async () => {
    const root = await createDefaultFleetRepo();

    const result = await runCli(["gen"], root, await withWorkerProbe(root));

    expect(result.code).toBe(0);
    expect(result.stderr).toContain("worker threads started: 0\n");
  });

  it("loads a fleet with a top-level await asynchronously, and its watchdog thread stops a loop after the await", async () => {
    const awaiting = await defaultFleetWith("await Promise.resolve();");
    const looping = await createFleetRepo({ "fleet/fleet.ts": "await Promise.resolve();\nwhile (true) {}\n" });

    const [loaded, stopped] = await Promise.all([
      runCli(["gen"], awaiting, await withWorkerProbe(awaiting)),
      timed(["gen", "--load-timeout", "1"], looping, await withWorkerProbe(looping)),
    ]);

    expect(loaded.code).toBe(0);
    expect(loaded.stderr).toContain("worker threads started: 1\n");
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain("fleet/fleet.ts did not finish loading within 1 s: a fleet module runs forever");
    expect(stopped.stderr).toContain("worker threads started: 1\n");
    expect(stopped.seconds).toBeLessThan(25);
  });

  it("stops a synchronous endless loop in a module the fleet imports", async () => {
    const root = await createFleetRepo({
      "fleet/fleet.ts": 'import { spokes } from "./spokes.ts";\nexport const fleet = spokes;\n',
      "fleet/spokes.ts": "export const spokes = {};\nfor (;;) {}\n",
    });

    const result = await timed(["gen", "--load-timeout", "1"], root);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("fleet/fleet.ts did not finish loading within 1 s: a fleet module runs forever");
    expect(result.seconds).toBeLessThan(25);
  });

  it("reports a top-level await that nothing settles instead of Node's exit 13", async () => {
    const root = await createFleetRepo({ "fleet/fleet.ts": "await new Promise(() => {});\nexport const fleet = {};\n" });

    const result = await runCli(["gen"], root);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("fleet/fleet.ts did not finish loading: a top-level await waits for a promise that nothing settles");
    expect(result.stderr).not.toContain("unsettled top-level await");
  });

  it("refuses process.exit(0) while loading, so gen --check on a stale tree never passes", async () => {
    const root = await defaultFleetWith("process.exit(0);");
    const line = (await readFile(join(root, "fleet/fleet.ts"), "utf8")).trimEnd().split("\n").length;

    const result = await runCli(["gen", "--check"], root);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`fleet/fleet.ts:${line}\n  error   fleet/fleet.ts called process.exit(0) while loading`);
    expect(result.stdout).toBe("");
  });

  it("fails a run that a timer of the fleet ends with process.exit(0) after loading", async () => {
    const root = await defaultFleetWith("setTimeout(() => process.exit(0), 0);");

    const result = await runCli(["gen", "--check"], root);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("flux-fleet: the process was ended (exit code 0) before the command finished");
  });

  it("keeps the drift verdict when the fleet sets process.exitCode = 0", async () => {
    const root = await defaultFleetWith("process.exitCode = 0;");

    const result = await runCli(["gen", "--check"], root);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('from what fleet/fleet.ts produces: run "pnpm gen" and commit the result.');
  });

  it("generates and exits although the fleet leaves an interval running", async () => {
    const root = await defaultFleetWith("setInterval(() => {}, 1000);");

    const result = await timed(["gen"], root);

    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^Generated \d+ files from fleet\/fleet\.ts/m);
    expect(result.code).toBe(0);
    expect(result.seconds).toBeLessThan(25);
  });

  it.each([
    ["--load-timeout", "abc"],
    ["--load-timeout", "0"],
    ["--load-timeout", "-5"],
    ["--load-timeout", "Infinity"],
    ["FLUX_FLEET_LOAD_TIMEOUT", "abc"],
  ] as const)("refuses %s %s as a usage error", async (source, value) => {
    const root = await createFleetRepo({ "fleet/fleet.ts": "export const fleet = {};\n" });

    const result =
      source === "--load-timeout"
        ? await runCli(["gen", `--load-timeout=${value}`], root)
        : await runCli(["gen"], root, { FLUX_FLEET_LOAD_TIMEOUT: value });

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `flux-fleet: ${source} "${value}" is not a number of seconds: use a positive number up to 2147482, such as 30.\n`,
    );
  });

  it("times out a top-level await that waits longer than the limit, in the calling process", async () => {
    const root = await createFleetRepo({ "fleet/fleet.ts": "await new Promise((resolve) => setTimeout(resolve, 5000).unref());\n" });
    // eslint-disable-next-line @typescript-eslint/unbound-method -- compared, never called
    const exit = process.exit;

    const error: unknown = await loadFleet({ root, loadTimeout: 0.2 }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(FleetError);
    expect((error as FleetError).issues).toEqual([
      {
        severity: "error",
        message: expect.stringMatching(/^fleet\/fleet\.ts did not finish loading within 0\.2 s: /) as unknown,
        where: { file: "fleet/fleet.ts" },
      },
    ]);
    // eslint-disable-next-line @typescript-eslint/unbound-method -- compared, never called
    expect(process.exit).toBe(exit);
  });
});
