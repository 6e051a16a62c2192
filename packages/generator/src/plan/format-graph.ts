import { describeIdentity } from "./format-plan.ts";
import type { PlannedLayer, PlannedSpoke } from "./spoke-view.ts";

export interface GraphOptions {
  /** Spokes of one shape collapse into one node when there are at least this many of them; default 3. */
  collapseAt?: number;
}

/** A spoke, or spokes of one shape drawn as one: the first by name stands for the others. */
interface SpokeGroup {
  spoke: PlannedSpoke;
  count: number;
}

/**
 * What makes two spokes draw the same: their layers in order, where each applies, as whom, after what, and the
 * kinds and names of its objects, with the spoke's own namespace left out (every spoke has its own).
 */
function shapeOf(spoke: PlannedSpoke): string {
  return JSON.stringify(
    spoke.layers.map((layer) => [
      layer.name,
      layer.appliesTo,
      layer.identity,
      layer.dependsOn,
      layer.error !== undefined,
      layer.objects.map((object) => [object.kind, object.namespace === spoke.name ? "" : (object.namespace ?? null), object.name]),
    ]),
  );
}

function groupSpokes(spokes: readonly PlannedSpoke[], collapseAt: number): SpokeGroup[] {
  const byShape = new Map<string, PlannedSpoke[]>();
  for (const spoke of [...spokes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const shape = shapeOf(spoke);
    byShape.set(shape, [...(byShape.get(shape) ?? []), spoke]);
  }
  return [...byShape.values()]
    .flatMap((members) =>
      members.length >= collapseAt ? [{ spoke: members[0]!, count: members.length }] : members.map((spoke) => ({ spoke, count: 1 })),
    )
    .sort((a, b) => (a.spoke.name < b.spoke.name ? -1 : a.spoke.name > b.spoke.name ? 1 : 0));
}

const ENTITIES: Record<string, string> = { "#": "#35;", "&": "#amp;", '"': "#quot;", "<": "#lt;", ">": "#gt;" };

/** A label's text as Mermaid shows it literally: its entity codes for what would end the label or read as HTML. */
export function escapeLabel(text: string): string {
  return text.replace(/[#&"<>]/g, (char) => ENTITIES[char]!);
}

/** Lines of a label, escaped and joined with Mermaid's line break. */
function label(...lines: string[]): string {
  return `"${lines.map(escapeLabel).join("<br/>")}"`;
}

/** Hands out Mermaid node IDs: letters, digits and `_` only, with a prefix (no keyword such as `end`), never twice. */
function createIds(): (prefix: string, name: string) => string {
  const taken = new Set<string>();
  return (prefix, name) => {
    const base = `${prefix}_${name.replace(/[^A-Za-z0-9]/g, "_")}`;
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
    taken.add(id);
    return id;
  };
}

/** How the hub reaches the spoke, when all its layers reach it the same way. */
function accessOf(layers: readonly PlannedLayer[]): string | undefined {
  const access = new Set(
    layers.map((layer) =>
      layer.identity.secretRef
        ? `kubeconfig Secret ${layer.identity.secretRef}`
        : layer.identity.configMapRef
          ? `workload identity ConfigMap ${layer.identity.configMapRef}`
          : "",
    ),
  );
  const [only] = access;
  return access.size === 1 && only ? only : undefined;
}

function layerLabel(layer: PlannedLayer): string {
  const identity = describeIdentity(layer.identity);
  return label(layer.name, `on the ${layer.appliesTo}${identity ? ` ${identity}` : ""}`, ...(layer.error ? ["build failed"] : []));
}

/**
 * The fleet as a Mermaid flowchart: the hub, each spoke's namespace on it (the edge says how the hub reaches the
 * spoke), and the spoke's layers in dependsOn order, each saying where it applies and as whom. Spokes of the same
 * shape (same layers, identities and objects but for their own namespace) collapse into one node with a count
 * once there are `collapseAt` of them ("spoke-0001-like ×498"). Deterministic: spokes sorted by name.
 *
 * @example
 * ```ts
 * out(formatGraph(view.spokes)); // "flowchart LR\n  hub[\"hub\"]\n …"
 * ```
 */
export function formatGraph(spokes: readonly PlannedSpoke[], options: GraphOptions = {}): string {
  const id = createIds();
  const lines = ["flowchart LR", `  hub[${label("hub", "flux-system")}]`];
  for (const { spoke, count } of groupSpokes(spokes, options.collapseAt ?? 3)) {
    const namespace = id("spoke", spoke.name);
    lines.push(`  ${namespace}[${label(count > 1 ? `${spoke.name}-like ×${count}` : spoke.name, "namespace on the hub")}]`);
    const access = accessOf(spoke.layers);
    lines.push(access ? `  hub -->|${label(access)}| ${namespace}` : `  hub --> ${namespace}`);
    const layerIds = new Map(spoke.layers.map((layer) => [layer.name, id(namespace, layer.name)]));
    for (const layer of spoke.layers) lines.push(`  ${layerIds.get(layer.name)!}[${layerLabel(layer)}]`);
    for (const layer of spoke.layers) {
      // A dependency is named `name` or `namespace/name`; one outside this spoke's layers is not drawn.
      const after = layer.dependsOn.flatMap((dependency) => {
        const dependencyId = layerIds.get(dependency) ?? layerIds.get(dependency.replace(`${spoke.name}/`, ""));
        return dependencyId ? [dependencyId] : [];
      });
      for (const from of after.length > 0 ? after : [namespace]) lines.push(`  ${from} --> ${layerIds.get(layer.name)!}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
