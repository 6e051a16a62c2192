import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gen } from "../src/commands/gen.ts";
import { parseYamlDocuments } from "@flux-fleet/validate";
import { kustomizeBuild } from "../../validate/src/read/kustomize.ts";
import { loadFleet } from "../src/load-fleet.ts";
import { renderFleet } from "../src/render/render-fleet.ts";
import { createFleetRepo } from "./helpers.ts";

// Keys sorted at every level, so that two builds compare regardless of the order kustomize writes fields in.
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  return value;
}

// Objects by identity, each in canonical form.
function byIdentity(documents: readonly unknown[]): Record<string, unknown> {
  const entries = documents.map((doc) => {
    const { kind, metadata } = doc as { kind: string; metadata: { name: string; namespace?: string } };
    return [`${kind}/${metadata.namespace ?? ""}/${metadata.name}`, canonical(doc)] as const;
  });
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
}

// Staging takes the whole seed with Helm overrides (host, replicas, values, version, test); production a profile
// without ingress-nginx (its overlays list base files one by one) and a patch of the ClusterIssuer.
const FLEET = `
import { certManager, clusterIssuers, defineCluster, defineClusterProfile, defineFleet, podinfo, seedProfile } from "@flux-fleet/fleet";
import { defineAppOperators, defineClusterAdmins } from "@flux-fleet/tenants";

const lean = defineClusterProfile({ name: "lean", components: [certManager, clusterIssuers, podinfo] });

export const fleet = defineFleet({
  tenants: [
    defineClusterAdmins({ name: "sre-team", namespaces: ["cert-manager", "ingress-nginx"] }),
    defineAppOperators({ name: "dev-team", namespaces: ["podinfo"] }),
  ],
  clusters: [
    defineCluster({
      name: "staging",
      profile: seedProfile,
      overrides: {
        podinfo: { host: "podinfo.staging", test: false, values: { replicaCount: 2, ui: { message: "staging" } } },
        "ingress-nginx": { version: "4.15.1", replicas: 3 },
      },
    }),
    defineCluster({
      name: "production",
      production: true,
      profile: lean,
      overrides: {
        podinfo: { version: "6.14.1", host: "podinfo.example.com" },
        "cert-manager": { version: "v1.21.1" },
        "cluster-issuers": {
          patches: [{ target: { kind: "ClusterIssuer", name: "letsencrypt" }, patch: { spec: { acme: { email: "ops@example.com" } } } }],
        },
      },
    }),
  ],
});
`;

describe("the spoke view gen renders", () => {
  it("is, for every base and overlay, exactly what real kustomize builds from the files gen writes", async () => {
    const root = await createFleetRepo({ "fleet/fleet.ts": FLEET });
    await gen({ root, out: () => {} });
    const { fleet, entry } = await loadFleet({ root });
    const { builds } = renderFleet(fleet, { root, entry });
    expect([...builds.keys()].filter((dir) => dir.startsWith("clusters/")).length).toBe(8);
    for (const [dir, rendered] of builds) {
      const built = parseYamlDocuments(await kustomizeBuild(join(root, dir))).documents;
      expect(byIdentity(rendered), dir).toEqual(byIdentity(built));
    }
    // The overrides are in it, merged over the base's values.
    const release = builds.get("clusters/staging/apps")?.find((doc) => doc.kind === "HelmRelease") as unknown as {
      spec: { values: Record<string, unknown> };
    };
    expect(release.spec.values).toMatchObject({ replicaCount: 2, ui: { message: "staging" } });
    expect(builds.get("clusters/production/infra-controllers")?.map((doc) => doc.metadata.name)).not.toContain("ingress-nginx");
  });
});
