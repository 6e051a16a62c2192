import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createDefaultFleetRepo, readTree, runInProcess } from "./helpers.ts";

const RECORD = "flux-fleet.generated.json";

let generated: string;
beforeAll(async () => {
  generated = await createDefaultFleetRepo();
  expect((await runInProcess(["gen"], generated)).code).toBe(0);
});

/** A copy of the generated repository at `<outer>/work/repo`, so that `../../outside` stays in the test's folder. */
async function copyRepo(): Promise<{ root: string; outer: string }> {
  const outer = await mkdtemp(join(tmpdir(), "flux-fleet-owned-"));
  const root = join(outer, "work/repo");
  await cp(generated, root, { recursive: true });
  return { root, outer };
}

async function editRecord(root: string, edit: (record: { files: Record<string, string> }) => void): Promise<void> {
  const record = JSON.parse(await readFile(join(root, RECORD), "utf8")) as { files: Record<string, string> };
  edit(record);
  await writeFile(join(root, RECORD), `${JSON.stringify(record, null, 2)}\n`);
}

/** Drops the production cluster from the default fleet, so that its files are stale. */
async function dropProduction(root: string): Promise<void> {
  const clusters = join(root, "fleet/clusters.ts");
  await writeFile(
    clusters,
    (await readFile(clusters, "utf8")).replace(/export const production[\s\S]*$/, "export const production = staging;\n"),
  );
  const fleet = join(root, "fleet/fleet.ts");
  await writeFile(fleet, (await readFile(fleet, "utf8")).replace("clusters: [staging, production]", "clusters: [staging]"));
}

const HASH = "0".repeat(64);

describe("gen owns its folders and nothing else: the record is verified, not obeyed", () => {
  it("refuses a record listing files outside the folders it owns, names them, and deletes nothing", async () => {
    const { root, outer } = await copyRepo();
    await mkdir(join(outer, "outside"), { recursive: true });
    await writeFile(join(outer, "outside/victim"), "precious\n");
    await writeFile(join(root, "README.md"), "# our fleet\n");
    const readme = await readFile(join(root, "README.md"), "utf8");
    await editRecord(root, (record) => {
      record.files["README.md"] = "a".repeat(64);
      record.files["../../outside/victim"] = "b".repeat(64);
    });
    await dropProduction(root);
    const before = await readTree(root);

    const result = await runInProcess(["gen"], root);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `flux-fleet: ${RECORD} lists files outside the folders gen owns (deploy/, clusters/, hub/, .github/workflows/): "../../outside/victim", "README.md"; gen never writes or deletes them, so it stopped and changed nothing; remove those entries or restore it with "git checkout ${RECORD}", then run "pnpm gen" again.\n`,
    );
    expect(await readFile(join(outer, "outside/victim"), "utf8")).toBe("precious\n");
    expect(await readFile(join(root, "README.md"), "utf8")).toBe(readme);
    expect(await readTree(root)).toEqual(before);
  });

  it("never deletes fleet/fleet.ts, whatever hash the record gives it", async () => {
    const { root } = await copyRepo();
    await editRecord(root, (record) => {
      record.files["fleet/fleet.ts"] = HASH;
    });
    const before = await readTree(root);

    const result = await runInProcess(["gen"], root);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${RECORD} lists a file outside the folders gen owns (deploy/, clusters/, hub/, .github/workflows/): "fleet/fleet.ts"`,
    );
    expect(await readTree(root)).toEqual(before);
  });

  it("keeps a stale recorded file whose content no longer matches its hash, says so, and drops it from the record", async () => {
    const { root } = await copyRepo();
    await writeFile(join(root, "clusters/staging/apps/notes.yaml"), "# ours\n");
    await editRecord(root, (record) => {
      record.files["clusters/staging/apps/notes.yaml"] = HASH;
    });

    const result = await runInProcess(["gen"], root);

    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "Kept clusters/staging/apps/notes.yaml: the fleet no longer generates it, but it was changed by hand since gen wrote it; delete it yourself if it is not needed.",
    );
    expect(result.stdout).toContain("0 written, 0 removed");
    expect(await readFile(join(root, "clusters/staging/apps/notes.yaml"), "utf8")).toBe("# ours\n");
    expect(await readFile(join(root, RECORD), "utf8")).toBe(await readFile(join(generated, RECORD), "utf8"));
  });

  it.each([
    [
      "a hash that is not a SHA-256",
      (files: Record<string, unknown>) => (files["hub/staging.yaml"] = "abc"),
      `files["hub/staging.yaml"] is "abc", not a SHA-256 (64 hexadecimal digits)`,
    ],
    [
      "a hash that is not a string",
      (files: Record<string, unknown>) => (files["hub/staging.yaml"] = 7),
      `files["hub/staging.yaml"] is 7, not a SHA-256 (64 hexadecimal digits)`,
    ],
    [
      "an absolute path",
      (files: Record<string, unknown>) => (files["/etc/hosts"] = HASH),
      `lists a file outside the folders gen owns (deploy/, clusters/, hub/, .github/workflows/): "/etc/hosts"`,
    ],
    ["a path through ..", (files: Record<string, unknown>) => (files["hub/../fleet/fleet.ts"] = HASH), `"hub/../fleet/fleet.ts"`],
  ])("refuses a record with %s, naming the record and the entry", async (_name, damage, expected) => {
    const { root } = await copyRepo();
    await editRecord(root, (record) => damage(record.files));
    const before = await readTree(root);

    const result = await runInProcess(["gen"], root);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`flux-fleet: ${RECORD} `);
    expect(result.stderr).toContain(expected);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(await readTree(root)).toEqual(before);
  });

  it("never follows a symlinked cluster folder: a stale cluster behind one is refused, and nothing outside is touched", async () => {
    const { root, outer } = await copyRepo();
    const elsewhere = join(outer, "somewhere/else");
    await mkdir(join(outer, "somewhere"), { recursive: true });
    await cp(join(root, "clusters/production"), elsewhere, { recursive: true });
    await rm(join(root, "clusters/production"), { recursive: true });
    await symlink(elsewhere, join(root, "clusters/production"), "dir");
    await dropProduction(root);
    const outside = await readTree(elsewhere);
    const before = await readTree(root);

    const result = await runInProcess(["gen"], root);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "flux-fleet: flux-fleet writes and deletes only inside the folders it owns, never through a symbolic link, so it stopped and changed nothing:\n" +
        "  clusters/production is a symbolic link, and gen never writes or deletes through one (on the way to clusters/production/apps/kustomization.yaml)\n" +
        'Replace each with a real folder (or remove it), then run "pnpm gen" again.\n',
    );
    expect(await readTree(elsewhere)).toEqual(outside);
    expect(Object.keys(outside).length).toBeGreaterThan(0);
    expect(await readTree(root)).toEqual(before);
  });

  it("never writes through a symlinked generated file", async () => {
    const { root, outer } = await copyRepo();
    await writeFile(join(outer, "target.yaml"), "mine\n");
    await rm(join(root, "hub/staging.yaml"));
    await symlink(join(outer, "target.yaml"), join(root, "hub/staging.yaml"));

    const result = await runInProcess(["gen"], root);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("  hub/staging.yaml is a symbolic link, and gen never writes or deletes through one\n");
    expect(await readFile(join(outer, "target.yaml"), "utf8")).toBe("mine\n");
  });
});
