import type { LayerIdentity, PlannedLayer, PlannedObject, PlannedSpoke } from "./spoke-view.ts";
import { objectKey } from "./spoke-view.ts";

/** `as flux-restricted via Secret cluster-kubeconfig`. */
export function describeIdentity(identity: LayerIdentity): string {
  const parts: string[] = [];
  if (identity.serviceAccountName) parts.push(`as ${identity.serviceAccountName}`);
  if (identity.secretRef) parts.push(`via Secret ${identity.secretRef}`);
  if (identity.configMapRef) parts.push(`via ConfigMap ${identity.configMapRef}`);
  return parts.join(" ");
}

function describeObject(object: PlannedObject): string {
  const helm = object.helm;
  if (!helm) return objectKey(object);
  const version = helm.version !== undefined ? ` ${helm.version}` : "";
  return `${objectKey(object)}: chart ${helm.chart}${version} from ${helm.source} into ${helm.targetNamespace}`;
}

function layerLines(layer: PlannedLayer): string[] {
  const identity = describeIdentity(layer.identity);
  const after = layer.dependsOn.length > 0 ? `, after ${layer.dependsOn.join(", ")}` : "";
  const head = `  ${layer.name} → ${layer.appliesTo}${identity ? ` ${identity}` : ""}${after}`;
  // kustomize's messages run over several lines: keep them under the layer.
  if (layer.error) return [head, `    build failed: ${layer.error.trimEnd().replaceAll("\n", "\n      ")}`];
  return [head, ...layer.objects.map((object) => `    ${describeObject(object)}`)];
}

/**
 * The plan as a compact tree: a spoke, its layers in reconcile order with where they apply and as whom, and their
 * objects.
 *
 * @example
 * ```ts
 * out(formatPlan(view.spokes));
 * ```
 */
export function formatPlan(spokes: readonly PlannedSpoke[]): string {
  if (spokes.length === 0) return "No spokes: the hub files hold no Flux Kustomizations.\n";
  return `${spokes.map((spoke) => [spoke.name, ...spoke.layers.flatMap(layerLines)].join("\n")).join("\n\n")}\n`;
}
