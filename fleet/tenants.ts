import { defineAppOperators, defineClusterAdmins } from "@flux-fleet/tenants";

/** The platform team: installs the controllers and cluster-wide configuration on every spoke. */
export const sreTeam = defineClusterAdmins({ name: "sre-team", namespaces: ["cert-manager", "ingress-nginx"] });

/** The application team: deploys into its own namespaces only. */
export const devTeam = defineAppOperators({ name: "dev-team", namespaces: ["podinfo"] });
