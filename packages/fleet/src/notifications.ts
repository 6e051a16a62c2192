import { optionKeys } from "@flux-fleet/models";

/** The Flux kinds an alert can watch on the hub: each spoke's layers and releases. */
export const ALERT_SOURCE_KINDS = ["Kustomization", "HelmRelease"] as const;

export type AlertSourceKind = (typeof ALERT_SOURCE_KINDS)[number];

/**
 * Alerts for every spoke: a notification-controller `Provider` and an `Alert`
 * (`notification.toolkit.fluxcd.io/v1beta3`) in each spoke's hub namespace.
 */
export interface AlertSettings {
  /** The Provider's `type` (`slack`, `msteams`, `discord`, `generic`, `pagerduty`, …). */
  type: string;
  /** The Secret (in each spoke's hub namespace) holding the webhook address or token; gen never writes it. */
  secretRef: string;
  /** The channel, for the providers that take one (Slack, Discord, …). */
  channel?: string;
  /** Which events are sent: `error` (default) or `info` (every event). */
  severity?: "info" | "error";
  /** Which of the spoke's objects are watched; default its Kustomizations and HelmReleases. */
  sources?: readonly AlertSourceKind[];
  /** The name of the Provider and the Alert; default `fleet-alerts`. */
  name?: string;
}

export const ALERT_SETTINGS_KEYS = optionKeys<AlertSettings>({
  type: true,
  secretRef: true,
  channel: true,
  severity: true,
  sources: true,
  name: true,
});

export const DEFAULT_ALERT_NAME = "fleet-alerts";

/** One promotion: the chart version a component upgraded to on `from` is pinned on `to`. */
export interface PromotionPair {
  component: string;
  from: string;
  to: string;
}

/**
 * Promotion of chart versions between spokes (staging → production): on the hub, a `githubdispatch` Provider and
 * an Alert that fire when `from`'s HelmRelease upgrades; in the repository, a `promote` workflow that records the
 * version in the versions file and opens a pull request.
 */
export interface PromotionSettings {
  /** The GitHub repository the dispatch goes to and the pull request is opened in: `https://github.com/<owner>/<repo>`. */
  repository: string;
  /** The Secret (key `token`, in each `from` spoke's hub namespace) with a GitHub token allowed to dispatch; never generated. */
  secretRef: string;
  pairs: readonly PromotionPair[];
  /** The JSON file the fleet reads promoted versions from; default `fleet/versions.json`. */
  versionsFile?: string;
}

export const PROMOTION_SETTINGS_KEYS = optionKeys<PromotionSettings>({
  repository: true,
  secretRef: true,
  pairs: true,
  versionsFile: true,
});
export const PROMOTION_PAIR_KEYS = optionKeys<PromotionPair>({ component: true, from: true, to: true });
export const DEFAULT_VERSIONS_FILE = "fleet/versions.json";
/** The name of the dispatch Provider in a `from` spoke's hub namespace. */
export const PROMOTION_PROVIDER = "github-dispatch";

/**
 * The name of the Alert that starts one promotion.
 *
 * @example
 * ```ts
 * promotionAlertName({ component: "podinfo", from: "staging", to: "production" }); // "promote-podinfo-to-production"
 * ```
 */
export function promotionAlertName(pair: PromotionPair): string {
  return `promote-${pair.component}-to-${pair.to}`;
}

/**
 * The `repository_dispatch` event type notification-controller's githubdispatch provider sends for a release:
 * `<Kind>/<name>.<namespace>`.
 *
 * @example
 * ```ts
 * promotionEventType({ component: "podinfo", from: "staging", to: "production" }); // "HelmRelease/podinfo.staging"
 * ```
 */
export function promotionEventType(pair: PromotionPair): string {
  return `HelmRelease/${pair.component}.${pair.from}`;
}
