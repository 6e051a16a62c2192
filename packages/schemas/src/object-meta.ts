import type { SchemaProblem } from "./problems.ts";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * Whether `value` is a DNS-1123 label (at most 63 lowercase letters, digits and "-"), as Kubernetes requires of
 * namespace names.
 *
 * @example
 * ```ts
 * isDns1123Label("apps"); // true
 * isDns1123Label("Apps"); // false
 * ```
 */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/**
 * Whether `value` is a DNS-1123 subdomain (dot-separated labels, at most 253 characters), as Kubernetes requires of
 * most object names.
 *
 * @example
 * ```ts
 * isDns1123Subdomain("letsencrypt.staging"); // true
 * ```
 */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

type NameRule = "label" | "dns1035" | "subdomain" | "path-segment";

/**
 * The name rule of the API server per kind (Kubernetes' `ValidateObjectMeta` name functions): namespaces are
 * DNS-1123 labels, Services DNS-1035 labels, RBAC objects path segments; every other built-in kind and every
 * custom resource a DNS-1123 subdomain.
 */
const NAME_RULES: Record<string, NameRule> = {
  "/Namespace": "label",
  "/Service": "dns1035",
  "rbac.authorization.k8s.io/Role": "path-segment",
  "rbac.authorization.k8s.io/ClusterRole": "path-segment",
  "rbac.authorization.k8s.io/RoleBinding": "path-segment",
  "rbac.authorization.k8s.io/ClusterRoleBinding": "path-segment",
};

function nameProblem(kind: string, name: string, rule: NameRule): string | undefined {
  const quoted = JSON.stringify(name);
  switch (rule) {
    case "label":
      return isDns1123Label(name)
        ? undefined
        : `metadata.name: ${quoted} is not a valid ${kind} name: a DNS-1123 label has at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit.`;
    case "dns1035":
      return name.length <= 63 && DNS1035_LABEL.test(name)
        ? undefined
        : `metadata.name: ${quoted} is not a valid ${kind} name: a DNS-1035 label has at most 63 lowercase letters, digits and "-", starting with a letter and ending with a letter or digit.`;
    case "path-segment":
      return name === "." || name === ".." || /[/%]/.test(name)
        ? `metadata.name: ${quoted} is not a valid ${kind} name: it may not be "." or ".." nor contain "/" or "%".`
        : undefined;
    case "subdomain":
      return isDns1123Subdomain(name)
        ? undefined
        : `metadata.name: ${quoted} is not a valid ${kind} name: a DNS-1123 subdomain has at most 253 lowercase letters, digits, "-" and ".", each dot-separated part starting and ending with a letter or digit.`;
  }
}

/** Why `key` is not a qualified name (`[prefix/]name`) for a label or annotation key, or `undefined`. */
function keyProblem(key: string): string | undefined {
  const slash = key.indexOf("/");
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== undefined && !isDns1123Subdomain(prefix))
    return `its prefix "${prefix}" must be a DNS-1123 subdomain of at most 253 characters`;
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return `its name part "${name}" must be 1 to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`;
  }
  return undefined;
}

function escapeSegment(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

/**
 * The checks the API server makes on `metadata` beyond its schema: the name rule of the kind (DNS-1123 label for
 * Namespace, DNS-1035 label for Service, path segment for RBAC kinds, DNS-1123 subdomain for the rest, custom
 * resources included), label and annotation keys (`[DNS-1123 subdomain/]name`, the name at most 63 characters) and
 * label values (at most 63 characters of the same alphabet, or empty). Values of the wrong type are left to the
 * schema.
 *
 * @example
 * ```ts
 * checkObjectMeta({ apiVersion: "v1", kind: "Namespace", metadata: { name: "Apps" } });
 * // [{ path: "/metadata/name", message: 'metadata.name: "Apps" is not a valid Namespace name: ...' }]
 * ```
 */
export function checkObjectMeta(doc: { apiVersion: string; kind: string; metadata?: unknown }): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const metadata = doc.metadata;
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) return problems;
  const meta = metadata as Record<string, unknown>;
  const slash = doc.apiVersion.lastIndexOf("/");
  const group = slash === -1 ? "" : doc.apiVersion.slice(0, slash);
  if (typeof meta.name === "string") {
    const problem = nameProblem(doc.kind, meta.name, NAME_RULES[`${group}/${doc.kind}`] ?? "subdomain");
    if (problem !== undefined) problems.push({ path: "/metadata/name", message: problem });
  }
  if (typeof meta.namespace === "string" && !isDns1123Label(meta.namespace)) {
    problems.push({
      path: "/metadata/namespace",
      message: `metadata.namespace: ${JSON.stringify(meta.namespace)} is not a valid namespace: a DNS-1123 label has at most 63 lowercase letters, digits and "-".`,
    });
  }
  for (const field of ["labels", "annotations"] as const) {
    const map = meta[field];
    if (typeof map !== "object" || map === null || Array.isArray(map)) continue;
    for (const [key, value] of Object.entries(map as Record<string, unknown>)) {
      const path = `/metadata/${field}/${escapeSegment(key)}`;
      const problem = keyProblem(key);
      if (problem !== undefined)
        problems.push({ path, message: `metadata.${field}: the key ${JSON.stringify(key)} is not valid: ${problem}.` });
      if (field === "labels" && typeof value === "string" && value !== "" && (value.length > 63 || !QUALIFIED_NAME.test(value))) {
        problems.push({
          path,
          message: `metadata.labels[${JSON.stringify(key)}]: the value ${JSON.stringify(value)} is not a valid label value: use at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit, or "".`,
        });
      }
    }
  }
  return problems;
}
