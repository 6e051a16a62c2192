import {
  captureDefinitionSite,
  createHelmRelease,
  createHelmRepository,
  type DefinitionSite,
  type HelmRelease,
  type HelmReleaseSpec,
  type HelmRepository,
  type KubernetesObject,
  optionKeys,
} from "@flux-fleet/models";
import type { ChartValuesSchema } from "@flux-fleet/charts";
import type { DeepPartial } from "./deep-merge.ts";

type PlainValues = Record<string, unknown>;

/** The spec fields a Helm component may set besides the ones it derives (chart, values, namespaces). */
export type HelmReleaseExtraSpec = Omit<
  Partial<HelmReleaseSpec>,
  | "chart"
  | "chartRef"
  | "values"
  | "interval"
  | "targetNamespace"
  | "storageNamespace"
  | "releaseName"
  | "kubeConfig"
  | "serviceAccountName"
>;

export interface HelmComponentOptions<Name extends string, Values extends object> {
  /** The HelmRelease name, also the component's name in cluster overrides. */
  name: Name;
  /** HelmRelease layers: the releases live on the hub and install onto the spoke. */
  layer: "infra-controllers" | "apps";
  /** The namespace on the spoke the chart is installed into (`targetNamespace`, `storageNamespace`). */
  namespace: string;
  repository: {
    url: string;
    /** `oci` for charts in an OCI registry (`url` then starts with `oci://`). */
    type?: "oci";
    interval: string;
    /** Default: the component name. */
    name?: string;
  };
  chart: {
    /** Default: the component name. */
    name?: string;
    /** A semver range or exact version; omitted means the latest. */
    version?: string;
    interval?: string;
  };
  /** How often helm-controller reconciles the release. */
  interval: string;
  /** Default: the component name. */
  releaseName?: string;
  /**
   * The chart's values schema at the version the component installs (`certManagerValuesSchema` from
   * `@flux-fleet/charts`, or a module `flux-fleet chart add` wrote into the fleet): it types `values` and every
   * per-cluster `values` override, and gen checks the merged values of each cluster against it.
   * Without one, values are plain records and are not checked against the chart.
   */
  valuesSchema?: ChartValuesSchema<Values>;
  /** The chart's default values for every cluster (typed by `valuesSchema`, never inferred from the defaults). */
  values?: NoInfer<Values>;
  /** Further HelmRelease spec fields: driftDetection, install, upgrade, test, … */
  spec?: HelmReleaseExtraSpec;
  /** How the typed per-cluster overrides `replicas` and `host` translate into this chart's values. */
  valuesFor?: {
    replicas?: (replicas: number) => NoInfer<DeepPartial<Values>>;
    host?: (host: string) => NoInfer<DeepPartial<Values>>;
  };
  /** File name in `deploy/<layer>/`; default `<name>.yaml`. */
  file?: string;
  /**
   * CRD files of the custom kinds this component installs or uses, so that validate checks their objects strictly
   * (schema and CEL rules) instead of skipping them: `./path` relative to the repository root
   * (`./fleet/crds/widgets.yaml`), or a file an installed package exports
   * (`@flux-fleet/schemas/third-party-crds/cert-manager/v1.21.1/cert-manager.io_clusterissuers.yaml`).
   */
  crds?: readonly string[];
}

type AnyHelmOptions = HelmComponentOptions<string, object>;

/** The keys defineHelmComponent accepts, and those of its `repository`, `chart` and `valuesFor`. */
export const HELM_COMPONENT_OPTION_KEYS = optionKeys<AnyHelmOptions>({
  name: true,
  layer: true,
  namespace: true,
  repository: true,
  chart: true,
  interval: true,
  releaseName: true,
  valuesSchema: true,
  values: true,
  spec: true,
  valuesFor: true,
  file: true,
  crds: true,
});
export const HELM_REPOSITORY_OPTION_KEYS = optionKeys<AnyHelmOptions["repository"]>({ url: true, type: true, interval: true, name: true });
export const HELM_CHART_OPTION_KEYS = optionKeys<AnyHelmOptions["chart"]>({ name: true, version: true, interval: true });
export const HELM_VALUES_FOR_KEYS = optionKeys<NonNullable<AnyHelmOptions["valuesFor"]>>({ replicas: true, host: true });

/** A component installed from a Helm chart: a HelmRepository and a HelmRelease. */
export interface HelmComponent<Name extends string = string, Values extends object = PlainValues> extends HelmComponentOptions<
  Name,
  Values
> {
  type: "helm";
  definedAt?: DefinitionSite | undefined;
}

/** Per-cluster settings of a Helm component, written as a patch in `clusters/<cluster>/<layer>/`. */
export interface HelmOverrides<Values extends object = PlainValues> {
  /** Chart version or semver range for this cluster, e.g. `">=1.0.0"`. */
  version?: string;
  /** Values deep-merged over the component's defaults (arrays replace). */
  values?: DeepPartial<Values>;
  /** Replica count, for components that define `valuesFor.replicas`. */
  replicas?: number;
  /** Ingress host, for components that define `valuesFor.host`. */
  host?: string;
  /** Run the chart's Helm tests after install and upgrade. */
  test?: boolean;
  /** Stop reconciling the release on this cluster. */
  suspend?: boolean;
}

