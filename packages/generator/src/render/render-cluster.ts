import { createConfigMap, createFluxKustomization, createNamespace, type KustomizationSpec } from "@flux-fleet/models";
import {
  componentFile,
  LAYER_NAMES,
  LAYERS,
  isWorkloadIdentity,
  renderOverridePatches,
  SHARD_LABEL,
  spokeKubeConfig,
  workloadIdentityData,
  type Cluster,
  type Component,
  type ComponentLayerName,
  type Fleet,
  type HelmOverrides,
  type LayerName,
  type ManifestsOverrides,
} from "@flux-fleet/fleet";
import { type Issue, stringifyYaml, matchesTarget } from "@flux-fleet/validate";
import type { FleetIndex } from "../fleet/fleet-index.ts";
import type { GeneratedFile } from "./generated-file.ts";
import { locate, type RenderContext } from "../fleet/locate.ts";
import { kustomizeConfig, type KustomizeConfig } from "./kustomize-config.ts";
import { validated } from "./validated.ts";
import { renderNotifications } from "./render-notifications.ts";
import { withPatch, type BaseObjects, type Builds } from "./builds.ts";

/**
 * A spoke's files: its four overlays in `clusters/<name>/` and its Flux objects in `hub/<name>.yaml`. What each
 * overlay builds to (the base objects it takes, with its patches applied) goes into `builds`.
 */
export function renderCluster(
  fleet: Fleet,
  index: FleetIndex,
  cluster: Cluster,
  context: RenderContext,
  output: { issues: Issue[]; builds: Builds; bases: BaseObjects },
): GeneratedFile[] {
  const { issues, builds } = output;
  const editIn = locate(context, cluster.definedAt).file;
  const files: GeneratedFile[] = [];
  const profileComponents = new Set<Component>(cluster.profile.components);
  const overrides = cluster.overrides as Record<string, HelmOverrides | ManifestsOverrides | undefined>;

  for (const layer of LAYER_NAMES) {
    const dir = `clusters/${cluster.name}/${layer}`;
    const base = `../../../deploy/${layer}`;
    const config: KustomizeConfig = { resources: [base] };
    let built = builds.get(`deploy/${layer}`) ?? [];
    if (layer !== "tenants") {
      const baseComponents = index.componentsByLayer.get(layer) ?? [];
      const own = baseComponents.filter((component) => profileComponents.has(component));
      // A cluster whose profile runs only some of the layer's components takes them file by file.
      if (own.length !== baseComponents.length) {
        config.resources = own.map((component) => `${base}/${componentFile(component)}`);
        built = own.flatMap((component) => output.bases.get(component) ?? []);
      }
      const patches: NonNullable<KustomizeConfig["patches"]> = [];
      for (const component of own) {
        const componentOverrides = overrides[component.name];
        if (!componentOverrides) continue;
        for (const patch of renderOverridePatches(component, componentOverrides)) {
          files.push({ path: `${dir}/${patch.file}`, documents: [patch.document], editIn });
          patches.push({ path: patch.file, target: patch.target });
          built = built.map((object) => (matchesTarget(object, patch.target) ? withPatch(object, patch.document) : object));
        }
      }
      if (patches.length > 0) config.patches = patches;
    }
    files.push({ path: `${dir}/kustomization.yaml`, documents: [kustomizeConfig(config)], editIn });
    builds.set(dir, built);
  }

  const hubPath = `hub/${cluster.name}.yaml`;
  const where = { ...locate(context, cluster.definedAt), generated: hubPath, cluster: cluster.name };
  const documents = [validated(createNamespace({ name: cluster.name }), where, issues)];
  // Workload identity: the ConfigMap the spoke's kubeConfig.configMapRef names holds no secret, so gen writes it.
  if (isWorkloadIdentity(cluster.access)) {
    const { configMapRef } = spokeKubeConfig(cluster.access) as { configMapRef: { name: string } };
    const configMap = createConfigMap({ name: configMapRef.name, namespace: cluster.name, data: workloadIdentityData(cluster.access) });
    documents.push(validated(configMap, where, issues));
  }
  const shard = index.shards.get(cluster.name);
  for (const layer of LAYER_NAMES) {
    const kustomization = createFluxKustomization({
      name: layer,
      namespace: cluster.name,
      ...(shard === undefined ? {} : { labels: { [SHARD_LABEL]: shard } }),
      spec: layerSpec(fleet, index, cluster, layer),
    });
    documents.push(validated(kustomization, where, issues));
  }
  for (const model of renderNotifications(fleet, cluster)) documents.push(validated(model, where, issues));
  files.push({ path: hubPath, documents, editIn });
  return files;
}

