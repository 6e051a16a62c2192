import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { printOrRun, requireTools, resolveCommandOptions, type CommandOptions, type CommandResult } from "./command.ts";
import { LifecycleError } from "./errors.ts";
import type { Plan, PlanStep } from "./plan.ts";
import { captureCommand } from "./runner.ts";
import { fleetClusters, kubeContext, validateTopology, type FleetSpoke, type FleetTopology } from "./topology.ts";

/**
 * The Kubernetes version of the kind nodes unless `--kubernetes-version` or `FLEET_KUBERNETES_VERSION` says
 * otherwise. The seed pinned v1.29.2 (kind v0.22's default); v1.36.4 is among the images kind v0.33.0 was
 * released with, one minor behind that release's default, so current kind releases run it.
 */
export const DEFAULT_KUBERNETES_VERSION = "v1.36.4";

/** Folder (relative to the repository root) for local state such as spoke kubeconfigs; git-ignored. */
export const DEFAULT_STATE_DIR = ".fleet";

/** How long `kind create cluster` waits for the control plane, as in the seed. */
export const DEFAULT_KIND_WAIT = "5m";

const KUBERNETES_VERSION = /^v?(\d+)\.(\d+)\.(\d+)$/;

/**
 * The kind node image for a Kubernetes version given as `1.36.4` or `v1.36.4`.
 *
 * @example
 * ```ts
 * kindNodeImage("1.35.8"); // "kindest/node:v1.35.8"
 * ```
 */
export function kindNodeImage(kubernetesVersion: string): string {
  const match = KUBERNETES_VERSION.exec(kubernetesVersion.trim());
  if (match === null) {
    throw new LifecycleError(
      `Kubernetes version "${kubernetesVersion}" is not a version kind publishes node images for: use MAJOR.MINOR.PATCH, e.g. --kubernetes-version ${DEFAULT_KUBERNETES_VERSION}.`,
    );
  }
  return `kindest/node:v${match[1]}.${match[2]}.${match[3]}`;
}

/**
 * Where a spoke's kubeconfig (the `--internal` one, reachable from inside the hub's Docker network) is
 * written: `<stateDir>/kubeconfigs/<spoke>.yaml`, mode 0600, never committed.
 *
 * @example
 * ```ts
 * kubeconfigPath({ name: "staging", kindCluster: "flux-staging", namespace: "staging", kubeconfigSecret: "cluster-kubeconfig" });
 * // ".fleet/kubeconfigs/staging.yaml"
 * ```
 */
export function kubeconfigPath(spoke: FleetSpoke, stateDir: string = DEFAULT_STATE_DIR): string {
  return `${stateDir}/kubeconfigs/${spoke.name}.yaml`;
}

/**
 * The cluster names in `kind get clusters` output (one per line; kind says "No kind clusters found." on
 * stderr when there are none, but that line is ignored here too).
 *
 * @example
 * ```ts
 * parseKindClusters("flux-hub\nflux-staging\n"); // ["flux-hub", "flux-staging"]
 * ```
 */
export function parseKindClusters(output: string): string[] {
  return output
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("No kind clusters found"));
}

/**
 * Options of {@link planFleetUp}.
 *
 * @example
 * ```ts
 * const options: FleetUpPlanOptions = { kubernetesVersion: "v1.35.8", existingClusters: ["flux-hub"] };
 * ```
 */
export interface FleetUpPlanOptions {
  /** Kubernetes version of the kind nodes (`--kubernetes-version`); default {@link DEFAULT_KUBERNETES_VERSION}. */
  kubernetesVersion?: string;
  /** A full node image, e.g. with a digest (`kindest/node:v1.36.4@sha256:…`); wins over `kubernetesVersion`. */
  nodeImage?: string;
  /** Kind clusters that already exist; their creation is skipped. */
  existingClusters?: readonly string[];
  /** Local state folder; default {@link DEFAULT_STATE_DIR}. */
  stateDir?: string;
  /** `kind create cluster --wait`; default {@link DEFAULT_KIND_WAIT}. */
  wait?: string;
}

function applyFromStdin(context: string): string[] {
  // Server-side apply keeps the kubeconfig out of the last-applied-configuration annotation that client-side
  // apply would copy it into; --force-conflicts lets a rerun take over a secret created by the seed's scripts.
  return ["kubectl", "--context", context, "apply", "--server-side", "--force-conflicts", "--field-manager=flux-fleet", "-f", "-"];
}

/**
 * The fleet-up plan: `kind create cluster` for the hub and every spoke that does not exist yet, then for each
 * spoke its internal kubeconfig written under `.fleet/kubeconfigs/`, its hub namespace, and the kubeconfig
 * secret (key `value`) applied idempotently in the hub context. Pure: it runs nothing.
 *
 * @example
 * ```ts
 * planFleetUp(createFleetTopology({ spokes: ["staging"] })).steps[0]?.argv;
 * // ["kind", "create", "cluster", "--name", "flux-hub", "--image", "kindest/node:v1.36.4", "--wait", "5m"]
 * ```
 */
