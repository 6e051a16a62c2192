import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createFakeTools, createOutput, type FakeTools } from "../test/fake-tools.ts";
import { PlanStepError } from "./errors.ts";
import type { Plan } from "./plan.ts";
import { Redacted } from "./redacted.ts";
import { captureCommand, runPlan } from "./runner.ts";

const node = process.execPath;

describe("runPlan", () => {
  let tools: FakeTools | undefined;
  afterEach(() => tools?.cleanup());

  it("runs steps in order and stops at the first failure, naming the step", async () => {
    tools = createFakeTools([]);
    const marker = (name: string) => [node, "-e", `require("fs").appendFileSync("order.txt", "${name}\\n")`];
    const plan: Plan = {
      title: "t",
      steps: [
        { description: "first", argv: marker("first") },
        { description: "break things", argv: [node, "-e", "process.exit(3)"] },
        { description: "never", argv: marker("never") },
      ],
    };
    const log = createOutput();
    const error: unknown = await runPlan(plan, { cwd: tools.cwd, log }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanStepError);
    expect((error as PlanStepError).message).toMatch(
      /^Step 2 of 3 failed: break things; ".*node" exited with code 3\.\n {2}command: .*node -e 'process.exit\(3\)'$/,
    );
    expect([(error as PlanStepError).stepIndex, (error as PlanStepError).exitCode]).toEqual([1, 3]);
    expect(readFileSync(join(tools.cwd, "order.txt"), "utf8")).toBe("first\n");
    expect(log.text()).toBe("==> [1/3] first\n==> [2/3] break things\n");
  });

  it("says when a program is not on PATH", async () => {
    tools = createFakeTools([]);
    const plan: Plan = { title: "t", steps: [{ description: "Create kind cluster flux-hub", argv: ["kind", "create", "cluster"] }] };
    await expect(runPlan(plan, { cwd: tools.cwd, env: tools.env, log: createOutput() })).rejects.toThrow(
      'Step 1 of 1 failed: Create kind cluster flux-hub; could not start "kind": it is not on PATH.',
    );
  });

  it("fails a pipe when either side fails", async () => {
    tools = createFakeTools([]);
    const plan: Plan = {
      title: "t",
      steps: [{ description: "pipe", argv: [node, "-e", "console.log(1)"], pipeTo: [node, "-e", "process.exit(4)"] }],
    };
    await expect(runPlan(plan, { cwd: tools.cwd, log: createOutput() })).rejects.toThrow(/exited with code 4/);
  });

  it("pipes, writes private files and hands secrets over stdin and the environment", async () => {
    tools = createFakeTools([]);
    writeFileSync(join(tools.cwd, "old.yaml"), "stale");
    const plan: Plan = {
      title: "t",
      steps: [
        {
          description: "write",
          argv: [node, "-e", "process.stdout.write('kubeconfig')"],
          stdout: { kind: "file", path: "deep/dir/out.yaml", mode: 0o600 },
        },
        {
          description: "overwrite",
          argv: [node, "-e", "process.stdout.write('fresh')"],
          stdout: { kind: "file", path: "old.yaml", mode: 0o600 },
        },
        {
          description: "pipe",
          argv: [node, "-e", "process.stdout.write('piped')"],
          pipeTo: [
            node,
            "-e",
            "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>require('fs').writeFileSync('pipe.txt',s.toUpperCase()))",
          ],
        },
        {
          description: "stdin",
          argv: [
            node,
            "-e",
            "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>process.exit(JSON.parse(s).data.password==='s3cret'&&process.env.TOKEN==='t0ken'?0:9))",
          ],
          stdin: { kind: "json", value: { data: { password: new Redacted("s3cret") } } },
          env: { TOKEN: new Redacted("t0ken") },
        },
      ],
    };
    await runPlan(plan, { cwd: tools.cwd, log: createOutput() });
    expect(readFileSync(join(tools.cwd, "deep/dir/out.yaml"), "utf8")).toBe("kubeconfig");
    expect(statSync(join(tools.cwd, "deep/dir/out.yaml")).mode & 0o777).toBe(0o600);
    expect(statSync(join(tools.cwd, "deep/dir")).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(tools.cwd, "old.yaml"), "utf8")).toBe("fresh");
    expect(statSync(join(tools.cwd, "old.yaml")).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(tools.cwd, "pipe.txt"), "utf8")).toBe("PIPED");
  });

  it("captures output of read-only commands", async () => {
    const ok = await captureCommand([node, "-e", "console.log('out'); console.error('err')"]);
    expect([ok.exitCode, ok.stdout, ok.stderr]).toEqual([0, "out\n", "err\n"]);
    const missing = await captureCommand(["no-such-tool-here"], { env: { PATH: "/nonexistent" } });
    expect(missing.exitCode).toBeUndefined();
    expect(missing.error && "code" in missing.error ? missing.error.code : undefined).toBe("ENOENT");
    const slow = await captureCommand([node, "-e", "setTimeout(() => {}, 10000)"], { timeoutMs: 200 });
    expect(slow.error?.message).toMatch(/killed by SIGTERM/);
  });
});
