import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseYamlDocuments } from "@flux-fleet/validate";
import { createFixtureRepo, runInProcess } from "./helpers.ts";
import { generatedFixture } from "./hub-fixtures.ts";
import { edit, summary } from "./validate-helpers.ts";

interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: unknown;
}

const fixture = generatedFixture("hub-alerts");

describe("alerts for every spoke (defineFleet({ alerts }))", () => {
  it.each(["staging", "production"])(
    "puts a Provider and an Alert on %s's Kustomizations and HelmReleases in its hub namespace",
    async (cluster) => {
      const root = await fixture.original();
      const docs = parseYamlDocuments(await readFile(join(root, `hub/${cluster}.yaml`), "utf8")).documents as Doc[];
      const notifications = docs.filter((doc) => doc.apiVersion === "notification.toolkit.fluxcd.io/v1beta3");
      expect(notifications).toEqual([
        {
          apiVersion: "notification.toolkit.fluxcd.io/v1beta3",
          kind: "Provider",
          metadata: { name: "fleet-alerts", namespace: cluster },
          spec: { type: "slack", channel: "fleet-alerts", secretRef: { name: "slack-webhook" } },
        },
        {
          apiVersion: "notification.toolkit.fluxcd.io/v1beta3",
          kind: "Alert",
          metadata: { name: "fleet-alerts", namespace: cluster },
          spec: {
            providerRef: { name: "fleet-alerts" },
            eventSeverity: "error",
            eventSources: [
              { kind: "Kustomization", name: "*" },
              { kind: "HelmRelease", name: "*" },
            ],
            eventMetadata: { cluster },
          },
        },
      ]);
      // The Secret is the user's: gen never writes one.
      expect(docs.some((doc) => doc.kind === "Secret")).toBe(false);
    },
  );

  it("passes validate with the strict notification schemas", async () => {
    const result = await runInProcess(["validate", "--no-cache"], await fixture.original());
    expect(summary(result.stdout)).toMatch(/^0 errors, 3 warnings, 0 skipped$/);
    expect(result.code).toBe(0);
  });

  it.each([
    [
      "an unknown Provider field",
      "hub/staging.yaml",
      "  channel: fleet-alerts\n",
      "  channel: fleet-alerts\n  webhook: https://hooks.example\n",
      'unknown field "spec.webhook"',
    ],
    ["a Provider type notification-controller does not know", "hub/staging.yaml", "  type: slack\n", "  type: slackk\n", "/spec/type"],
    [
      "an Alert severity that is not info or error",
      "hub/production.yaml",
      "  eventSeverity: error\n",
      "  eventSeverity: warning\n",
      "/spec/eventSeverity",
    ],
    [
      "an Alert whose Provider is not in its namespace",
      "hub/production.yaml",
      "  providerRef:\n    name: fleet-alerts\n",
      "  providerRef:\n    name: slack\n",
      'Its providerRef names Provider "production/slack", which is not on the hub',
    ],
  ])("reports %s", async (_name, file, from, to, expected) => {
    const result = await fixture.validateEdited(file, from, to);
    expect(result.stdout).toContain(expected);
    expect(result.code).toBe(1);
  });

  it("refuses alerts without a Secret name, naming the fleet file and field", async () => {
    const root = await createFixtureRepo("hub-alerts");
    await edit(root, "fleet/fleet.ts", 'secretRef: "slack-webhook", ', "");
    const result = await runInProcess(["gen"], root);
    expect(result.stdout + result.stderr).toMatch(/fleet\/fleet\.ts:5\n {2}error +alerts\.secretRef: /);
    expect(result.code).toBe(1);
  });
});
