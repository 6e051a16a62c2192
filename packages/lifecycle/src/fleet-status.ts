import { requireTools, resolveCommandOptions, type CommandOptions, type CommandResult } from "./command.ts";
import { LifecycleError } from "./errors.ts";
import { formatPlan, type Plan, type PlanStep } from "./plan.ts";
import { captureCommand } from "./runner.ts";
import { kubeContext, validateTopology, type FleetSpoke, type FleetTopology } from "./topology.ts";

/** Readiness as Flux prints its Ready condition. */
export type Readiness = "True" | "False" | "Unknown";

/**
 * One row of `flux get kustomizations` / `flux get helmreleases` output.
 *
 * @example
 * ```ts
 * const row: FluxGetRow = { name: "apps", revision: "main@sha1:1a2b3c4d", suspended: false, ready: "True", message: "Applied revision: main@sha1:1a2b3c4d" };
 * ```
 */
export interface FluxGetRow {
  /** Present when the output came from `-A`. */
  namespace?: string;
  name: string;
  revision: string;
  suspended: boolean;
  ready: Readiness;
  message: string;
}

type Column = "NAMESPACE" | "NAME" | "REVISION" | "SUSPENDED" | "READY" | "MESSAGE";

function splitOnTabs(line: string): string[] {
  const cells = line.split("\t").map((cell) => cell.trim());
  while (cells.length > 0 && cells.at(-1) === "") cells.pop();
  return cells;
}

function headerOffsets(header: string): Array<{ column: string; start: number }> {
  return [...header.matchAll(/\S+/g)].map((match) => ({ column: match[0], start: match.index }));
}

function splitAtOffsets(line: string, offsets: ReadonlyArray<{ start: number }>): string[] {
  return offsets.map(({ start }, i) => line.slice(start, offsets[i + 1]?.start ?? line.length).trim());
}

function toReadiness(value: string): Readiness {
  return value === "True" || value === "False" ? value : "Unknown";
}

/**
 * Parses what `flux get kustomizations` or `flux get helmreleases` prints (with or without `-A`) into rows.
 * Columns are found by their header, so the older `NAME READY MESSAGE REVISION SUSPENDED` order works too.
 * Flux separates columns with a tab after space padding; output whose tabs were expanded to spaces (copied
 * from a terminal or docs) is split at the header's column positions instead. A message spread over several
 * lines (kustomize build errors) is joined back onto its row. Empty output (Flux reports "no … objects found"
 * on stderr) gives no rows.
 *
 * @example
 * ```ts
 * parseFluxGet("NAME\tREVISION\tSUSPENDED\tREADY\tMESSAGE\napps\tmain@sha1:1a2b3c4d\tFalse\tTrue\tApplied revision: main@sha1:1a2b3c4d\n")[0]?.ready;
 * // "True"
 * ```
 */
export function parseFluxGet(output: string): FluxGetRow[] {
  const lines = output.replaceAll("\r", "").split("\n");
  const headerIndex = lines.findIndex((line) => /^\s*(NAMESPACE\s+)?NAME\s/.test(line));
  if (headerIndex === -1) {
    if (output.trim() === "") return [];
    throw new LifecycleError(`Unrecognised flux get output (no NAME header): "${output.trim().split("\n")[0]}".`);
  }
  const header = lines[headerIndex] ?? "";
  const tabbed = header.includes("\t");
  const offsets = headerOffsets(header);
  const names = tabbed ? splitOnTabs(header) : offsets.map((offset) => offset.column);
  const index = (column: Column): number => names.indexOf(column);
  const rows: FluxGetRow[] = [];
  for (const line of lines.slice(headerIndex + 1)) {
    if (line.trim() === "") continue;
    const cells = tabbed ? splitOnTabs(line) : splitAtOffsets(line, offsets);
    const cell = (column: Column): string => cells[index(column)] ?? "";
    const previous = rows.at(-1);
    if (cell("NAME") === "" && previous !== undefined) {
      const continuation = cells.filter((text) => text !== "").join(" ");
      if (continuation !== "") previous.message = `${previous.message}\n${continuation}`;
      continue;
    }
    const row: FluxGetRow = {
      name: cell("NAME"),
      revision: cell("REVISION"),
      suspended: cell("SUSPENDED") === "True",
      ready: toReadiness(cell("READY")),
      message: cell("MESSAGE"),
    };
    if (index("NAMESPACE") !== -1) row.namespace = cell("NAMESPACE");
    rows.push(row);
  }
  return rows;
}

/** The Flux objects a status row can be. */
export type StatusKind = "Kustomization" | "HelmRelease";

/**
 * The reconciliation state of one spoke: its hub namespace's Kustomizations and HelmReleases.
 *
 * @example
 * ```ts
 * const ready = status.kustomizations.every((k) => k.ready === "True");
 * ```
 */
export interface SpokeStatus {
  spoke: string;
  namespace: string;
  kindCluster: string;
  kustomizations: FluxGetRow[];
  helmReleases: FluxGetRow[];
  /** Every object is Ready and not suspended, and there is at least one Kustomization. */
  ready: boolean;
}

/**
 * The whole fleet's state, spoke by spoke.
 *
 * @example
 * ```ts
 * if (!status.ready) process.exitCode = 1;
 * ```
 */
export interface FleetStatus {
  spokes: SpokeStatus[];
  ready: boolean;
}

