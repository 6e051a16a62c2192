import { describe, expect, it } from "vitest";
import { toPlainObject } from "@flux-fleet/models";
import { defineAppOperators, defineClusterAdmins } from "./tenant.ts";
import { renderTenantsLayer } from "./tenants-layer.ts";

const sreTeam = defineClusterAdmins({ name: "sre-team", namespaces: ["cert-manager", "ingress-nginx"] });
const devTeam = defineAppOperators({ name: "dev-team", namespaces: ["podinfo"] });

function summary(tenants = [sreTeam, devTeam]) {
  return renderTenantsLayer(tenants, { fluxNamespace: "${CLUSTER_NAME}" }).map(({ file, objects }) => ({
    file,
    objects: objects.map((object) => {
      const plain = toPlainObject(object);
      return `${plain.kind} ${plain.metadata.namespace ?? "-"}/${plain.metadata.name} ${plain.metadata.labels?.["toolkit.fluxcd.io/tenant"] ?? ""}`;
    }),
  }));
}

describe("renderTenantsLayer", () => {
  it("lays out the seed's tenants: identities owned by the cluster admins, one file per namespace", () => {
    expect(summary()).toEqual([
      {
        file: "flux.yaml",
        objects: [
          "Namespace -/${CLUSTER_NAME} sre-team",
          "ServiceAccount ${CLUSTER_NAME}/flux-restricted sre-team",
          "ServiceAccount ${CLUSTER_NAME}/flux-cluster-admin sre-team",
          "ClusterRoleBinding -/flux-cluster-admin sre-team",
        ],
      },
      { file: "cert-manager.yaml", objects: ["Namespace -/cert-manager sre-team"] },
      { file: "ingress-nginx.yaml", objects: ["Namespace -/ingress-nginx sre-team"] },
      { file: "podinfo.yaml", objects: ["Namespace -/podinfo dev-team", "RoleBinding podinfo/flux dev-team"] },
    ]);
  });

  it("binds an app operator only inside its own namespaces, to its own identity", () => {
    const webTeam = defineAppOperators({ name: "web-team", namespaces: ["shop", "blog"], serviceAccountName: "flux-web" });
    const files = renderTenantsLayer([sreTeam, webTeam], { fluxNamespace: "flux-tenants" });
    const bindings = files.flatMap((f) => f.objects.map(toPlainObject)).filter((o) => o.kind === "RoleBinding");
    expect(bindings.map((b) => [b.metadata.namespace, b["subjects"]])).toEqual([
      ["shop", [{ kind: "ServiceAccount", name: "flux-web", namespace: "flux-tenants" }]],
      ["blog", [{ kind: "ServiceAccount", name: "flux-web", namespace: "flux-tenants" }]],
    ]);
  });

  it("refuses a fleet without cluster admins", () => {
    expect(() => renderTenantsLayer([devTeam], { fluxNamespace: "x" })).toThrow("needs a cluster-admins tenant");
  });
});
