import { describe, expect, it } from "vitest";
import type { Spoke } from "../spoke-view/spoke-model.ts";
import { alertsByNamespace, checkAlertSources } from "./notification-checks.ts";

const alert = (namespace: string | undefined, name: string, source: string) => ({
  apiVersion: "notification.toolkit.fluxcd.io/v1beta3",
  kind: "Alert",
  metadata: { name, ...(namespace === undefined ? {} : { namespace }) },
  spec: { providerRef: { name: "github" }, eventSources: [{ kind: "HelmRelease", name: source }] },
});

const hubDocuments = [
  { file: "hub/staging.yaml", doc: alert("staging", "promote", "podinfo") },
  { file: "hub/staging.yaml", doc: { apiVersion: "v1", kind: "Namespace", metadata: { name: "staging" } } },
  { file: "hub/production.yaml", doc: alert("production", "promote", "missing") },
  { file: "hub/flux-system.yaml", doc: alert(undefined, "all", "podinfo") },
  { file: "hub/staging.yaml", doc: alert("staging", "second", "missing") },
];

const spoke = (name: string): Spoke => ({ name, layers: [] });

describe("alertsByNamespace", () => {
  it("groups the hub's Alerts by namespace (flux-system when none is set), in file order, and nothing else", () => {
    const alerts = alertsByNamespace(hubDocuments);
    expect([...alerts.keys()]).toEqual(["staging", "production", "flux-system"]);
    expect(alerts.get("staging")?.map(({ doc }) => doc.metadata.name)).toEqual(["promote", "second"]);
  });
});

describe("checkAlertSources", () => {
  it.each(["staging", "production", "flux-system", "elsewhere"])(
    "reports the same for spoke %s from its namespace's Alerts as from every hub document",
    (name) => {
      const grouped = checkAlertSources(() => "fleet/fleet.ts", spoke(name), alertsByNamespace(hubDocuments).get(name) ?? []);
      expect(grouped).toEqual(checkAlertSources(() => "fleet/fleet.ts", spoke(name), hubDocuments));
    },
  );

  it("names the Alert and the source no Kustomization of the spoke creates", () => {
    const issues = checkAlertSources(() => "fleet/fleet.ts", spoke("staging"), alertsByNamespace(hubDocuments).get("staging") ?? []);
    expect(issues.map((issue) => issue.message)).toEqual([
      'Watches HelmRelease "staging/podinfo", which no Kustomization of spoke "staging" creates: the Alert would never fire.',
      'Watches HelmRelease "staging/missing", which no Kustomization of spoke "staging" creates: the Alert would never fire.',
    ]);
    expect(issues.map((issue) => issue.where.generated)).toEqual(["hub/staging.yaml", "hub/staging.yaml"]);
  });
});
