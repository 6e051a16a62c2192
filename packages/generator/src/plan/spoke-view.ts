import {
  collectSpokes,
  isFluxKustomization,
  layerDir,
  type HubDocument,
  type FluxKustomizationSpec,
  isKubeDocument,
  type KubeDocument,
  readKustomizationInputs,
  type ParseCache,
  buildKustomizations,
  type BuildOutcome,
  readRepositoryTree,
  LAYER_ORDER,
  type Spoke,
  type SpokeLayer,
  UsageError,
} from "@flux-fleet/validate";

/** Who a layer acts as: the spoke access it uses and the ServiceAccount it (or its HelmReleases) runs as. */
export interface LayerIdentity {
  /** The kubeconfig Secret, for a layer or releases that reach the spoke through one. */
  secretRef?: string;
  /** The workload-identity ConfigMap, for a layer or releases that reach the spoke through one. */
  configMapRef?: string;
  serviceAccountName?: string;
}

/** What a HelmRelease installs. */
export interface ReleaseChart {
  chart: string;
  /** The source, as `Kind/namespace/name`. */
  source: string;
  /** The version or range; absent when the chart's source decides it. */
  version?: string;
  /** The namespace it installs into. */
  targetNamespace: string;
}

export interface PlannedObject {
  kind: string;
  namespace?: string;
  name: string;
  helm?: ReleaseChart;
}

export interface PlannedLayer {
  name: string;
  appliesTo: "hub" | "spoke";
  identity: LayerIdentity;
  dependsOn: string[];
  /** The directory it builds, relative to the root. */
  path: string;
  objects: PlannedObject[];
  /** Why it has no objects: its build failed. */
  error?: string;
}

export interface PlannedSpoke {
  name: string;
  layers: PlannedLayer[];
}

/** The plan, with each layer's applied objects kept for diffing (left out of `--json`). */
export interface FleetView {
  spokes: PlannedSpoke[];
  /**
   * Applied objects by spoke, then layer, then `Kind/namespace/name`; the objects the hub files hold for the spoke
   * (its Namespace, its Kustomizations, alerts) are under {@link HUB_LAYER}.
   */
  applied: Map<string, Map<string, Map<string, KubeDocument>>>;
}

/** The layer name diff gives the spoke's objects in the hub files, which the hub's own Kustomization applies. */
export const HUB_LAYER = "hub";

export interface ReadFleetViewOptions {
  /** Folder of kustomize build results (validate's), or none to build every directory. */
  cacheDir?: string | undefined;
  /** An empty tree is an empty fleet (a base revision before the first gen) instead of an error. */
  allowEmpty?: boolean;
  /**
   * What two views read at once (diff's base and working tree) share: files parsed and layers built once per
   * content, since most of both trees is the same.
   */
  shared?: SharedReads;
}

/** Parsed files and build outcomes by content, for {@link ReadFleetViewOptions.shared}. */
export interface SharedReads {
  parsed: ParseCache;
  builds: Map<string, Promise<BuildOutcome>>;
}

/** An empty {@link SharedReads}, for the views of one diff. */
export function createSharedReads(): SharedReads {
  return { parsed: new Map(), builds: new Map() };
}

