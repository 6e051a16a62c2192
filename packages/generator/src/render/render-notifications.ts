import { createAlert, createNotificationProvider } from "@flux-fleet/models";
import {
  ALERT_SOURCE_KINDS,
  DEFAULT_ALERT_NAME,
  PROMOTION_PROVIDER,
  promotionAlertName,
  type Cluster,
  type Fleet,
} from "@flux-fleet/fleet";

type Model = ReturnType<typeof createAlert> | ReturnType<typeof createNotificationProvider>;

/**
 * The notification objects in a spoke's hub namespace: the fleet's alerts (a Provider and an Alert on the
 * spoke's Kustomizations and HelmReleases), and for each promotion that starts on this spoke, the githubdispatch
 * Provider and an Alert on the release's successful upgrades. The Secrets they reference are never generated.
 */
export function renderNotifications(fleet: Fleet, cluster: Cluster): Model[] {
  const models: Model[] = [];
  const alerts = fleet.alerts;
  if (alerts) {
    const name = alerts.name ?? DEFAULT_ALERT_NAME;
    models.push(
      createNotificationProvider({
        name,
        namespace: cluster.name,
        spec: {
          type: alerts.type as never,
          ...(alerts.channel === undefined ? {} : { channel: alerts.channel }),
          secretRef: { name: alerts.secretRef },
        },
      }),
      createAlert({
        name,
        namespace: cluster.name,
        spec: {
          providerRef: { name },
          eventSeverity: alerts.severity ?? "error",
          eventSources: (alerts.sources ?? ALERT_SOURCE_KINDS).map((kind) => ({ kind, name: "*" })),
          eventMetadata: { cluster: cluster.name },
        },
      }),
    );
  }
  const promotions = (fleet.promotion?.pairs ?? []).filter((pair) => pair.from === cluster.name);
  if (fleet.promotion && promotions.length > 0) {
    models.push(
      createNotificationProvider({
        name: PROMOTION_PROVIDER,
        namespace: cluster.name,
        spec: { type: "githubdispatch", address: fleet.promotion.repository, secretRef: { name: fleet.promotion.secretRef } },
      }),
    );
    for (const pair of promotions)
      models.push(
        createAlert({
          name: promotionAlertName(pair),
          namespace: cluster.name,
          spec: {
            providerRef: { name: PROMOTION_PROVIDER },
            summary: `Promote ${pair.component} from ${pair.from} to ${pair.to}`,
            eventMetadata: { component: pair.component, from: pair.from, to: pair.to },
            eventSeverity: "info",
            eventSources: [{ kind: "HelmRelease", name: pair.component }],
            // helm-controller's event on a successful upgrade: "Helm upgrade succeeded for release …".
            inclusionList: [".*upgrade.*succeeded.*"],
          },
        }),
      );
  }
  return models;
}