/** The keys a cluster's override of a Helm component accepts. */
export const HELM_OVERRIDE_KEYS = optionKeys<HelmOverrides>({
  version: true,
  values: true,
  replicas: true,
  host: true,
  test: true,
  suspend: true,
});

export interface ManifestsComponentOptions<Name extends string> {
  name: Name;
  layer: "infra-configs" | "infra-controllers" | "apps";
  /** Plain Kubernetes objects (or models) applied as they are. */
  objects: readonly KubernetesObject[];
  /** File name in `deploy/<layer>/`; default `<name>.yaml`. */
  file?: string;
  /**
   * CRD files of the custom kinds this component installs or uses, so that validate checks their objects strictly
   * (schema and CEL rules) instead of skipping them: `./path` relative to the repository root
   * (`./fleet/crds/widgets.yaml`), or a file an installed package exports
   * (`@flux-fleet/schemas/third-party-crds/cert-manager/v1.21.1/cert-manager.io_clusterissuers.yaml`).
   */
  crds?: readonly string[];
}

/** The keys defineManifests accepts. */
export const MANIFESTS_COMPONENT_OPTION_KEYS = optionKeys<ManifestsComponentOptions<string>>({
  name: true,
  layer: true,
  objects: true,
  file: true,
  crds: true,
});

/** A component made of plain manifests, such as cert-manager's ClusterIssuer. */
export interface ManifestsComponent<Name extends string = string> extends ManifestsComponentOptions<Name> {
  type: "manifests";
  definedAt?: DefinitionSite | undefined;
}

/** A strategic-merge patch on one object of a manifests component, for one cluster. */
export interface ManifestPatch {
  target: { kind: string; name: string };
  patch: Record<string, unknown>;
}

/** The keys of one entry of `patches`, and of its `target`. */
export const MANIFEST_PATCH_KEYS = optionKeys<ManifestPatch>({ target: true, patch: true });
export const MANIFEST_PATCH_TARGET_KEYS = optionKeys<ManifestPatch["target"]>({ kind: true, name: true });

export interface ManifestsOverrides {
  patches?: readonly ManifestPatch[];
}

/** The keys a cluster's override of a manifests component accepts. */
export const MANIFEST_OVERRIDE_KEYS = optionKeys<ManifestsOverrides>({ patches: true });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a component of any values type is a Component
export type Component = HelmComponent<string, any> | ManifestsComponent;

/** The override type a cluster may give a component. */
export type OverridesOf<C> = C extends HelmComponent<string, infer Values> ? HelmOverrides<Values> : ManifestsOverrides;

/**
 * Defines a component installed from a Helm chart. Its values type comes from `valuesSchema` (or an explicit type
 * argument), never from the defaults, so that per-cluster overrides may set any value the chart takes.
 *
 * @example
 * ```ts
 * export const redis = defineHelmComponent({
 *   name: "redis",
 *   layer: "apps",
 *   namespace: "redis",
 *   repository: { type: "oci", url: "oci://registry-1.docker.io/bitnamicharts", interval: "12h" },
 *   chart: { version: "20.x" },
 *   interval: "30m",
 *   values: { architecture: "standalone" },
 * });
 * ```
 */
export function defineHelmComponent<const Name extends string, Values extends object = PlainValues>(
  options: HelmComponentOptions<Name, Values>,
): HelmComponent<Name, Values> {
  return { ...options, type: "helm", definedAt: captureDefinitionSite() };
}

/**
 * Defines a component made of plain manifests.
 *
 * @example
 * ```ts
 * export const priorities = defineManifests({
 *   name: "priorities",
 *   layer: "infra-configs",
 *   objects: [{ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: "cache-critical" }, value: 100000 }],
 * });
 * ```
 */
export function defineManifests<const Name extends string>(options: ManifestsComponentOptions<Name>): ManifestsComponent<Name> {
  return { ...options, type: "manifests", definedAt: captureDefinitionSite() };
}

/** The file a component's base objects go to, inside `deploy/<layer>/`. */
export function componentFile(component: Component): string {
  return component.file ?? `${component.name}.yaml`;
}

/**
 * The base objects of a Helm component: its HelmRepository, then its HelmRelease.
 *
 * @example
 * ```ts
 * const [repository, release] = renderHelmComponent(podinfo);
 * ```
 */
export function renderHelmComponent(component: HelmComponent<string, object>): [HelmRepository, HelmRelease] {
  const repositoryName = component.repository.name ?? component.name;
  const repository = createHelmRepository({
    name: repositoryName,
    spec: {
      interval: component.repository.interval,
      ...(component.repository.type === undefined ? {} : { type: component.repository.type }),
      url: component.repository.url,
    },
  });
  const { version, interval: chartInterval } = component.chart;
  const release = createHelmRelease({
    name: component.name,
    spec: {
      targetNamespace: component.namespace,
      storageNamespace: component.namespace,
      releaseName: component.releaseName ?? component.name,
      interval: component.interval,
      chart: {
        spec: {
          chart: component.chart.name ?? component.name,
          ...(version === undefined ? {} : { version }),
          sourceRef: { kind: "HelmRepository", name: repositoryName },
          ...(chartInterval === undefined ? {} : { interval: chartInterval }),
        },
      },
      ...component.spec,
      ...(component.values === undefined ? {} : { values: component.values }),
    },
  });
  return [repository, release];
}