/** `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects. */
export function objectKey(object: { kind: string; namespace?: string | undefined; name: string }): string {
  return `${object.kind}/${object.namespace ? `${object.namespace}/` : ""}${object.name}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The layers in reconcile order: each after what it depends on, ties in the seed's layer order, then by name. */
function reconcileOrder(layers: readonly SpokeLayer[]): SpokeLayer[] {
  const rank = (layer: SpokeLayer) => {
    const index = (LAYER_ORDER as readonly string[]).indexOf(layer.kustomization.doc.metadata.name);
    return index === -1 ? LAYER_ORDER.length : index;
  };
  const pending = [...layers].sort(
    (a, b) => rank(a) - rank(b) || compare(a.kustomization.doc.metadata.name, b.kustomization.doc.metadata.name),
  );
  const names = new Set(pending.map((layer) => layer.kustomization.doc.metadata.name));
  const done = new Set<string>();
  const ordered: SpokeLayer[] = [];
  while (pending.length > 0) {
    // A cycle (validate reports it) or a dependency elsewhere leaves layers that are never ready: take the first.
    const index = Math.max(
      0,
      pending.findIndex((layer) => dependsOn(layer.kustomization.spec).every((name) => done.has(name) || !names.has(name))),
    );
    const [next] = pending.splice(index, 1);
    ordered.push(next!);
    done.add(next!.kustomization.doc.metadata.name);
  }
  return ordered;
}

function dependsOn(spec: FluxKustomizationSpec): string[] {
  return (spec.dependsOn ?? []).flatMap((dependency) =>
    dependency.name === undefined ? [] : [dependency.namespace ? `${dependency.namespace}/${dependency.name}` : dependency.name],
  );
}

function accessOf(value: unknown): Pick<LayerIdentity, "secretRef" | "configMapRef"> {
  const kubeConfig = (value ?? {}) as FluxKustomizationSpec["kubeConfig"];
  return {
    ...(kubeConfig?.secretRef?.name ? { secretRef: kubeConfig.secretRef.name } : {}),
    ...(kubeConfig?.configMapRef?.name ? { configMapRef: kubeConfig.configMapRef.name } : {}),
  };
}

/**
 * A layer's identity: its own `kubeConfig` and `serviceAccountName`; a layer applied on the hub acts through its
 * HelmReleases, so theirs (as its patches set them) when they all agree.
 */
function identityOf(layer: SpokeLayer): LayerIdentity {
  const spec = layer.kustomization.spec;
  const own: LayerIdentity = {
    ...accessOf(spec.kubeConfig),
    ...(spec.serviceAccountName ? { serviceAccountName: spec.serviceAccountName } : {}),
  };
  if (layer.appliesTo === "spoke") return own;
  const releases = (layer.applied?.objects ?? []).filter((doc) => doc.kind === "HelmRelease");
  const identities = new Set(
    releases.map((doc) => {
      const release = (doc["spec"] ?? {}) as { kubeConfig?: unknown; serviceAccountName?: string };
      return JSON.stringify({
        ...accessOf(release.kubeConfig),
        ...(release.serviceAccountName ? { serviceAccountName: release.serviceAccountName } : {}),
      });
    }),
  );
  return identities.size === 1 ? { ...own, ...(JSON.parse([...identities][0]!) as LayerIdentity) } : own;
}

function releaseChart(doc: KubeDocument): ReleaseChart | undefined {
  const spec = (doc["spec"] ?? {}) as {
    chart?: { spec?: { chart?: string; version?: string; sourceRef?: { kind?: string; name?: string; namespace?: string } } };
    chartRef?: { kind?: string; name?: string; namespace?: string };
    targetNamespace?: string;
  };
  const namespace = doc.metadata.namespace ?? "default";
  const targetNamespace = spec.targetNamespace ?? namespace;
  const template = spec.chart?.spec;
  if (template) {
    const source = template.sourceRef ?? {};
    return {
      chart: template.chart ?? "",
      source: `${source.kind ?? "?"}/${source.namespace ?? namespace}/${source.name ?? "?"}`,
      ...(template.version !== undefined ? { version: template.version } : {}),
      targetNamespace,
    };
  }
  if (spec.chartRef)
    return {
      chart: spec.chartRef.name ?? "",
      source: `${spec.chartRef.kind ?? "?"}/${spec.chartRef.namespace ?? namespace}/${spec.chartRef.name ?? "?"}`,
      targetNamespace,
    };
  return undefined;
}

function plannedObject(doc: KubeDocument): PlannedObject {
  const helm = doc.kind === "HelmRelease" ? releaseChart(doc) : undefined;
  return {
    kind: doc.kind,
    ...(doc.metadata.namespace ? { namespace: doc.metadata.namespace } : {}),
    name: doc.metadata.name,
    ...(helm ? { helm } : {}),
  };
}

/**
 * The plan of a set of spokes (from {@link collectSpokes}): each spoke's layers in reconcile order with where they
 * apply, their identity, dependsOn and objects, sorted so that the output is deterministic.
 *
 * @example
 * ```ts
 * const { spokes } = planSpokes(collectSpokes(hubDocuments, outcomes, { final: true }).values());
 * ```
 */
export function planSpokes(spokes: Iterable<Spoke>, hubDocuments: readonly HubDocument[] = []): FleetView {
  const applied: FleetView["applied"] = new Map();
  const planned = [...spokes]
    .sort((a, b) => compare(a.name, b.name))
    .map((spoke): PlannedSpoke => {
      const layers = new Map<string, Map<string, KubeDocument>>();
      applied.set(spoke.name, layers);
      const own = hubDocuments
        .map(({ doc }) => doc)
        .filter(isKubeDocument)
        .filter((doc) => doc.metadata.namespace === spoke.name || (doc.kind === "Namespace" && doc.metadata.name === spoke.name))
        .map((doc) => [objectKey(plannedObject(doc)), doc] as const)
        .sort(([a], [b]) => compare(a, b));
      layers.set(HUB_LAYER, new Map(own));
      return {
        name: spoke.name,
        layers: reconcileOrder(spoke.layers).map((layer): PlannedLayer => {
          const name = layer.kustomization.doc.metadata.name;
          const docs = [...(layer.applied?.objects ?? [])]
            .map((doc) => [objectKey(plannedObject(doc)), doc] as const)
            .sort(([a], [b]) => compare(a, b));
          layers.set(name, new Map(docs));
          return {
            name,
            appliesTo: layer.appliesTo,
            identity: identityOf(layer),
            dependsOn: dependsOn(layer.kustomization.spec),
            path: layer.dir,
            objects: docs.map(([, doc]) => plannedObject(doc)),
            ...(layer.buildError ? { error: layer.buildError } : {}),
          };
        }),
      };
    });
  return { spokes: planned, applied };
}

/**
 * Reads the committed files under `root` and builds each spoke's layers with real kustomize (as validate does,
 * sharing its cache), then plans them: what Flux applies where, offline.
 *
 * @example
 * ```ts
 * const view = await readFleetView(root, { cacheDir: ".fleet/cache/kustomize" });
 * ```
 */
export async function readFleetView(root: string, options: ReadFleetViewOptions = {}): Promise<FleetView> {
  const tree = await readRepositoryTree(root);
  if (tree.size === 0 && !options.allowEmpty)
    throw new UsageError(`There is nothing to plan in ${root}: no deploy/, clusters/ or hub/ files. Run "pnpm gen" first.`);
  const inputs = readKustomizationInputs(root, tree, options.shared?.parsed);
  const hubDocuments: HubDocument[] = [...tree.keys()]
    .filter((path) => /^hub\/[^/]+\.ya?ml$/.test(path))
    .flatMap((file) => inputs.documentsOf(file).documents.map((doc) => ({ file, doc })));
  // Only the layers' directories: kustomize builds the bases they include as part of them.
  const layerDirs = new Set(
    hubDocuments.flatMap(({ doc }) => (isFluxKustomization(doc) ? [layerDir((doc["spec"] ?? {}) as FluxKustomizationSpec)] : [])),
  );
  const { outcomes } = await buildKustomizations(
    inputs.closures.filter((closure) => layerDirs.has(closure.dir)),
    { root, cacheDir: options.cacheDir, ...(options.shared ? { shared: options.shared.builds } : {}) },
  );
  return planSpokes(collectSpokes(hubDocuments, outcomes, { final: true }).values(), hubDocuments);
}
