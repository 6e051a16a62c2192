import { isMapping } from "@flux-fleet/schemas";
import { isSopsEncrypted } from "@flux-fleet/schemas";
import type { Issue, Where } from "../errors.ts";
import { parseYamlDocuments } from "../yaml-emitter.ts";
import { describeDocument, isKubeDocument, unwrapLists } from "../spoke-view/kube-document.ts";

// The fields of a kubeconfig user that hold a credential (a client certificate alone is public; its key is not).
const USER_CREDENTIALS = ["token", "client-key-data", "password"];
const AUTH_PROVIDER_CREDENTIALS = ["client-secret", "id-token", "refresh-token", "access-token"];

/** The credential fields of a kubeconfig (an object with `users`), as `users[0].user.token`. */
function kubeconfigCredentials(config: unknown): string[] {
  if (!isMapping(config) || !Array.isArray(config["users"])) return [];
  const found: string[] = [];
  (config["users"] as unknown[]).forEach((entry, i) => {
    const user = isMapping(entry) ? entry["user"] : undefined;
    if (!isMapping(user)) return;
    for (const key of USER_CREDENTIALS) if (typeof user[key] === "string" && user[key] !== "") found.push(`users[${i}].user.${key}`);
    const provider = isMapping(user["auth-provider"]) ? user["auth-provider"]["config"] : undefined;
    if (isMapping(provider))
      for (const key of AUTH_PROVIDER_CREDENTIALS)
        if (typeof provider[key] === "string" && provider[key] !== "") found.push(`users[${i}].user.auth-provider.config.${key}`);
  });
  return found;
}

/** A field's dotted path (`data.kubeconfig`, `items[0]`), from its keys and list indexes. */
function fieldPath(segments: readonly (string | number)[]): string {
  let path = "";
  for (const segment of segments) path = typeof segment === "number" ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment;
  return path;
}

/**
 * Where in an object a kubeconfig with credentials sits (`data.kubeconfig`), and which credential. The path is kept
 * as segments and joined only for what is found: every field of every object is visited.
 */
function findKubeconfigs(
  value: unknown,
  segments: (string | number)[],
  found: Array<{ field: string; credential: string; value: string }>,
): void {
  if (typeof value === "string") {
    // Only text that could be a kubeconfig with a credential is parsed.
    if (!value.includes("users") || !/token|client-key-data|password|client-secret/.test(value)) return;
    for (const document of parseYamlDocuments(value).documents)
      for (const credential of kubeconfigCredentials(document)) found.push({ field: fieldPath(segments), credential, value });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      segments.push(i);
      findKubeconfigs(item, segments, found);
      segments.pop();
    });
    return;
  }
  if (!isMapping(value)) return;
  for (const credential of kubeconfigCredentials(value))
    found.push({ field: fieldPath(segments), credential, value: JSON.stringify(value) });
  for (const [key, item] of Object.entries(value)) {
    segments.push(key);
    findKubeconfigs(item, segments, found);
    segments.pop();
  }
}

/**
 * Finds secrets committed in clear: a Secret that SOPS has not encrypted (every value under `data` and
 * `stringData`), and a kubeconfig with credentials (a token, a client key, a password, an auth provider's
 * secrets) in any other object, such as a ConfigMap. `List`s are unwrapped. Each secret is reported once,
 * however many files and builds it appears in.
 *
 * @example
 * ```ts
 * const secrets = createSecretCheck();
 * secrets.check(documents, { generated: "hub/leak.yaml" });
 * secrets.issues; // [{ severity: "error", message: "A plain Secret is committed to Git: …", … }]
 * ```
 */
export function createSecretCheck(reported = new Set<string>()) {
  const issues: Issue[] = [];
  return {
    issues,
    /** Fingerprints of what was reported, so another check can skip the same secret. */
    reported,
    check(documents: readonly unknown[], where: Where): void {
      for (const doc of unwrapLists(documents)) {
        if (!isKubeDocument(doc)) continue;
        const object = describeDocument(doc);
        if (doc.kind === "Secret") {
          const fingerprint = `Secret\0${JSON.stringify([doc["data"], doc["stringData"]])}`;
          if (isSopsEncrypted(doc) || reported.has(fingerprint)) continue;
          reported.add(fingerprint);
          issues.push({
            severity: "error",
            message:
              "A plain Secret is committed to Git: encrypt it with SOPS, every value under data and stringData (Flux decrypts it with spec.decryption), or create it out of band.",
            where: { ...where, object },
          });
          continue;
        }
        const { apiVersion: _apiVersion, kind: _kind, metadata: _metadata, ...content } = doc;
        const found: Array<{ field: string; credential: string; value: string }> = [];
        findKubeconfigs(content, [], found);
        for (const { field, credential, value } of found) {
          const fingerprint = `kubeconfig\0${credential}\0${value}`;
          if (reported.has(fingerprint)) continue;
          reported.add(fingerprint);
          issues.push({
            severity: "error",
            message: `${field ? `${field} holds` : "Holds"} a kubeconfig with credentials (${credential}) in a ${doc.kind}, which anyone who can read the repository or the object can use: keep kubeconfigs in SOPS-encrypted Secrets only.`,
            where: { ...where, object, ...(field ? { field } : {}) },
          });
        }
      }
    },
  };
}
