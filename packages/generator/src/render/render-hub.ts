import type { Fleet } from "@flux-fleet/profiles";
import { TENANT_LABEL } from "@flux-fleet/tenants";
import { stringifyYaml } from "../yaml-emitter.ts";
import type { FleetIndex } from "./fleet-index.ts";
import type { GeneratedFile, RenderContext } from "./generated-file.ts";
import { kustomizeConfig } from "./kustomize-config.ts";

/** Files that `flux bootstrap` writes; the generator only creates them where they are missing. */
export const BOOTSTRAP_FILES = ["hub/flux-system/gotk-components.yaml", "hub/flux-system/gotk-sync.yaml"] as const;

export const BOOTSTRAP_PLACEHOLDER =
  "# Placeholder for Flux's own manifests: `flux bootstrap` (pnpm flux:bootstrap) replaces it and commits the result.\n" +
  "# pnpm flux:up installs Flux without it (it ignores hub/flux-system/). flux-fleet creates this file when missing and never rewrites it.\n";

/** `hub/flux-system/kustomization.yaml`: the bootstrap manifests, the tenant label and the controller tuning. */
export function renderHubFluxSystem(fleet: Fleet, index: FleetIndex, context: RenderContext): GeneratedFile {
  const tuning = fleet.hub.controllerArgs.map((arg) => ({ op: "add", path: "/spec/template/spec/containers/0/args/-", value: arg }));
  return {
    path: "hub/flux-system/kustomization.yaml",
    editIn: context.entry,
    documents: [
      kustomizeConfig({
        resources: BOOTSTRAP_FILES.map((file) => file.slice("hub/flux-system/".length)),
        ...(index.admins ? { labels: [{ pairs: { [TENANT_LABEL]: index.admins.name } }] } : {}),
        ...(tuning.length > 0
          ? {
              patches: [
                { patch: stringifyYaml(tuning), target: { kind: "Deployment", name: `(${fleet.hub.tunedControllers.join("|")})` } },
              ],
            }
          : {}),
      }),
    ],
  };
}
