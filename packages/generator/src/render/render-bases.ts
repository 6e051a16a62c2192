import { toPlainObject } from "@flux-fleet/models";
import { renderTenantsLayer } from "@flux-fleet/tenants";
import { componentFile, renderHelmComponent, seedProfile, type Component, type Fleet, type HelmComponent } from "@flux-fleet/fleet";
import { type Issue, isKubeDocument, type KubeDocument } from "@flux-fleet/validate";
import type { FleetIndex } from "../fleet/fleet-index.ts";
import type { GeneratedFile } from "./generated-file.ts";
import { locate, type RenderContext } from "../fleet/locate.ts";
import { kustomizeConfig } from "./kustomize-config.ts";
import { validated } from "./validated.ts";
import type { Builds } from "./builds.ts";

/**
 * The shared bases: `deploy/tenants/` from the tenants, `deploy/<layer>/` from the components. What each base
 * builds to goes into `builds`; `objects` holds each component's objects, for the overlays that take them.
 */
export function renderBases(
  fleet: Fleet,
  index: FleetIndex,
  context: RenderContext,
  issues: Issue[],
  builds: Builds,
): { files: GeneratedFile[]; objects: Map<Component, KubeDocument[]> } {
  const files: GeneratedFile[] = [];
  const objects = new Map<Component, KubeDocument[]>();
  const layerIndex = (layer: string, resources: string[], built: KubeDocument[]) => {
    files.push({ path: `deploy/${layer}/kustomization.yaml`, documents: [kustomizeConfig({ resources })], editIn: context.entry });
    builds.set(`deploy/${layer}`, built);
  };

  if (index.admins) {
    const tenantFiles = renderTenantsLayer(fleet.tenants, { fluxNamespace: fleet.fluxNamespace });
    for (const { file, objects } of tenantFiles) {
      const path = `deploy/tenants/${file}`;
      const owner = objects.length > 0 ? ownerOf(fleet, index, objects) : undefined;
      const editIn = locate(context, owner?.definedAt).file;
      files.push({
        path,
        editIn,
        // Checked in every spoke's tenants overlay, as Flux applies them: here they still hold ${CLUSTER_NAME}.
        documents: objects.map((object) => toPlainObject(object)),
      });
    }
    layerIndex(
      "tenants",
      tenantFiles.map((f) => f.file),
      files.flatMap((file) => (file.path.startsWith("deploy/tenants/") ? file.documents.filter(isKubeDocument) : [])),
    );
  }

  for (const [layer, components] of index.componentsByLayer) {
    for (const component of components) {
      const path = `deploy/${layer}/${componentFile(component)}`;
      const definedIn = packageOf(component);
      const site = definedIn ? usedAt(fleet, component, context) : locate(context, component.definedAt);
      const where = { ...site, generated: path, component: component.name };
      const documents =
        component.type === "helm"
          ? renderHelmComponent(component as HelmComponent).map((model) => validated(model, where, issues))
          : component.objects.map((object) => ({ ...object }));
      files.push({ path, documents, editIn: site.file, ...(definedIn ? { definedIn } : {}) });
      objects.set(component, documents.filter(isKubeDocument));
    }
    layerIndex(
      layer,
      components.map(componentFile),
      components.flatMap((component) => objects.get(component) ?? []),
    );
  }
  return { files, objects };
}

/**
 * The package a component comes from, when no fleet file defines it (its definition site lies in a package):
 * the seed's presets are @flux-fleet/fleet'.
 */
function packageOf(component: Component): { package: string; component: string } | undefined {
  if (component.definedAt !== undefined) return undefined;
  const seed = (seedProfile.components as readonly Component[]).includes(component);
  return { package: seed ? "@flux-fleet/fleet" : "a package", component: component.name };
}

/** Where a package's component is changed: the fleet file of the first cluster that runs it, with its overrides. */
function usedAt(fleet: Fleet, component: Component, context: RenderContext): { file: string; line?: number } {
  const cluster = fleet.clusters.find((candidate) => (candidate.profile.components as readonly Component[]).includes(component));
  return locate(context, cluster?.definedAt);
}

function ownerOf(fleet: Fleet, index: FleetIndex, objects: readonly unknown[]) {
  const first = objects[0] as { metadata?: { name?: string } };
  return index.namespaceOwners.get(first.metadata?.name ?? "") ?? index.admins ?? fleet.tenants[0];
}
