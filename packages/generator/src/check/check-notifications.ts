import {
  ALERT_SETTINGS_KEYS,
  ALERT_SOURCE_KINDS,
  PROMOTION_PAIR_KEYS,
  PROMOTION_SETTINGS_KEYS,
  type Cluster,
  type Fleet,
} from "@flux-fleet/fleet";
import type { DefinitionSite } from "@flux-fleet/models";
import type { Issue, Where } from "@flux-fleet/validate";
import { locate, type RenderContext } from "../fleet/locate.ts";
import { checkDns1123Subdomain, describeValue } from "./rules.ts";
import { unknownKeyMessage } from "./unknown-keys.ts";

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * `defineFleet({ alerts, promotion })`: known keys, Secret names, severities and sources; every promotion pair
 * names two different clusters of the fleet and a Helm component both of them run.
 *
 * @example
 * ```ts
 * const issues = checkNotifications(fleet, { root, entry: "fleet/fleet.ts" });
 * ```
 */
export function checkNotifications(fleet: Fleet, context: RenderContext): Issue[] {
  const issues: Issue[] = [];
  const where: Where = locate(context, (fleet as Fleet & { definedAt?: DefinitionSite }).definedAt);
  const error = (field: string, message: string, extra: Where = {}) =>
    issues.push({ severity: "error", message, where: { ...where, ...extra, field } });
  const keys = (value: Loose, known: readonly string[], what: string, prefix: string) => {
    for (const key of Object.keys(value)) if (!known.includes(key)) error(`${prefix}.${key}`, unknownKeyMessage(key, what, known));
  };

  const alerts: unknown = fleet.alerts;
  if (alerts !== undefined) {
    if (!isObject(alerts)) error("alerts", `must be { type, secretRef, … }, got ${describeValue(alerts)}.`);
    else {
      keys(alerts, ALERT_SETTINGS_KEYS, "alerts option", "alerts");
      if (typeof alerts["type"] !== "string" || alerts["type"] === "")
        error("alerts.type", `must be a notification provider type such as "slack" or "msteams", got ${describeValue(alerts["type"])}.`);
      const secret = checkDns1123Subdomain(alerts["secretRef"], "a Secret name");
      if (secret) error("alerts.secretRef", secret);
      if (alerts["name"] !== undefined) {
        const name = checkDns1123Subdomain(alerts["name"], "a Provider and Alert name");
        if (name) error("alerts.name", name);
      }
      if (alerts["severity"] !== undefined && alerts["severity"] !== "info" && alerts["severity"] !== "error")
        error("alerts.severity", `must be "info" or "error", got ${describeValue(alerts["severity"])}.`);
      const sources = alerts["sources"];
      if (
        sources !== undefined &&
        (!Array.isArray(sources) || sources.length === 0 || sources.some((s) => !ALERT_SOURCE_KINDS.includes(s as never)))
      )
        error(
          "alerts.sources",
          `must be a non-empty list of ${ALERT_SOURCE_KINDS.map((k) => `"${k}"`).join(" and ")}, got ${describeValue(sources)}.`,
        );
    }
  }

  const promotion: unknown = fleet.promotion;
  if (promotion === undefined) return issues;
  if (!isObject(promotion)) {
    error("promotion", `must be { repository, secretRef, pairs }, got ${describeValue(promotion)}.`);
    return issues;
  }
  keys(promotion, PROMOTION_SETTINGS_KEYS, "promotion option", "promotion");
  if (typeof promotion["repository"] !== "string" || !/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/.test(promotion["repository"]))
    error(
      "promotion.repository",
      `must be the GitHub repository to dispatch to, "https://github.com/<owner>/<repo>", got ${describeValue(promotion["repository"])}.`,
    );
  const secret = checkDns1123Subdomain(promotion["secretRef"], "a Secret name");
  if (secret) error("promotion.secretRef", secret);
  const file = promotion["versionsFile"];
  if (file !== undefined && (typeof file !== "string" || !file.endsWith(".json") || file.startsWith("/") || file.split("/").includes("..")))
    error(
      "promotion.versionsFile",
      `must be a .json file inside the repository, such as "fleet/versions.json", got ${describeValue(file)}.`,
    );
  const pairs = promotion["pairs"];
  if (!Array.isArray(pairs)) {
    error("promotion.pairs", `must be a list of { component, from, to }, got ${describeValue(pairs)}.`);
    return issues;
  }
  const clusters = new Map((fleet.clusters as readonly Cluster[]).map((cluster) => [cluster.name, cluster]));
  const seen = new Set<string>();
  pairs.forEach((pair: unknown, i) => {
    const field = `promotion.pairs[${i}]`;
    if (!isObject(pair)) {
      error(field, `must be { component, from, to }, got ${describeValue(pair)}.`);
      return;
    }
    keys(pair, PROMOTION_PAIR_KEYS, "promotion pair option", field);
    const { component, from, to } = pair;
    for (const [key, value] of Object.entries({ from, to }))
      if (typeof value !== "string" || !clusters.has(value))
        error(
          `${field}.${key}`,
          `Cluster ${describeValue(value)} is not in the fleet: use one of ${[...clusters.keys()].map((n) => JSON.stringify(n)).join(", ")}.`,
        );
    if (from === to)
      error(`${field}.to`, `Promotes ${describeValue(component)} from "${String(from)}" to itself: name two different clusters.`);
    for (const name of [from, to]) {
      const cluster = typeof name === "string" ? clusters.get(name) : undefined;
      if (!cluster) continue;
      const found = cluster.profile.components.find((c) => c.name === component);
      if (!found || found.type !== "helm")
        error(
          `${field}.component`,
          `Cluster "${cluster.name}" runs no Helm component ${describeValue(component)}: promotion pins chart versions, so name a Helm component both clusters run.`,
          { component: typeof component === "string" ? component : undefined },
        );
    }
    const key = `${String(component)}\0${String(from)}\0${String(to)}`;
    if (seen.has(key))
      error(field, `Promotes ${describeValue(component)} from "${String(from)}" to "${String(to)}" twice: list each pair once.`);
    seen.add(key);
  });
  return issues;
}