export function planFleetUp(topology: FleetTopology, options: FleetUpPlanOptions = {}): Plan {
  validateTopology(topology);
  const image = options.nodeImage ?? kindNodeImage(options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION);
  const existing = new Set(options.existingClusters ?? []);
  const stateDir = options.stateDir ?? DEFAULT_STATE_DIR;
  const hubContext = kubeContext(topology.hub.kindCluster);
  const steps: PlanStep[] = [];
  for (const cluster of fleetClusters(topology)) {
    if (existing.has(cluster)) continue;
    steps.push({
      description: `Create kind cluster ${cluster}`,
      argv: ["kind", "create", "cluster", "--name", cluster, "--image", image, "--wait", options.wait ?? DEFAULT_KIND_WAIT],
    });
  }
  for (const spoke of topology.spokes) {
    const file = kubeconfigPath(spoke, stateDir);
    steps.push(
      {
        description: `Write the internal kubeconfig of ${spoke.kindCluster} to ${file}`,
        argv: ["kind", "get", "kubeconfig", "--internal", "--name", spoke.kindCluster],
        stdout: { kind: "file", path: file, mode: 0o600 },
      },
      {
        description: `Create namespace ${spoke.namespace} in ${hubContext}`,
        argv: ["kubectl", "--context", hubContext, "create", "namespace", spoke.namespace, "--dry-run=client", "-o", "yaml"],
        pipeTo: applyFromStdin(hubContext),
      },
      {
        description: `Store the kubeconfig of ${spoke.kindCluster} as secret ${spoke.namespace}/${spoke.kubeconfigSecret} in ${hubContext}`,
        argv: [
          "kubectl",
          "--context",
          hubContext,
          "create",
          "secret",
          "generic",
          spoke.kubeconfigSecret,
          "--namespace",
          spoke.namespace,
          `--from-file=value=${file}`,
          "--dry-run=client",
          "-o",
          "yaml",
        ],
        pipeTo: applyFromStdin(hubContext),
      },
    );
  }
  return { title: "fleet up", steps };
}

/**
 * Options of {@link fleetUp}: the common ones plus the plan's. `kubernetesVersion` falls back to
 * `FLEET_KUBERNETES_VERSION` in `env`.
 *
 * @example
 * ```ts
 * const options: FleetUpOptions = { dryRun: true, kubernetesVersion: "1.35.8" };
 * ```
 */
export interface FleetUpOptions extends CommandOptions, FleetUpPlanOptions {}

/**
 * What {@link fleetUp} did, plus the clusters it found already running and left alone.
 *
 * @example
 * ```ts
 * const { skipped } = await fleetUp(topology);
 * ```
 */
export interface FleetUpResult extends CommandResult {
  skipped: string[];
}

function ensureStateDir(cwd: string, stateDir: string): void {
  const dir = resolve(cwd, stateDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Belt and braces next to the root .gitignore: the folder holds cluster credentials.
  const ignore = join(dir, ".gitignore");
  if (!existsSync(ignore)) writeFileSync(ignore, "# Local cluster credentials written by flux-fleet; never commit them.\n*\n");
}

/**
 * `fleet up`: checks docker, kind and kubectl, asks kind which clusters exist (a dry run assumes none unless
 * `existingClusters` is given), then creates the missing ones and (re)writes every spoke's kubeconfig secret
 * in the hub. Rerunning after a failure finishes the job.
 *
 * @example
 * ```ts
 * await fleetUp(topology, { dryRun: true, kubernetesVersion: "v1.35.8" }); // prints the commands
 * ```
 */
export async function fleetUp(topology: FleetTopology, options: FleetUpOptions = {}): Promise<FleetUpResult> {
  const common = resolveCommandOptions(options);
  validateTopology(topology);
  const prerequisites = await requireTools(["docker", "kind", "kubectl"], common);
  let existing = options.existingClusters;
  if (existing === undefined && !common.dryRun) {
    const listed = await captureCommand(["kind", "get", "clusters"], { cwd: common.cwd, env: common.env });
    if (listed.exitCode !== 0) {
      throw new LifecycleError(`"kind get clusters" failed: ${(listed.stderr || listed.error?.message || "").trim()}`, {
        cause: listed.error,
      });
    }
    existing = parseKindClusters(listed.stdout);
  }
  const kubernetesVersion = options.kubernetesVersion ?? common.env["FLEET_KUBERNETES_VERSION"] ?? DEFAULT_KUBERNETES_VERSION;
  const planOptions: FleetUpPlanOptions = { ...options, kubernetesVersion, existingClusters: existing ?? [] };
  const plan = planFleetUp(topology, planOptions);
  const skipped = fleetClusters(topology).filter((cluster) => existing?.includes(cluster));
  for (const cluster of skipped) common.stderr.write(`kind cluster ${cluster} already exists: not creating it\n`);
  if (!common.dryRun) ensureStateDir(common.cwd, options.stateDir ?? DEFAULT_STATE_DIR);
  return { ...(await printOrRun(plan, prerequisites, common)), skipped };
}
