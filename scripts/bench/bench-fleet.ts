// The synthetic fleet of `pnpm bench`: N spokes of the seed profile, generated in a loop as a large real
// fleet would be, with per-cluster overrides on every tenth spoke and on the spoke FLEET_CHANGED names.
import { defineCluster, defineFleet, seedProfile } from "@flux-fleet/profiles";
import { defineAppOperators, defineClusterAdmins } from "@flux-fleet/tenants";

const size = Number(process.env["FLEET_SIZE"] ?? "10");
const changed = process.env["FLEET_CHANGED"];

function spokeName(i: number): string {
  return `spoke-${String(i).padStart(4, "0")}`;
}

const clusters = Array.from({ length: size }, (_, i) => {
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
});

export const fleet = defineFleet({
  tenants: [
    defineClusterAdmins({ name: "sre-team", namespaces: ["cert-manager", "ingress-nginx"] }),
    defineAppOperators({ name: "dev-team", namespaces: ["podinfo"] }),
  ],
  clusters,
});
