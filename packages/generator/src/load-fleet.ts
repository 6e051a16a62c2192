import { access } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Script } from "node:vm";
import type * as WorkerThreads from "node:worker_threads";
import { userStackFrames } from "@flux-fleet/models";
import type { Fleet } from "@flux-fleet/fleet";
import { FleetError } from "./errors.ts";
import { UsageError } from "@flux-fleet/validate";

/** The default fleet entry, relative to the repository root. */
export const DEFAULT_ENTRY = "fleet/fleet.ts";

/** How long the fleet may take to load, in seconds, unless `loadTimeout` says otherwise. */
export const DEFAULT_LOAD_TIMEOUT = 30;

export interface LoadFleetOptions {
  root: string;
  /** The fleet entry relative to the root; default `fleet/fleet.ts`. */
  entry?: string | undefined;
  /** Seconds the fleet may take to load before it is stopped and reported; default 30. */
  loadTimeout?: number | undefined;
}

export interface LoadedFleet {
  fleet: Fleet;
  root: string;
  /** The entry file relative to the root, with `/` separators. */
  entry: string;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * The repository root: the nearest folder, from `start` upwards, that holds the fleet entry.
 *
 * @example
 * ```ts
 * await findRoot(process.cwd()); // "/home/me/fleet-repo"
 * ```
 */
export async function findRoot(start: string, entry = DEFAULT_ENTRY): Promise<string> {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (await exists(join(dir, entry))) return dir;
    if (dirname(dir) === dir) break;
  }
  throw new UsageError(`No ${entry} found in ${start} or any folder above it: run flux-fleet inside a fleet repository, or pass --root.`);
}

function toPosix(path: string): string {
  return path.split(sep).join("/");
}

/** The first stack frame of an error that lies in the user's files under `root`, outside node_modules. */
function userFrame(error: unknown, root: string): { file: string; line: number } | undefined {
  const stack = error instanceof Error ? (error.stack ?? "") : "";
  for (const frame of userStackFrames(stack)) {
    const path = relative(root, frame.file);
    if (path.startsWith("..") || isAbsolute(path) || path.startsWith(`packages${sep}`)) continue;
    return { file: toPosix(path), line: frame.line };
  }
  return undefined;
}

function isFleet(value: unknown): value is Fleet {
  const candidate = value as Partial<Fleet> | undefined;
  return Array.isArray(candidate?.clusters) && Array.isArray(candidate?.tenants) && typeof candidate?.hub === "object";
}

/**
 * Imports the fleet entry (`fleet/fleet.ts`, run by Node's type stripping) and returns its `fleet` export.
 * A fleet file that fails to import or throws is reported with the file and line at fault; one that does not
 * finish loading within `loadTimeout` seconds, waits on a promise nothing settles, or calls `process.exit` is
 * reported naming the fleet entry.
 *
 * @example
 * ```ts
 * const { fleet } = await loadFleet({ root: "/home/me/fleet-repo", loadTimeout: 10 });
 * ```
 */
export async function loadFleet(options: LoadFleetOptions): Promise<LoadedFleet> {
  const root = resolve(options.root);
  const entryPath = resolve(root, options.entry ?? DEFAULT_ENTRY);
  const entry = toPosix(relative(root, entryPath));
  if (!(await exists(entryPath)))
    throw new UsageError(`The fleet entry ${entry} does not exist: create it, exporting \`export const fleet = defineFleet({ … })\`.`);
  const module = await importBounded(pathToFileURL(entryPath).href, { root, entry, seconds: options.loadTimeout ?? DEFAULT_LOAD_TIMEOUT });
  const fleet = module["fleet"];
  if (!isFleet(fleet)) {
    throw new FleetError([
      {
        severity: "error",
        message:
          "The fleet entry does not export a fleet: add `export const fleet = defineFleet({ tenants, clusters });` (defineFleet comes from @flux-fleet/fleet).",
        where: { file: entry },
      },
    ]);
  }
  return { fleet, root, entry };
}