function statusSteps(topology: FleetTopology, spoke: FleetSpoke): [PlanStep, PlanStep] {
  const context = kubeContext(topology.hub.kindCluster);
  const get = (resource: string): PlanStep => ({
    description: `List the ${resource} of spoke ${spoke.name} (hub namespace ${spoke.namespace})`,
    argv: ["flux", "get", resource, "--context", context, "--namespace", spoke.namespace],
  });
  return [get("kustomizations"), get("helmreleases")];
}

/**
 * The read-only commands `fleet status` runs: `flux get kustomizations` and `flux get helmreleases` in each
 * spoke's hub namespace, in the hub context.
 *
 * @example
 * ```ts
 * planFleetStatus(topology).steps[0]?.argv.join(" ");
 * // "flux get kustomizations --context kind-flux-hub --namespace staging"
 * ```
 */
export function planFleetStatus(topology: FleetTopology): Plan {
  validateTopology(topology);
  return { title: "fleet status", steps: topology.spokes.flatMap((spoke) => statusSteps(topology, spoke)) };
}

/**
 * Builds a spoke's status from the two outputs.
 *
 * @example
 * ```ts
 * spokeStatus(topology.spokes[0]!, kustomizationsOutput, helmReleasesOutput).ready;
 * ```
 */
export function spokeStatus(spoke: FleetSpoke, kustomizationsOutput: string, helmReleasesOutput: string): SpokeStatus {
  const kustomizations = parseFluxGet(kustomizationsOutput);
  const helmReleases = parseFluxGet(helmReleasesOutput);
  const all = [...kustomizations, ...helmReleases];
  return {
    spoke: spoke.name,
    namespace: spoke.namespace,
    kindCluster: spoke.kindCluster,
    kustomizations,
    helmReleases,
    ready: kustomizations.length > 0 && all.every((row) => row.ready === "True" && !row.suspended),
  };
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .map((line) => `  ${line}\n`)
    .join("");
}

function countReady(rows: FluxGetRow[], noun: string): string {
  return `${rows.filter((row) => row.ready === "True").length}/${rows.length} ${noun} ready`;
}

/**
 * The status as one table per spoke with a summary line each, as the CLI prints it.
 *
 * @example
 * ```ts
 * process.stdout.write(formatFleetStatus(status));
 * ```
 */
export function formatFleetStatus(status: FleetStatus): string {
  return status.spokes
    .map((spoke) => {
      const heading = `${spoke.spoke} (hub namespace ${spoke.namespace}, cluster ${spoke.kindCluster}): ${spoke.ready ? "ready" : "NOT READY"}\n`;
      const rows = [
        ...spoke.kustomizations.map((row) => ["Kustomization", row]),
        ...spoke.helmReleases.map((row) => ["HelmRelease", row]),
      ] as Array<[StatusKind, FluxGetRow]>;
      const body =
        rows.length === 0
          ? "  no Kustomizations or HelmReleases found\n"
          : table([
              ["KIND", "NAME", "READY", "SUSPENDED", "REVISION", "MESSAGE"],
              ...rows.map(([kind, row]) => [
                kind,
                row.name,
                row.ready,
                row.suspended ? "True" : "False",
                row.revision,
                row.message.split("\n")[0] ?? "",
              ]),
            ]);
      const summary = `  ${countReady(spoke.kustomizations, "Kustomizations")}, ${countReady(spoke.helmReleases, "HelmReleases")}\n`;
      return heading + body + summary;
    })
    .join("\n");
}

/**
 * Options of {@link fleetStatus}.
 *
 * @example
 * ```ts
 * const options: FleetStatusOptions = { json: true };
 * ```
 */
export interface FleetStatusOptions extends CommandOptions {
  /** Print the status as JSON instead of tables (`--json`). */
  json?: boolean;
}

/**
 * What {@link fleetStatus} found; `status` is absent after a dry run.
 *
 * @example
 * ```ts
 * const { status } = await fleetStatus(topology);
 * ```
 */
export interface FleetStatusResult extends CommandResult {
  status?: FleetStatus;
}

/**
 * `fleet status`: for a running fleet, the readiness of every spoke's Kustomizations and HelmReleases, read
 * from the hub with `flux get`, printed as a table per spoke (or JSON). A dry run prints the commands.
 *
 * @example
 * ```ts
 * const { status } = await fleetStatus(topology);
 * if (!status?.ready) process.exitCode = 1;
 * ```
 */
export async function fleetStatus(topology: FleetTopology, options: FleetStatusOptions = {}): Promise<FleetStatusResult> {
  const common = resolveCommandOptions(options);
  const plan = planFleetStatus(topology);
  const prerequisites = await requireTools(["flux"], common);
  if (common.dryRun) {
    common.stdout.write(formatPlan(plan));
    return { plan, prerequisites, ran: false };
  }
  const spokes: SpokeStatus[] = [];
  for (const spoke of topology.spokes) {
    const outputs: string[] = [];
    for (const step of statusSteps(topology, spoke)) {
      const captured = await captureCommand(step.argv, { cwd: common.cwd, env: common.env });
      if (captured.exitCode !== 0) {
        throw new LifecycleError(
          `${step.description} failed: "${step.argv.join(" ")}" said ${(captured.stderr || captured.error?.message || "nothing").trim()}`,
          { cluster: topology.hub.kindCluster, cause: captured.error },
        );
      }
      outputs.push(captured.stdout);
    }
    spokes.push(spokeStatus(spoke, outputs[0] ?? "", outputs[1] ?? ""));
  }
  const status: FleetStatus = { spokes, ready: spokes.every((spoke) => spoke.ready) };
  common.stdout.write(options.json ? `${JSON.stringify(status, null, 2)}\n` : formatFleetStatus(status));
  return { plan, prerequisites, ran: true, status };
}
