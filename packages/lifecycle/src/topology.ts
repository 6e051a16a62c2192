import { isDns1123Label, isDns1123Subdomain } from "@flux-fleet/schemas";
import { LifecycleError } from "./errors.ts";

/**
 * What this package needs to know about a fleet: which kind cluster is the hub and, for every spoke, its kind
 * cluster, the hub namespace holding its Flux objects and the name of the kubeconfig secret there. The
 * generator's CLI builds it from the loaded fleet; this package never imports the fleet itself.
 *
 * @example
 * ```ts
 * const topology: FleetTopology = {
 *   hub: { name: "hub", kindCluster: "flux-hub" },
 *   spokes: [{ name: "staging", kindCluster: "flux-staging", namespace: "staging", kubeconfigSecret: "cluster-kubeconfig" }],
 * };
 * ```
 */
export interface FleetTopology {
  hub: { name: string; kindCluster: string };
  spokes: Array<{
    /** The spoke's name in the fleet, e.g. `staging`; also names its kubeconfig file. */
    name: string;
    /** The kind cluster running the spoke, e.g. `flux-staging`. */
    kindCluster: string;
    /** The hub namespace holding this spoke's Kustomizations and HelmReleases, e.g. `staging`. */
    namespace: string;
    /** The secret in that namespace whose `value` key holds the spoke's kubeconfig, e.g. `cluster-kubeconfig`. */
    kubeconfigSecret: string;
  }>;
}

/** One spoke of a {@link FleetTopology}. */
export type FleetSpoke = FleetTopology["spokes"][number];

/** The prefix kind cluster names get by default, as in the seed (`flux-hub`, `flux-staging`). */
export const DEFAULT_KIND_CLUSTER_PREFIX = "flux-";

/** The kubeconfig secret name the seed uses in every spoke namespace. */
export const DEFAULT_KUBECONFIG_SECRET = "cluster-kubeconfig";

/**
 * The kind cluster name for a fleet member: the prefix (by default {@link DEFAULT_KIND_CLUSTER_PREFIX}) then
 * its name.
 *
 * @example
 * ```ts
 * kindClusterName("flux-", "staging"); // "flux-staging"
 * kindClusterName(DEFAULT_KIND_CLUSTER_PREFIX, "hub"); // "flux-hub"
 * ```
 */
export function kindClusterName(prefix: string, name: string): string {
  return `${prefix}${name}`;
}

/**
 * The kubeconfig context kind writes for a cluster.
 *
 * @example
 * ```ts
 * kubeContext("flux-hub"); // "kind-flux-hub"
 * ```
 */
export function kubeContext(kindCluster: string): string {
  return `kind-${kindCluster}`;
}

/** Input of {@link createFleetTopology}: names only, everything else defaulted as in the seed. */
export interface FleetTopologyInput {
  /** The hub's name; default `hub`. */
  hub?: string;
  /** Spoke names, or spokes with some fields overridden. */
  spokes: ReadonlyArray<string | ({ name: string } & Partial<Omit<FleetSpoke, "name">>)>;
  /** Kind cluster name prefix; default {@link DEFAULT_KIND_CLUSTER_PREFIX}. */
  prefix?: string;
}

/**
 * Builds and validates a topology from names: kind clusters `<prefix><name>`, one hub namespace per spoke
 * named after it, and the seed's `cluster-kubeconfig` secret.
 *
 * @example
 * ```ts
 * createFleetTopology({ spokes: ["staging", "production"] }).spokes[1];
 * // { name: "production", kindCluster: "flux-production", namespace: "production", kubeconfigSecret: "cluster-kubeconfig" }
 * ```
 */