// Who decides how a load ends, shared with the watchdog thread: the main thread settles a load it sees finish
// (or time out); the watchdog takes over one that is still loading when its own, later, deadline passes.
const LOADING = 0;
const SETTLED = 1;
const TERMINATING = 2;
/** How long after the deadline the watchdog waits for the main thread to notice the timeout itself. */
const WATCHDOG_GRACE_MS = 200;

// Runs in a worker thread. A synchronous loop in the fleet (`while (true) {}`) never yields to the main thread's
// timers, so only another thread can stop it: the watchdog ends the main thread's current JavaScript through the
// inspector (`Runtime.terminateExecution`, which V8 cancels once that execution has unwound, so the CLI carries on
// and reports). Node aborts if a thread holding a session to the main thread is torn down while the main thread
// still handles that session, so the watchdog disconnects first and ends only when the main thread, running again,
// says so. Without an inspector (a Node built without it) it prints the message and kills the process.
const WATCHDOG = `
const { parentPort, workerData } = require("node:worker_threads");
const state = new Int32Array(workerData.state);
setTimeout(() => {
  if (Atomics.compareExchange(state, 0, ${LOADING}, ${TERMINATING}) !== ${LOADING}) return;
  try {
    const session = new (require("node:inspector").Session)();
    session.connectToMainThread();
    const alive = setTimeout(() => {}, 10000);
    session.post("Runtime.terminateExecution", () => {
      session.disconnect();
      parentPort.once("message", () => clearTimeout(alive));
      parentPort.postMessage("disconnected");
    });
  } catch {
    require("node:fs").writeSync(2, "flux-fleet: " + workerData.message + "\\n");
    process.kill(process.pid, "SIGKILL");
  }
}, workerData.ms + ${WATCHDOG_GRACE_MS});
`;

interface Watchdog {
  /** Ends a watchdog that has not acted. */
  stop(): void;
  /** Settles once a watchdog that stopped the main thread has ended (or after a bound). */
  ended: Promise<void>;
}

function startWatchdog(state: Int32Array, ms: number, message: string): Watchdog | undefined {
  // connectToMainThread reaches the process's main thread only: from a worker thread it would stop the wrong one.
  // Loaded here: only a fleet with top-level await needs the thread (most load synchronously, in requireWithin).
  const { isMainThread, Worker } = requireHere("node:worker_threads") as typeof WorkerThreads;
  if (!isMainThread) return undefined;
  try {
    const worker = new Worker(WATCHDOG, { eval: true, workerData: { state: state.buffer, ms, message } });
    // A watchdog that cannot start leaves the timer and the event-loop check in place; it must not crash the load.
    worker.on("error", () => {});
    const ended = new Promise<void>((resolve) => {
      worker.once("exit", () => resolve());
      // Let the main thread handle the disconnect before the watchdog's thread goes away.
      worker.once("message", () => setTimeout(() => worker.postMessage("end"), 50));
    });
    // After the listeners, which would hold the event loop open again: the watchdog must never keep the process
    // alive, nor hide a top-level await that nothing settles.
    worker.unref();
    return {
      stop: () => {
        if (Atomics.load(state, 0) !== TERMINATING) void worker.terminate();
      },
      ended,
    };
  } catch {
    return undefined;
  }
}

function loadIssue(message: string, where: { file: string; line?: number }): FleetError {
  return new FleetError([{ severity: "error", message, where }]);
}

type ExitCode = Parameters<typeof process.exit>[0];

/** A `process.exit` call made while the fleet loaded: refused, and reported once the load ends. */
interface ExitCall {
  code: ExitCode;
  error: Error;
}

/**
 * Replaces `process.exit` while the fleet loads: a call throws into the fleet's code, so that it stops where it
 * would have ended the process, and is remembered in case the fleet catches that. `restore` puts it back.
 */
