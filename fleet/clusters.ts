import { defineCluster, seedProfile } from "@flux-fleet/fleet";

export const staging = defineCluster({
  name: "staging",
  profile: seedProfile,
  overrides: {
    podinfo: { version: ">=1.0.0-alpha", host: "podinfo.staging", test: false },
  },
});

export const production = defineCluster({
  name: "production",
  profile: seedProfile,
  production: true,
  overrides: {
    "ingress-nginx": { version: ">=4.10.0", replicas: 2 },
    podinfo: { version: ">=1.0.0", host: "podinfo.production", test: false },
  },
});
