import { printOrRun, requireTools, resolveCommandOptions, type CommandOptions, type CommandResult } from "./command.ts";
import { LifecycleError } from "./errors.ts";
import type { Plan, PlanStep } from "./plan.ts";
import { Redacted, redactUrl } from "./redacted.ts";
import type { Environment } from "./runner.ts";
import { kubeContext, validateTopology, type FleetTopology } from "./topology.ts";

/** Namespace and name of the GitRepository, its credentials secret and the root Kustomization on the hub. */
export const FLUX_SYSTEM = "flux-system";

/**
 * Options of {@link planFluxUp}.
 *
 * @example
 * ```ts
 * const options: FluxUpPlanOptions = { repositoryUrl: "https://github.com/acme/fleet", branch: "main" };
 * ```
 */
export interface FluxUpPlanOptions {
  /** HTTPS (or SSH, without a token) URL of the repository Flux syncs; `--repository-url` / `FLEET_REPO_URL`. */
  repositoryUrl: string;
  /** Branch to sync; `--branch` / `FLEET_REPO_BRANCH`; default `main`. */
  branch?: string;
  /** Basic-auth username sent with the token; `GITHUB_USER`; default `git` (GitHub accepts any name with a token). */
  username?: string;
  /** Token for a private repository; `GITHUB_TOKEN`. Never printed, never on a command line, never on disk. */
  token?: string | Redacted;
  /** Extra Flux controllers, e.g. `["image-reflector-controller", "image-automation-controller"]`. */
  componentsExtra?: readonly string[];
  /** GitRepository poll interval; default `1m`. */
  sourceInterval?: string;
  /** Root Kustomization interval; default `10m`. */
  kustomizationInterval?: string;
  /** Path of the hub's manifests in the repository; default `./hub`. */
  path?: string;
}

/**
 * Checks a repository URL and whether a token may be sent to it: only over HTTPS, and never with credentials in
 * the URL, which would be printed with it and put on `flux create source git --url=…`'s command line. An HTTP(S)
 * URL may carry neither user information (`https://<token>@github.com/…`, `https://user:password@…`) nor a query
 * (`?token=…`); an SSH URL may name its user (`ssh://git@…`) but not a password. Credentials belong in
 * `GITHUB_USER` / `GITHUB_TOKEN`, which reach the cluster as a Secret on `kubectl apply`'s standard input, and
 * the GitRepository refers to that Secret (`--secret-ref`), as Flux users set up basic auth. Messages show the
 * URL with `***` in place of any credential.
 *
 * @example
 * ```ts
 * validateRepositoryUrl("https://github.com/acme/fleet", true); // ok
 * validateRepositoryUrl("ssh://git@github.com/acme/fleet", true); // throws: a token needs HTTPS
 * validateRepositoryUrl("https://ghp_abc@github.com/acme/fleet", false); // throws: credentials in the URL
 * ```
 */
export function validateRepositoryUrl(repositoryUrl: string, withToken: boolean): void {
  const shown = redactUrl(repositoryUrl);
  let url: URL;
  try {
    url = new URL(repositoryUrl);
  } catch (cause) {
    throw new LifecycleError(
      `Repository URL "${shown}" is not a URL: use the HTTPS clone URL, e.g. https://github.com/<owner>/<repository>.`,
      { cause },
    );
  }
  if (url.password !== "") {
    throw new LifecycleError(
      `The repository URL carries a password: remove it from the URL and set GITHUB_TOKEN instead, so it is never printed.`,
    );
  }
  const useEnvironment =
    "remove them from the URL and set GITHUB_TOKEN (and GITHUB_USER) instead: flux up stores them in a Secret the GitRepository refers to, so they are never printed nor on a command line.";
  if (url.username !== "" && url.protocol !== "ssh:") {
    throw new LifecycleError(`The repository URL "${shown}" carries credentials before its host: ${useEnvironment}`);
  }
  if ((url.search !== "" || url.hash !== "") && url.protocol !== "ssh:") {
    throw new LifecycleError(
      `The repository URL "${shown}" carries a query or fragment, where Git hosts take tokens (?token=, ?access_token=): ${useEnvironment}`,
    );
  }
  if (!["https:", "http:", "ssh:"].includes(url.protocol)) {
    throw new LifecycleError(`Repository URL "${shown}" uses ${url.protocol}, which Flux cannot clone: use an https:// URL.`);
  }
  if (withToken && url.protocol !== "https:") {
    throw new LifecycleError(
      `Repository URL "${shown}" is not HTTPS, so the token would not be used (or would travel unencrypted): use the https:// clone URL.`,
    );
  }
}

function base64(value: string): string {
  return Buffer.from(value, "utf8").toString("base64");
}