function refuseExit(entry: string): { readonly call: ExitCall | undefined; restore(): void } {
  let call: ExitCall | undefined;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- only put back as it was, never called here
  const exit = process.exit;
  const refused = (code?: ExitCode): never => {
    const error = new Error(`${entry} called process.exit(${JSON.stringify(code) ?? ""}) while loading`);
    call ??= { code, error };
    throw error;
  };
  process.exit = refused;
  return {
    get call() {
      return call;
    },
    restore: () => {
      if (process.exit === refused) process.exit = exit;
    },
  };
}

function exitError(call: ExitCall, root: string, entry: string): FleetError {
  return loadIssue(
    `${entry} called process.exit(${JSON.stringify(call.code) ?? ""}) while loading: a fleet module only defines the fleet, and flux-fleet stops rather than report success; remove the call (throw an Error to report a problem).`,
    userFrame(call.error, root) ?? { file: entry },
  );
}

/** The fleet's own error (a throw, a syntax error, a missing import), at the fleet file and line it points to. */
function loadFailure(error: unknown, root: string, entry: string): FleetError {
  const at = userFrame(error, root) ?? { file: entry };
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  return new FleetError([{ severity: "error", message: `The fleet failed to load: ${message}`, where: at }], { cause: error });
}

const requireHere = createRequire(import.meta.url);
const SYNC_LOAD = Symbol.for("flux-fleet.load-fleet");

/** An object of this module, to tell whether `require` reaches the same module map as the code running here. */
export const LOADER_IDENTITY = {};
let nativeImport: boolean | undefined;

/**
 * Whether this module runs in Node's own module loader, so that `require` and `import` give the same module
 * instances. A module runner that loads this code through its own loader (vitest, to run flux-fleet in a test
 * process) would give a `require`d fleet other instances of `@flux-fleet/fleet` than the ones this code reads:
 * the fleet is then loaded with `import`, through that runner.
 */
function importIsNative(): boolean {
  if (nativeImport === undefined) {
    try {
      nativeImport = (requireHere(fileURLToPath(import.meta.url)) as { LOADER_IDENTITY?: unknown }).LOADER_IDENTITY === LOADER_IDENTITY;
    } catch {
      nativeImport = false;
    }
  }
  return nativeImport;
}

let syncLoader: Script | undefined;

/**
 * Loads the fleet entry with `require` (Node loads and evaluates an ES module graph without top-level await
 * synchronously, into the same module map `import` uses) inside a `vm` script run with a timeout: V8 stops the
 * script, the fleet's code included, once `ms` pass. Node's watchdog for that is a native thread without a JavaScript
 * environment; the worker thread that {@link importBounded}'s asynchronous path starts costs about 25 ms of CPU. A
 * graph with a top-level await cannot load this way: `"async"`, before any of it runs.
 */
function requireWithin(path: string, ms: number): { module: Record<string, unknown> } | { error: unknown } | "timeout" | "async" {
  syncLoader ??= new Script("globalThis[Symbol.for('flux-fleet.load-fleet')]()", { filename: "flux-fleet:load-fleet" });
  const global = globalThis as unknown as Record<symbol, unknown>;
  global[SYNC_LOAD] = () => requireHere(path) as Record<string, unknown>;
  // Date.now, not performance.now, which loads perf_hooks (a millisecond) on first use.
  const started = Date.now();
  try {
    return { module: syncLoader.runInThisContext({ timeout: Math.max(1, Math.ceil(ms)) }) as Record<string, unknown> };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A top-level await in the graph; or a Node without require(esm) (before 22.12), where import is the only way.
    if (code === "ERR_REQUIRE_ASYNC_MODULE" || code === "ERR_REQUIRE_ESM") return "async";
    // The fleet's own vm timeouts are its errors: only this script's, once its time is up, is the load's.
    if (code === "ERR_SCRIPT_EXECUTION_TIMEOUT" && Date.now() - started >= ms) return "timeout";
    return { error };
  } finally {
    delete global[SYNC_LOAD];
  }
}

