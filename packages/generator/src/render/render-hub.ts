import { normalizeShards, SHARD_LABEL, SHARDED_CONTROLLERS, type Fleet, type ShardSettings } from "@flux-fleet/fleet";
import { TENANT_LABEL } from "@flux-fleet/tenants";
import { stringifyYaml } from "@flux-fleet/validate";
import type { FleetIndex } from "../fleet/fleet-index.ts";
import type { GeneratedFile } from "./generated-file.ts";
import type { RenderContext } from "../fleet/locate.ts";
import { kustomizeConfig, type PatchSelector } from "./kustomize-config.ts";

/** Files that `flux bootstrap` writes; the generator only creates them where they are missing. */
export const BOOTSTRAP_FILES = ["hub/flux-system/gotk-components.yaml", "hub/flux-system/gotk-sync.yaml"] as const;

export const BOOTSTRAP_PLACEHOLDER =
  "# Placeholder for Flux's own manifests: `flux bootstrap` (pnpm flux:bootstrap) replaces it and commits the result.\n" +
  "# pnpm flux:up installs Flux without it (it ignores hub/flux-system/). flux-fleet creates this file when missing and never rewrites it.\n";

/** The annotation the sharding guide marks shard controllers with, so the main controllers' patch skips them. */
export const SHARD_ROLE_ANNOTATION = "sharding.fluxcd.io/role";

const controllersPattern = `(${SHARDED_CONTROLLERS.join("|")})`;

/**
 * `hub/flux-system/kustomization.yaml`: the bootstrap manifests, the tenant label and the controller tuning;
 * with shards, one `hub/flux-system/<shard>/` per shard and the main controllers told to leave sharded
 * objects alone.
 */
export function renderHubFluxSystem(fleet: Fleet, index: FleetIndex, context: RenderContext): GeneratedFile[] {
  const tuning = fleet.hub.controllerArgs.map((arg) => ({ op: "add", path: "/spec/template/spec/containers/0/args/-", value: arg }));
  const shards = normalizeShards(fleet.hub.shards);
  const patches: Array<{ patch: string; target: PatchSelector }> = [];
  // kustomize also matches renamed objects by their original name: keep the main controllers' patches off
  // the shards' copies, which carry their own tuning.
  const mainOnly = shards.length > 0 ? { annotationSelector: `!${SHARD_ROLE_ANNOTATION}` } : {};
  if (tuning.length > 0)
    patches.push({
      patch: stringifyYaml(tuning),
      target: { kind: "Deployment", name: `(${fleet.hub.tunedControllers.join("|")})`, ...mainOnly },
    });
  if (shards.length > 0)
    patches.push({
      patch: stringifyYaml([
        { op: "add", path: "/spec/template/spec/containers/0/args/0", value: `--watch-label-selector=!${SHARD_LABEL}` },
      ]),
      target: { kind: "Deployment", name: controllersPattern, ...mainOnly },
    });
  return [
    {
      path: "hub/flux-system/kustomization.yaml",
      editIn: context.entry,
      documents: [
        kustomizeConfig({
          resources: [...BOOTSTRAP_FILES.map((file) => file.slice("hub/flux-system/".length)), ...shards.map((shard) => shard.name)],
          ...(index.admins ? { labels: [{ pairs: { [TENANT_LABEL]: index.admins.name } }] } : {}),
          ...(patches.length > 0 ? { patches } : {}),
        }),
      ],
    },
    ...shards.map((shard) => renderShard(fleet, shard, context)),
  ];
}

/** Controller args with the shard's `--concurrent` in place of the hub's. */
function shardArgs(fleet: Fleet, shard: ShardSettings): string[] {
  const args = fleet.hub.controllerArgs.filter((arg) => shard.concurrent === undefined || !arg.startsWith("--concurrent="));
  return shard.concurrent === undefined ? args : [`--concurrent=${shard.concurrent}`, ...args];
}

const deletePatch = (kind: string) => stringifyYaml({ apiVersion: "v1", kind, metadata: { name: "all" }, $patch: "delete" });

/**
 * One shard's controllers, as the Flux sharding guide builds them from bootstrap's manifests: everything but
 * source-, kustomize- and helm-controller is dropped, the rest renamed `<controller>-<shard>` and told to
 * watch only `sharding.fluxcd.io/key in (<shard>)`.
 */
function renderShard(fleet: Fleet, shard: ShardSettings, context: RenderContext): GeneratedFile {
  const suffixed = (controller: string) => `${controller}-${shard.name}`;
  const args = [`--watch-label-selector=${SHARD_LABEL} in (${shard.name})`, ...shardArgs(fleet, shard)];
  const patches: Array<{ patch: string; target: PatchSelector }> = [
    {
      patch: deletePatch("all"),
      target: {
        kind: "(Namespace|CustomResourceDefinition|ClusterRole|ClusterRoleBinding|ServiceAccount|NetworkPolicy|ResourceQuota)",
        labelSelector: "app.kubernetes.io/part-of=flux",
      },
    },
    { patch: deletePatch("all"), target: { labelSelector: "app.kubernetes.io/component=notification-controller" } },
    { patch: deletePatch("Deployment"), target: { kind: "Deployment", name: "(image-reflector-controller|image-automation-controller)" } },
    {
      patch: stringifyYaml([{ op: "replace", path: "/spec/selector/app", value: suffixed("source-controller") }]),
      target: { kind: "Service", name: "source-controller" },
    },
    ...SHARDED_CONTROLLERS.map((controller) => ({
      patch: stringifyYaml([
        { op: "replace", path: "/spec/selector/matchLabels/app", value: suffixed(controller) },
        { op: "replace", path: "/spec/template/metadata/labels/app", value: suffixed(controller) },
        ...(controller === "source-controller"
          ? [
              {
                op: "add",
                path: "/spec/template/spec/containers/0/args/-",
                value: `--storage-adv-addr=${suffixed("source-controller")}.$(RUNTIME_NAMESPACE).svc.cluster.local.`,
              },
            ]
          : []),
      ]),
      target: { kind: "Deployment", name: controller },
    })),
    {
      patch: stringifyYaml([
        ...args.map((value) => ({ op: "add", path: "/spec/template/spec/containers/0/args/-", value })),
        ...(shard.resources === undefined
          ? []
          : [{ op: "add", path: "/spec/template/spec/containers/0/resources", value: shard.resources }]),
      ]),
      target: { kind: "Deployment", name: controllersPattern },
    },
  ];
  return {
    path: `hub/flux-system/${shard.name}/kustomization.yaml`,
    editIn: context.entry,
    documents: [
      kustomizeConfig({
        resources: BOOTSTRAP_FILES.filter((file) => file.endsWith("gotk-components.yaml")).map(
          (file) => `../${file.slice("hub/flux-system/".length)}`,
        ),
        namespace: "flux-system",
        nameSuffix: `-${shard.name}`,
        commonAnnotations: { [SHARD_ROLE_ANNOTATION]: "shard" },
        patches,
      }),
    ],
  };
}