function layerSpec(fleet: Fleet, index: FleetIndex, cluster: Cluster, layerName: LayerName): KustomizationSpec {
  const layer = LAYERS[layerName];
  const { interval, retryInterval, timeout } = cluster.profile.reconcile;
  const kubeConfig = spokeKubeConfig(cluster.access);
  const spec: KustomizationSpec = {
    ...("dependsOn" in layer ? { dependsOn: [{ name: layer.dependsOn }] } : {}),
    ...(layer.targetNamespace ? { targetNamespace: cluster.name } : {}),
    interval,
    retryInterval,
    timeout,
    prune: true,
    wait: true,
    path: `./clusters/${cluster.name}/${layerName}`,
    sourceRef: { ...fleet.hub.sourceRef },
  };
  const shard = index.shards.get(cluster.name);
  if (layer.delivery === "spoke") spec.kubeConfig = kubeConfig;
  else {
    // What this layer creates on the hub (HelmReleases, their sources, and through chart.metadata the
    // HelmCharts) belongs to the spoke's shard, as the sharding guide's bulk assignment does.
    if (shard !== undefined) spec.commonMetadata = { labels: { [SHARD_LABEL]: shard } };
    const patches = identityPatches(index, cluster, layerName as ComponentLayerName, kubeConfig, shard);
    if (patches.length > 0) spec.patches = patches;
  }
  if (layer.substituteClusterName) spec.postBuild = { substitute: { CLUSTER_NAME: cluster.name } };
  return spec;
}

/**
 * The patches that send a hub-helm layer's HelmReleases to the spoke: the spoke's kubeConfig and the
 * identity of the tenant that owns each release's namespace. One patch for all releases when they share
 * an identity (the seed), else one per identity, targeting its releases by name.
 */
function identityPatches(
  index: FleetIndex,
  cluster: Cluster,
  layer: ComponentLayerName,
  kubeConfig: KubeConfig,
  shard: string | undefined,
): NonNullable<KustomizationSpec["patches"]> {
  const releasesByIdentity = new Map<string, string[]>();
  for (const component of cluster.profile.components) {
    if (component.layer !== layer || component.type !== "helm") continue;
    const identity = index.namespaceOwners.get(component.namespace)?.serviceAccountName;
    if (identity === undefined) continue;
    releasesByIdentity.set(identity, [...(releasesByIdentity.get(identity) ?? []), component.name]);
  }
  if (releasesByIdentity.size === 0) {
    const fallback =
      LAYERS[layer].identity === "cluster-admins"
        ? index.admins
        : [...index.namespaceOwners.values()].find((t) => t.kind === "app-operators");
    if (fallback) releasesByIdentity.set(fallback.serviceAccountName, []);
  }
  const single = releasesByIdentity.size === 1;
  return [...releasesByIdentity].map(([serviceAccountName, releases]) => ({
    target: single ? { kind: "HelmRelease" } : { kind: "HelmRelease", name: `(${releases.join("|")})` },
    patch: identityPatch(kubeConfig, serviceAccountName, shard),
  }));
}

// Every spoke shares the same few patches: serialise each once.
const identityPatchText = new Map<string, string>();

type KubeConfig = ReturnType<typeof spokeKubeConfig>;

function identityPatch(kubeConfig: KubeConfig, serviceAccountName: string, shard: string | undefined): string {
  const key = `${JSON.stringify(kubeConfig)}\0${serviceAccountName}\0${shard ?? ""}`;
  let text = identityPatchText.get(key);
  if (text === undefined) {
    text = stringifyYaml([
      { op: "add", path: "/spec/kubeConfig", value: kubeConfig },
      { op: "add", path: "/spec/serviceAccountName", value: serviceAccountName },
      // The HelmChart helm-controller creates from chart.spec carries chart.metadata's labels.
      ...(shard === undefined ? [] : [{ op: "add", path: "/spec/chart/metadata", value: { labels: { [SHARD_LABEL]: shard } } }]),
    ]);
    identityPatchText.set(key, text);
  }
  return text;
}