/**
 * Imports the fleet entry in this thread, so that its objects (model instances, functions in values) stay usable,
 * within a time limit. The import ends in exactly one of: the module, the fleet's own error (file:line), a timeout,
 * a top-level await that can never settle (the event loop ran empty while waiting), or a `process.exit` call, which
 * is refused while loading so that a fleet cannot end `gen --check` with exit code 0. A fleet without top-level
 * await (most) is loaded synchronously under a `vm` timeout ({@link requireWithin}); one with it, asynchronously
 * with a watchdog thread that can stop a synchronous loop.
 */
async function importBounded(href: string, context: { root: string; entry: string; seconds: number }): Promise<Record<string, unknown>> {
  const { root, entry, seconds } = context;
  if (!(seconds > 0 && seconds * 1000 < 2 ** 31))
    throw new UsageError(`The load timeout ${seconds} is not a number of seconds setTimeout can wait: use a positive number such as 30.`);
  const ms = seconds * 1000;
  const timeoutMessage = `${entry} did not finish loading within ${seconds} s: a fleet module runs forever (a loop, a top-level await that waits too long); fix it, or raise the limit with --load-timeout <seconds> or FLUX_FLEET_LOAD_TIMEOUT.`;

  let loaded: ReturnType<typeof requireWithin> = "async";
  const syncExits = importIsNative() ? refuseExit(entry) : undefined;
  if (syncExits) {
    try {
      loaded = requireWithin(fileURLToPath(href), ms);
    } finally {
      syncExits.restore();
    }
  }
  if (syncExits && loaded !== "async") {
    if (syncExits.call) throw exitError(syncExits.call, root, entry);
    if (loaded === "timeout") throw loadIssue(timeoutMessage, { file: entry });
    if ("error" in loaded) throw loadFailure(loaded.error, root, entry);
    return loaded.module;
  }

  const state = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const watchdog = startWatchdog(state, ms, timeoutMessage);
  let resolveLoad: (module: Record<string, unknown>) => void = () => {};
  let rejectLoad: (error: FleetError) => void = () => {};
  const promise = new Promise<Record<string, unknown>>((resolve, reject) => {
    resolveLoad = resolve;
    rejectLoad = reject;
  });
  const exits = refuseExit(entry);

  let done = false;
  const finish = (settle: () => void): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    process.off("beforeExit", onEmptyLoop);
    exits.restore();
    watchdog?.stop();
    settle();
  };
  const timedOut = (): void =>
    finish(() => {
      const error = loadIssue(timeoutMessage, { file: entry });
      if (Atomics.load(state, 0) !== TERMINATING || !watchdog) return rejectLoad(error);
      // The watchdog's inspector session must be gone before the process exits, or Node prints "Waiting for the
      // debugger to disconnect..." and waits for it.
      const bound = setTimeout(() => rejectLoad(error), 5000);
      void watchdog.ended.then(() => {
        clearTimeout(bound);
        rejectLoad(error);
      });
    });
  // False when the watchdog has taken over: it stopped (or is stopping) the import, which counts as a timeout.
  const claim = (): boolean => Atomics.compareExchange(state, 0, LOADING, SETTLED) !== TERMINATING;

  const timer = setTimeout(() => {
    claim();
    timedOut();
  }, ms);
  timer.unref();
  // Node would exit 13 ("unsettled top-level await") pointing at our bin: nothing is left that could settle the import.
  const onEmptyLoop = (): void => {
    if (!claim()) return timedOut();
    finish(() =>
      rejectLoad(
        loadIssue(
          `${entry} did not finish loading: a top-level await waits for a promise that nothing settles (nothing else was left to run); resolve it or remove the await.`,
          { file: entry },
        ),
      ),
    );
  };
  process.on("beforeExit", onEmptyLoop);

  import(href).then(
    (module: Record<string, unknown>) => {
      if (!claim()) return timedOut();
      finish(() => (exits.call ? rejectLoad(exitError(exits.call, root, entry)) : resolveLoad(module)));
    },
    (error: unknown) => {
      if (!claim()) return timedOut();
      finish(() => rejectLoad(exits.call ? exitError(exits.call, root, entry) : loadFailure(error, root, entry)));
    },
  );
  return promise;
}