/**
 * The flux-up plan, as the seed's `flux-up` script does it but without ever putting the token on a command
 * line: `flux install` on the hub; when there is a token, the `flux-system/flux-system` basic-auth Secret
 * applied through `kubectl apply -f -` from stdin; the `flux-system` GitRepository (ignoring `hub/flux-system/`,
 * where `flux bootstrap` keeps its own manifests); and the `flux-system` Kustomization for `./hub` with prune.
 *
 * @example
 * ```ts
 * planFluxUp(topology, { repositoryUrl: "https://github.com/acme/fleet", token: process.env.GITHUB_TOKEN });
 * ```
 */
export function planFluxUp(topology: FleetTopology, options: FluxUpPlanOptions): Plan {
  validateTopology(topology);
  const token = typeof options.token === "string" ? new Redacted(options.token) : options.token;
  const withToken = token !== undefined && token.reveal() !== "";
  validateRepositoryUrl(options.repositoryUrl, withToken);
  const context = kubeContext(topology.hub.kindCluster);
  const branch = options.branch ?? "main";
  const steps: PlanStep[] = [
    {
      description: `Install Flux on ${context}`,
      argv: [
        "flux",
        "install",
        "--context",
        context,
        ...(options.componentsExtra?.length ? [`--components-extra=${options.componentsExtra.join(",")}`] : []),
      ],
    },
  ];
  if (withToken) {
    steps.push({
      description: `Store the Git credentials as secret ${FLUX_SYSTEM}/${FLUX_SYSTEM} in ${context} (token from stdin)`,
      argv: ["kubectl", "--context", context, "apply", "--server-side", "--force-conflicts", "--field-manager=flux-fleet", "-f", "-"],
      stdin: {
        kind: "json",
        value: {
          apiVersion: "v1",
          kind: "Secret",
          metadata: { name: FLUX_SYSTEM, namespace: FLUX_SYSTEM },
          type: "Opaque",
          data: { username: base64(options.username ?? "git"), password: new Redacted(base64(token.reveal())) },
        },
      },
    });
  }
  steps.push(
    {
      description: `Create GitRepository ${FLUX_SYSTEM}/${FLUX_SYSTEM} for ${redactUrl(options.repositoryUrl)} (${branch})`,
      argv: [
        "flux",
        "create",
        "source",
        "git",
        FLUX_SYSTEM,
        "--context",
        context,
        "--namespace",
        FLUX_SYSTEM,
        `--url=${options.repositoryUrl}`,
        `--branch=${branch}`,
        "--ignore-paths=hub/flux-system/",
        `--interval=${options.sourceInterval ?? "1m"}`,
        ...(withToken ? [`--secret-ref=${FLUX_SYSTEM}`] : []),
      ],
    },
    {
      description: `Create Kustomization ${FLUX_SYSTEM}/${FLUX_SYSTEM} for ${options.path ?? "./hub"}`,
      argv: [
        "flux",
        "create",
        "kustomization",
        FLUX_SYSTEM,
        "--context",
        context,
        "--namespace",
        FLUX_SYSTEM,
        `--source=GitRepository/${FLUX_SYSTEM}`,
        `--path=${options.path ?? "./hub"}`,
        "--prune=true",
        `--interval=${options.kustomizationInterval ?? "10m"}`,
      ],
    },
  );
  return { title: "flux up", steps };
}

/**
 * Options of {@link fluxUp}: the plan's, each optional because it falls back to the environment
 * (`FLEET_REPO_URL`, `FLEET_REPO_BRANCH`, `GITHUB_USER`, `GITHUB_TOKEN`). The CLI should take the token from
 * the environment only (no `--token` flag, which would land in shell history and the process list).
 *
 * @example
 * ```ts
 * const options: FluxUpOptions = { dryRun: true, repositoryUrl: "https://github.com/acme/fleet" };
 * ```
 */
export interface FluxUpOptions extends CommandOptions, Partial<FluxUpPlanOptions> {}

/**
 * The repository settings of {@link fluxUp}: explicit options first, then the environment.
 *
 * @example
 * ```ts
 * resolveRepositoryOptions({}, { FLEET_REPO_URL: "https://github.com/acme/fleet" }).branch; // "main"
 * ```
 */
export function resolveRepositoryOptions(options: Partial<FluxUpPlanOptions>, env: Environment): FluxUpPlanOptions {
  const repositoryUrl = options.repositoryUrl ?? env["FLEET_REPO_URL"];
  if (repositoryUrl === undefined || repositoryUrl === "") {
    throw new LifecycleError(
      "No repository URL: pass --repository-url or set FLEET_REPO_URL, e.g. FLEET_REPO_URL=https://github.com/<owner>/<repository>.",
    );
  }
  const token = options.token ?? env["GITHUB_TOKEN"];
  const resolved: FluxUpPlanOptions = {
    ...options,
    repositoryUrl,
    branch: options.branch ?? (env["FLEET_REPO_BRANCH"] || "main"),
    username: options.username ?? (env["GITHUB_USER"] || "git"),
  };
  if (token !== undefined && token !== "") resolved.token = typeof token === "string" ? new Redacted(token) : token;
  else delete resolved.token;
  return resolved;
}

