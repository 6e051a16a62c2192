// The synthetic fleet of `pnpm bench`: N spokes of the seed profile, generated in a loop as a large real
// fleet would be. FLEET_SHAPE picks how much the spokes differ:
// - "realistic" (the default): every spoke differs, as in real fleets: its own podinfo host; odd spokes take
//   staging's settings, even ones production's (production, pinned ranges, two ingress-nginx replicas); every
//   tenth runs three ingress-nginx replicas.
// - "uniform": nine spokes in ten are identical; every tenth has its own podinfo host and ingress-nginx replicas.
// FLEET_CHANGED names one spoke whose podinfo runs 4 replicas (the "one spoke changed" case).
import { defineCluster, defineFleet, seedProfile } from "@flux-fleet/fleet";
import { defineAppOperators, defineClusterAdmins } from "@flux-fleet/tenants";

const size = Number(process.env["FLEET_SIZE"] ?? "10");
const shape = process.env["FLEET_SHAPE"] ?? "realistic";
const changed = process.env["FLEET_CHANGED"];
if (shape !== "realistic" && shape !== "uniform") throw new Error(`FLEET_SHAPE must be realistic or uniform, got ${shape}`);

function spokeName(i: number): string {
  return `spoke-${String(i).padStart(4, "0")}`;
}

function realisticSpoke(i: number) {
  const name = spokeName(i);
  const production = i % 2 === 0;
  const replicas = i % 10 === 0 ? 3 : production ? 2 : undefined;
  return defineCluster({
    name,
    profile: seedProfile,
    ...(production ? { production: true } : {}),
    overrides: {
      ...(production || replicas !== undefined
        ? { "ingress-nginx": { ...(production ? { version: ">=4.10.0" } : {}), ...(replicas !== undefined ? { replicas } : {}) } }
        : {}),
      podinfo: {
        version: production ? ">=1.0.0" : ">=1.0.0-alpha",
        host: `podinfo.${name}`,
        test: false,
        ...(name === changed ? { replicas: 4 } : {}),
      },
    },
  });
}

function uniformSpoke(i: number) {
  const name = spokeName(i);
  const customised = i % 10 === 0;
  return defineCluster({
    name,
    profile: seedProfile,
    overrides: {
      ...(customised ? { "ingress-nginx": { replicas: 3 } } : {}),
      ...(customised || name === changed ? { podinfo: { host: `podinfo.${name}`, replicas: name === changed ? 4 : 2 } } : {}),
    },
  });
}

export const fleet = defineFleet({
  tenants: [
    defineClusterAdmins({ name: "sre-team", namespaces: ["cert-manager", "ingress-nginx"] }),
    defineAppOperators({ name: "dev-team", namespaces: ["podinfo"] }),
  ],
  clusters: Array.from({ length: size }, (_, i) => (shape === "realistic" ? realisticSpoke(i) : uniformSpoke(i))),
});
