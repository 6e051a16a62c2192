import { defineFleet } from "@flux-fleet/fleet";
import { devTeam, sreTeam } from "./tenants.ts";
import { production, staging } from "./clusters.ts";

export const fleet = defineFleet({
  tenants: [sreTeam, devTeam],
  clusters: [staging, production],
  githubWorkflows: true,
});