/**
 * `flux up`: checks kubectl and flux, then installs Flux on the hub and points it at the repository's `./hub`.
 * A public repository needs no token; for a private one set `GITHUB_TOKEN`, which reaches the cluster through
 * `kubectl apply -f -` on stdin and shows as `***` in a dry run.
 *
 * @example
 * ```ts
 * await fluxUp(topology, { dryRun: true, repositoryUrl: "https://github.com/acme/fleet", branch: "main" });
 * ```
 */
export async function fluxUp(topology: FleetTopology, options: FluxUpOptions = {}): Promise<CommandResult> {
  const common = resolveCommandOptions(options);
  const plan = planFluxUp(topology, resolveRepositoryOptions(options, common.env));
  const prerequisites = await requireTools(["kubectl", "flux"], common);
  return printOrRun(plan, prerequisites, common);
}

/**
 * Options of the `flux bootstrap github` route.
 *
 * @example
 * ```ts
 * const options: BootstrapGithubOptions = { owner: "acme", repository: "fleet" };
 * ```
 */
export interface BootstrapGithubOptions {
  /** GitHub user or organisation; `GITHUB_USER`. */
  owner: string;
  /** Repository name; `GITHUB_REPO`. */
  repository: string;
  /** Default `main`. */
  branch?: string;
  /** The repository belongs to a user, not an organisation (`--personal`); default `true`. */
  personal?: boolean;
  /** Path of the hub's manifests; default `hub`. */
  path?: string;
}

/**
 * The `flux bootstrap github` command for the hub, the alternative to {@link fluxUp}: Flux commits its own
 * manifests to `hub/flux-system/` and registers a read-only deploy key. It reads `GITHUB_TOKEN` from its
 * environment, so the token is not an argument.
 *
 * @example
 * ```ts
 * bootstrapGithubArgv(topology, { owner: "acme", repository: "fleet" }).join(" ");
 * // "flux bootstrap github --context=kind-flux-hub --owner=acme --repository=fleet --branch=main --personal --path=hub"
 * ```
 */
export function bootstrapGithubArgv(topology: FleetTopology, options: BootstrapGithubOptions): string[] {
  validateTopology(topology);
  return [
    "flux",
    "bootstrap",
    "github",
    `--context=${kubeContext(topology.hub.kindCluster)}`,
    `--owner=${options.owner}`,
    `--repository=${options.repository}`,
    `--branch=${options.branch ?? "main"}`,
    ...((options.personal ?? true) ? ["--personal"] : []),
    `--path=${options.path ?? "hub"}`,
  ];
}

/**
 * Options of {@link fluxBootstrap}; `owner` and `repository` fall back to `GITHUB_USER` and `GITHUB_REPO`.
 *
 * @example
 * ```ts
 * const options: FluxBootstrapOptions = { dryRun: true, owner: "acme", repository: "fleet" };
 * ```
 */
export interface FluxBootstrapOptions extends CommandOptions, Partial<BootstrapGithubOptions> {}

/**
 * `flux bootstrap`: the one-step GitHub route instead of {@link fluxUp}. The token stays in the environment
 * (the dry run prints `GITHUB_TOKEN=***`).
 *
 * @example
 * ```ts
 * await fluxBootstrap(topology, { dryRun: true, owner: "acme", repository: "fleet" });
 * ```
 */
export async function fluxBootstrap(topology: FleetTopology, options: FluxBootstrapOptions = {}): Promise<CommandResult> {
  const common = resolveCommandOptions(options);
  const owner = options.owner ?? common.env["GITHUB_USER"];
  const repository = options.repository ?? common.env["GITHUB_REPO"];
  if (!owner || !repository) {
    throw new LifecycleError(
      "flux bootstrap github needs the GitHub owner and repository: set GITHUB_USER and GITHUB_REPO, or pass --owner and --repository.",
    );
  }
  const token = common.env["GITHUB_TOKEN"];
  const step: PlanStep = {
    description: `Bootstrap Flux on ${kubeContext(topology.hub.kindCluster)} from github.com/${owner}/${repository}`,
    argv: bootstrapGithubArgv(topology, { ...options, owner, repository }),
  };
  if (token) step.env = { GITHUB_TOKEN: new Redacted(token) };
  const plan: Plan = { title: "flux bootstrap", steps: [step] };
  const prerequisites = await requireTools(["kubectl", "flux"], common);
  return printOrRun(plan, prerequisites, common);
}
