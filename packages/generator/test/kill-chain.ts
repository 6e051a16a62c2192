// The kill-and-repair test of gen-interrupted.test.ts and gen-interrupted-loading.test.ts.
import { execFile } from "node:child_process";
import { cp, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { createFixtureRepo, readTree, REPO_ROOT, runCli, runInProcess } from "./helpers.ts";
import type { KillOutcome, KillSpec } from "./kill-at.ts";

const execFileAsync = promisify(execFile);

const RECORD = "flux-fleet.generated.json";
const JOURNAL = ".flux-fleet/journal.json";
const SIZE = "200";
const VARIANTS = { a: { FLEET_SIZE: SIZE, FLEET_VARIANT: "a" }, b: { FLEET_SIZE: SIZE, FLEET_VARIANT: "b" } } as const;
type Variant = keyof typeof VARIANTS;

/** The files gen owns in a tree (the fleet's own files left out). */
function generated(tree: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tree).filter(([path]) => !path.startsWith("fleet/")));
}

/**
 * Where to kill the run: while it loads the fleet; once the temporary file of the staged file at `at` (a fraction of
 * the files the run writes, in the order it writes them; the record is the last) exists; once its journal exists;
 * once the staged file at `at` is renamed into place (the commit).
 */
export type KillPoint = { loading: number } | { staged: number } | { journal: true } | { renamed: number };

const KILL_AT = fileURLToPath(new URL("./kill-at.ts", import.meta.url));
// The launcher pnpm exec flux-fleet runs: it turns the compile cache on before any TypeScript is read.
const BIN = join(REPO_ROOT, "packages/generator/bin/flux-fleet.js");

/** Runs `gen` in `root` and kills it with SIGKILL at the point `at` describes, from a process of its own (kill-at.ts). */
async function killAt(
  root: string,
  env: Record<string, string>,
  at: Partial<Pick<KillSpec, "exists" | "missing" | "delayMs">>,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const spec: KillSpec = { bin: BIN, args: ["gen"], cwd: root, env, exists: [], missing: [], delayMs: 0, ...at };
  const { stdout } = await execFileAsync(process.execPath, [KILL_AT, JSON.stringify(spec)]);
  return JSON.parse(stdout) as KillOutcome;
}

/**
 * The test of one chain of kills, in its own repository: each kill starts from the tree the previous repair left,
 * going from variant a to b and back, so that runs write, replace and remove. Each chain is a test file of its own
 * (gen-interrupted*.test.ts), so that the chains' repairs, which render in the test process, run side by side.
 */
export function describeKillChain(name: string, points: readonly KillPoint[]): void {
  describe("gen killed with SIGKILL at any point of a large run", () => {
    it(`is repaired by the next gen: exit 0, a clean gen's tree byte for byte, no temporary file, and gen --check passes (${name})`, async () => {
      const started = performance.now();
      const references = await Promise.all(
        (["a", "b"] as const).map(async (variant) => {
          const root = await createFixtureRepo("fleets/large-fleet");
          // A clean gen is the real CLI's: the repairs in this process must write exactly its bytes.
          expect((await runCli(["gen"], root, VARIANTS[variant])).code).toBe(0);
          return generated(await readTree(root));
        }),
      );
      const reference: Record<Variant, Record<string, string>> = { a: references[0] ?? {}, b: references[1] ?? {} };
      expect(Object.keys(reference.a).length).toBeGreaterThan(1000);

      const left: string[] = [];
      const killAndRepair = async (points: readonly KillPoint[]): Promise<void> => {
        let root = await createFixtureRepo("fleets/large-fleet");
        let current: Record<string, string> = {};
        for (const [index, point] of points.entries()) {
          // The repair and the check run in this process, which imports a fleet module once: each kill gets a copy,
          // in a new folder, of the tree the previous repair left (proven byte for byte equal to a clean gen's below).
          if (index > 0) {
            const next = await mkdtemp(join(tmpdir(), "flux-fleet-test-"));
            await cp(root, next, { recursive: true });
            root = next;
          }
          const target: Variant = index % 2 === 0 ? "a" : "b";
          const want = reference[target];
          // What this run stages, in its order: the files that change, then the record.
          const staged = Object.keys(want)
            .filter((path) => want[path] !== current[path] && path !== RECORD && !path.startsWith("hub/flux-system/"))
            .sort()
            .concat(RECORD);
          const nth = (at: number) => staged[Math.min(staged.length - 1, Math.floor(at * (staged.length - 1)))] ?? RECORD;

          const temp = (path: string) => `${path}.flux-fleet-{pid}.tmp`;
          const killed = await killAt(root, VARIANTS[target], {
            ...("loading" in point ? { exists: [".flux-fleet/lock"], delayMs: point.loading } : {}),
            ...("staged" in point ? { exists: [temp(nth(point.staged))] } : {}),
            ...("journal" in point ? { exists: [JOURNAL] } : {}),
            ...("renamed" in point ? { exists: [JOURNAL], missing: [temp(nth(point.renamed))] } : {}),
          });
          const after = await readTree(root);
          const temporaries = Object.keys(after).filter((path) => path.endsWith(".tmp"));
          const state = `${JSON.stringify(point)}: ${killed.signal ?? `exit ${killed.code}`}, ${after[JOURNAL] === undefined ? "no journal" : "journal"}, ${temporaries.length} temporary files`;
          left.push(state);

          const repair = await runInProcess(["gen"], root, VARIANTS[target]);
          expect(repair.stderr, state).toBe("");
          expect(repair.code, state).toBe(0);
          // One line for the lock the killed run held, one for what it left.
          const said = repair.stdout.split("\n").filter((line) => /^(Took over|Repaired) /.test(line));
          expect(
            said.map((line) => line.replace(/\d+/g, "N").replace(/\(started [^)]+\)/, "(started T)")),
            state,
          ).toEqual([
            ...(killed.signal === "SIGKILL" ? ["Took over .flux-fleet/lock from gen pid N (started T), which is no longer running."] : []),
            ...(after[JOURNAL] !== undefined
              ? [
                  // Every temporary file a journal's run left is one of its writes.
                  "Repaired an interrupted gen (pid N): finished its N writes and N removals from .flux-fleet/journal.json.",
                ]
              : temporaries.length > 0
                ? ["Repaired an interrupted gen: removed N temporary files it left before changing the tree."]
                : []),
          ]);
          const tree = await readTree(root);
          expect(Object.keys(tree).filter((path) => path.endsWith(".tmp") || path.startsWith(".flux-fleet/"))).toEqual([]);
          const written = generated(tree);
          // toEqual on 1,000 files prints a useless diff: compare the paths, then each file.
          expect(Object.keys(written).sort()).toEqual(Object.keys(want).sort());
          expect(Object.keys(want).filter((path) => written[path] !== want[path])).toEqual([]);

          const check = await runInProcess(["gen", "--check"], root, VARIANTS[target]);
          expect(check.stdout, state).toMatch(/^Up to date: /);
          expect(check.code).toBe(0);
          current = want;
        }
      };
      await killAndRepair(points);
      // The kills landed in each phase: before the journal (temporary files only) and while it was carried out.
      expect(left.some((line) => line.includes(", no journal, ") && !line.includes(" 0 temporary"))).toBe(true);
      expect(left.some((line) => line.includes(", journal, "))).toBe(true);
      process.stdout.write(`kill -9 points (${Math.round(performance.now() - started)} ms in all):\n  ${left.join("\n  ")}\n`);
    }, 240_000);
  });
}
