import { describe, expect, expectTypeOf, it } from "vitest";
import { defineCluster, defineClusterProfile, defineHelmComponent, seedProfile, type OverridesOf } from "./index.ts";
import type { ingressNginx, podinfo } from "./seed-components.ts";

// The @ts-expect-error lines are the test: `pnpm typecheck` fails if one of them type-checks.
describe("typed Helm values", () => {
  it("types the seed's per-cluster values from the charts' schemas", () => {
    defineCluster({
      name: "typed",
      profile: seedProfile,
      overrides: {
        // @ts-expect-error -- the chart has no "controler"
        "ingress-nginx": { values: { controler: { replicaCount: 2 } } },
        // @ts-expect-error -- cert-manager's schema says crds.enabled is a boolean
        "cert-manager": { values: { crds: { enabled: "yes" } } },
        // @ts-expect-error -- the chart has no "replicaCunt"
        podinfo: { values: { replicaCunt: 2 } },
      },
    });
    defineCluster({
      name: "typed-enum",
      profile: seedProfile,
      // @ts-expect-error -- a Service's type is one of Kubernetes' four, even in a schema inferred from defaults
      overrides: { "ingress-nginx": { values: { controller: { service: { type: "Nodeport" } } } } },
    });
    const ok = defineCluster({
      name: "ok",
      profile: seedProfile,
      overrides: { "ingress-nginx": { values: { controller: { service: { type: "NodePort" } } } } },
    });
    expect(ok.overrides["ingress-nginx"]?.values?.controller?.service?.type).toBe("NodePort");
    expectTypeOf<NonNullable<NonNullable<OverridesOf<typeof podinfo>["values"]>["replicaCount"]>>().toEqualTypeOf<number>();
    expectTypeOf<NonNullable<OverridesOf<typeof ingressNginx>["values"]>>().toHaveProperty("controller");
  });

  it("leaves a component without a schema open: its defaults do not narrow the overrides", () => {
    const redis = defineHelmComponent({
      name: "redis",
      layer: "apps",
      namespace: "cache",
      repository: { type: "oci", url: "oci://registry-1.docker.io/bitnamicharts", interval: "12h" },
      chart: { version: "20.x" },
      interval: "30m",
      values: { architecture: "standalone" },
    });
    const profile = defineClusterProfile({ name: "web", components: [...seedProfile.components, redis] });
    const web = defineCluster({ name: "web", profile, overrides: { redis: { values: { auth: { enabled: false } } } } });
    expect(web.overrides.redis?.values).toEqual({ auth: { enabled: false } });
    expectTypeOf<OverridesOf<typeof redis>["values"]>().toEqualTypeOf<Record<string, unknown> | undefined>();
  });
});