export function createFleetTopology(input: FleetTopologyInput): FleetTopology {
  const prefix = input.prefix ?? DEFAULT_KIND_CLUSTER_PREFIX;
  const hubName = input.hub ?? "hub";
  const topology: FleetTopology = {
    hub: { name: hubName, kindCluster: kindClusterName(prefix, hubName) },
    spokes: input.spokes.map((spoke) => {
      const given = typeof spoke === "string" ? { name: spoke } : spoke;
      return {
        name: given.name,
        kindCluster: given.kindCluster ?? kindClusterName(prefix, given.name),
        namespace: given.namespace ?? given.name,
        kubeconfigSecret: given.kubeconfigSecret ?? DEFAULT_KUBECONFIG_SECRET,
      };
    }),
  };
  validateTopology(topology);
  return topology;
}

/**
 * The fleet's kind clusters, hub first, then the spokes in topology order.
 *
 * @example
 * ```ts
 * fleetClusters(createFleetTopology({ spokes: ["staging"] })); // ["flux-hub", "flux-staging"]
 * ```
 */
export function fleetClusters(topology: FleetTopology): string[] {
  return [topology.hub.kindCluster, ...topology.spokes.map((spoke) => spoke.kindCluster)];
}

/**
 * Throws a {@link LifecycleError} for the first problem that would make a command misbehave: names that are
 * not DNS-1123 labels (they become cluster, context, namespace and file names), clusters used twice, spokes
 * sharing a namespace, or no spokes at all.
 *
 * @example
 * ```ts
 * validateTopology({ hub: { name: "hub", kindCluster: "flux-hub" }, spokes: [] }); // throws: no spokes
 * ```
 */
export function validateTopology(topology: FleetTopology): void {
  const label = (value: string, what: string): void => {
    if (!isDns1123Label(value)) {
      throw new LifecycleError(
        `${what} "${value}" is not a valid DNS-1123 label: use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit.`,
      );
    }
  };
  label(topology.hub.name, "Hub name");
  label(topology.hub.kindCluster, `Kind cluster of hub "${topology.hub.name}"`);
  if (topology.spokes.length === 0) {
    throw new LifecycleError("The fleet has no spokes: add at least one spoke cluster to the fleet definition.");
  }
  const clusters = new Map<string, string>([[topology.hub.kindCluster, `hub "${topology.hub.name}"`]]);
  const names = new Set<string>();
  const namespaces = new Map<string, string>();
  for (const spoke of topology.spokes) {
    label(spoke.name, "Spoke name");
    label(spoke.kindCluster, `Kind cluster of spoke "${spoke.name}"`);
    label(spoke.namespace, `Hub namespace of spoke "${spoke.name}"`);
    if (!isDns1123Subdomain(spoke.kubeconfigSecret)) {
      throw new LifecycleError(
        `Kubeconfig secret "${spoke.kubeconfigSecret}" of spoke "${spoke.name}" is not a valid DNS-1123 subdomain: use lowercase letters, digits, "-" and ".".`,
      );
    }
    if (names.has(spoke.name)) {
      throw new LifecycleError(`Spoke "${spoke.name}" appears twice in the fleet: give each spoke its own name.`);
    }
    names.add(spoke.name);
    const owner = clusters.get(spoke.kindCluster);
    if (owner !== undefined) {
      throw new LifecycleError(
        `Kind cluster "${spoke.kindCluster}" of spoke "${spoke.name}" is already used by ${owner}: give each fleet member its own cluster.`,
        { cluster: spoke.kindCluster },
      );
    }
    clusters.set(spoke.kindCluster, `spoke "${spoke.name}"`);
    const sharing = namespaces.get(spoke.namespace);
    if (sharing !== undefined) {
      throw new LifecycleError(
        `Spokes "${sharing}" and "${spoke.name}" share the hub namespace "${spoke.namespace}": give each spoke its own namespace, since its kubeconfig secret lives there.`,
      );
    }
    if (spoke.namespace === "flux-system") {
      throw new LifecycleError(
        `Spoke "${spoke.name}" uses the hub namespace "flux-system", which holds Flux itself: use a namespace named after the spoke.`,
      );
    }
    namespaces.set(spoke.namespace, spoke.name);
  }
}
