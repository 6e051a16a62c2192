import { isClusterScoped } from "@flux-fleet/schemas";
import type { Issue, Where } from "../errors.ts";
import { describeDocument, type KubeDocument } from "../spoke-view/kube-document.ts";
import { HUB_SIDE_KINDS, LAYER_ORDER, type ClusterFacts, type Spoke, type SpokeLayer } from "../spoke-view/spoke-model.ts";
import { pinningProblem } from "../spoke-view/pinning.ts";

type KubeConfigRef = { secretRef?: { name?: string }; configMapRef?: { name?: string } };

/** How an object reaches its spoke: `Secret/<name>` or `ConfigMap/<name>` (workload identity); undefined without kubeConfig. */
function accessOf(kubeConfig: KubeConfigRef | undefined): string | undefined {
  if (kubeConfig?.configMapRef?.name) return `ConfigMap/${kubeConfig.configMapRef.name}`;
  if (kubeConfig?.secretRef?.name) return `Secret/${kubeConfig.secretRef.name}`;
  return undefined;
}

function describeAccess(access: string): string {
  const [kind, name] = [access.slice(0, access.indexOf("/")), access.slice(access.indexOf("/") + 1)];
  return kind === "Secret" ? `kubeconfig Secret "${name}"` : `workload-identity ConfigMap "${name}"`;
}

function accessField(access: string): string {
  return access.startsWith("Secret/") ? "spec.kubeConfig.secretRef.name" : "spec.kubeConfig.configMapRef.name";
}

/** The message for an object whose access is not the spoke's; two Secrets keep the wording users know. */
function accessMismatch(actual: string, expected: string, spoke: string): string {
  if (actual.startsWith("Secret/") && expected.startsWith("Secret/"))
    return `Uses kubeconfig Secret "${actual.slice(7)}" but the spoke's Secret is "${expected.slice(7)}": use one Secret per spoke (key "value", in namespace "${spoke}" on the hub).`;
  return `Uses ${describeAccess(actual)} but spoke "${spoke}" is reached through ${describeAccess(expected)}: every layer and HelmRelease of a spoke uses the spoke's access.`;
}

/** Everything on the hub that spoke checks resolve references against. */
export interface HubIndex {
  /** `namespace/name` of every Flux Kustomization on the hub. */
  kustomizations: Set<string>;
  /** `Kind/namespace/name` of the sources that exist on the hub outside the spokes' layers (bootstrap's). */
  sources: Set<string>;
  /** The data of the ConfigMaps in the hub files, by `namespace/name` (workload-identity access). */
  configMaps: Map<string, Record<string, unknown>>;
}

interface HelmReleaseSpec {
  serviceAccountName?: string;
  targetNamespace?: string;
  storageNamespace?: string;
  kubeConfig?: KubeConfigRef;
  dependsOn?: Array<{ name?: string; namespace?: string }>;
  chart?: { spec?: { version?: string; sourceRef?: { kind?: string; name?: string; namespace?: string } } };
  chartRef?: { kind?: string; name?: string; namespace?: string };
  install?: { crds?: string };
  upgrade?: { crds?: string };
}

function specOf(doc: KubeDocument): HelmReleaseSpec {
  return doc["spec"] ?? {};
}

/**
 * The Flux semantics of one spoke that only fail at run time: dependsOn and sourceRef resolution and
 * the layer order, kubeconfig Secret and identity of every release, postBuild variables, tenancy, and
 * chart ranges on production (plain Secrets are checked by secret-hygiene.ts, in every file).
 *
 * @example
 * ```ts
 * const issues = checkSpoke(spoke, hubIndex, facts);
 * ```
 */
export function checkSpoke(spoke: Spoke, hub: HubIndex, facts: ClusterFacts | undefined): Issue[] {
  const issues: Issue[] = [];
  const at = (layer: SpokeLayer, object?: string, field?: string): Where => ({
    cluster: spoke.name,
    generated: object ? layer.dir : layer.kustomization.file,
    object: object ?? describeDocument(layer.kustomization.doc),
    ...(field ? { field } : {}),
  });
  const error = (where: Where, message: string) => issues.push({ severity: "error", message, where });
  const byName = new Map(spoke.layers.map((layer) => [layer.kustomization.doc.metadata.name, layer]));

  checkDependencies(spoke, hub, byName, at, error);

  const spokeAccess = new Set<string>();
  for (const layer of spoke.layers) {
    const access = accessOf(layer.kustomization.spec.kubeConfig);
    if (access) spokeAccess.add(access);
    const source = layer.kustomization.spec.sourceRef;
    if (source && !hub.sources.has(`${source.kind}/${source.namespace ?? spoke.name}/${source.name}`)) {
      error(
        at(layer, undefined, "spec.sourceRef"),
        `${source.kind} "${source.namespace ?? spoke.name}/${source.name}" does not exist on the hub: point sourceRef at the repository Flux syncs (flux-system/flux-system after bootstrap).`,
      );
    }
    if (layer.buildError) error(at(layer, undefined, "spec.path"), layer.buildError);
  }
  const factsAccess = facts ? (facts.configMap ? `ConfigMap/${facts.configMap}` : `Secret/${facts.kubeconfigSecret}`) : undefined;
  const expectedAccess = factsAccess ?? [...spokeAccess][0];
  if (spokeAccess.size > 1 || (factsAccess && spokeAccess.size === 1 && !spokeAccess.has(factsAccess))) {
    for (const layer of spoke.layers) {
      const access = accessOf(layer.kustomization.spec.kubeConfig);
      if (access && expectedAccess && access !== expectedAccess)
        error(at(layer, undefined, accessField(access)), accessMismatch(access, expectedAccess, spoke.name));
    }
  }
  for (const access of new Set([...spokeAccess, ...(expectedAccess ? [expectedAccess] : [])])) {
    if (!access.startsWith("ConfigMap/")) continue;
    const layer = spoke.layers.find((l) => accessOf(l.kustomization.spec.kubeConfig) === access) ?? spoke.layers[0];
    if (layer)
      checkAccessConfigMap(access.slice("ConfigMap/".length), spoke, hub, at(layer, undefined, "spec.kubeConfig.configMapRef"), error);
  }

  const hubSide = spoke.layers.filter((layer) => layer.appliesTo === "hub");
  const spokeSide = spoke.layers.filter((layer) => layer.appliesTo === "spoke");
  const hubObjects = new Set(
    hubSide
      .flatMap((layer) => layer.applied?.objects ?? [])
      .map((doc) => `${doc.kind}/${doc.metadata.namespace ?? spoke.name}/${doc.metadata.name}`),
  );
  const rbac = collectRbac(spokeSide.flatMap((layer) => layer.applied?.objects ?? []));

  for (const layer of spoke.layers) {
    for (const { object, variable } of layer.applied?.unsubstituted ?? []) {
      const from = layer.kustomization.spec.postBuild?.substituteFrom;
      issues.push({
        severity: from && from.length > 0 ? "warning" : "error",
        message: `\${${variable}} is not set by postBuild.substitute of Kustomization "${layer.kustomization.doc.metadata.name}"${from && from.length > 0 ? " (it may come from substituteFrom, which validate cannot read)" : ""}: add it there or give it a default, \${${variable}:=value}.`,
        where: at(layer, object),
      });
    }
    for (const problem of layer.applied?.patchProblems ?? []) error(at(layer, undefined, "spec.patches"), problem);

    const impersonated = layer.appliesTo === "spoke" ? layer.kustomization.spec.serviceAccountName : undefined;
    for (const doc of layer.applied?.objects ?? []) {
      const object = describeDocument(doc);
      if (impersonated)
        checkRestrictedObject(doc, object, `${spoke.name}/${impersonated}`, rbac, (message) => error(at(layer, object), message));
      if (layer.appliesTo === "hub" && !HUB_SIDE_KINDS.has(doc.kind)) {
        error(
          at(layer, object),
          `${doc.kind} is applied to the hub, not to spoke "${spoke.name}": this Kustomization has no kubeConfig; ship it in a layer that applies to the spoke.`,
        );
      }
      if (layer.appliesTo === "spoke" && (doc.kind === "HelmRelease" || doc.apiVersion.startsWith("source.toolkit.fluxcd.io/"))) {
        error(
          at(layer, object),
          `${doc.kind} is applied to spoke "${spoke.name}", where no Flux runs: put it in a layer without kubeConfig, whose HelmReleases the hub installs onto the spoke.`,
        );
      }
      if (doc.kind !== "HelmRelease" || layer.appliesTo !== "hub") continue;
      checkRelease(doc, object, spoke, layer, { expectedAccess, hubObjects, rbac, facts }, at, issues);
    }
  }
  return issues;
}

function checkDependencies(
  spoke: Spoke,
  hub: HubIndex,
  byName: Map<string, SpokeLayer>,
  at: (layer: SpokeLayer, object?: string, field?: string) => Where,
  error: (where: Where, message: string) => void,
): void {
  for (const layer of spoke.layers) {
    for (const [i, dependency] of (layer.kustomization.spec.dependsOn ?? []).entries()) {
      const namespace = dependency.namespace ?? spoke.name;
      if (!dependency.name || !hub.kustomizations.has(`${namespace}/${dependency.name}`)) {
        error(
          at(layer, undefined, `spec.dependsOn[${i}]`),
          `Depends on Kustomization "${namespace}/${dependency.name ?? ""}", which does not exist on the hub: Flux would wait for it forever.`,
        );
      }
    }
  }
  // Cycles among the spoke's own Kustomizations.
  const state = new Map<string, "visiting" | "done">();
  const reported = new Set<string>();
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting") {
      const cycle = [...path.slice(path.indexOf(name)), name];
      const key = [...cycle].sort().join(",");
      const layer = byName.get(name);
      if (layer && !reported.has(key)) {
        reported.add(key);
        error(
          at(layer, undefined, "spec.dependsOn"),
          `dependsOn forms a cycle: ${cycle.join(" → ")}; Flux would never reconcile these Kustomizations.`,
        );
      }
      return;
    }
    state.set(name, "visiting");
    for (const dependency of byName.get(name)?.kustomization.spec.dependsOn ?? []) {
      if ((dependency.namespace ?? spoke.name) === spoke.name && dependency.name && byName.has(dependency.name))
        visit(dependency.name, [...path, name]);
    }
    state.set(name, "done");
  };
  for (const name of byName.keys()) visit(name, []);

  const reaches = (from: string, to: string, seen = new Set<string>()): boolean => {
    if (seen.has(from)) return false;
    seen.add(from);
    return (byName.get(from)?.kustomization.spec.dependsOn ?? []).some(
      (d) => (d.namespace ?? spoke.name) === spoke.name && (d.name === to || (d.name !== undefined && reaches(d.name, to, seen))),
    );
  };
  for (let i = 1; i < LAYER_ORDER.length; i++) {
    const [before, after] = [LAYER_ORDER[i - 1]!, LAYER_ORDER[i]!];
    const layer = byName.get(after);
    if (layer && byName.has(before) && !reaches(after, before)) {
      error(
        at(layer, undefined, "spec.dependsOn"),
        `"${after}" does not depend on "${before}", so it can start before ${before} is ready: add dependsOn: [{ name: ${before} }] to keep the order ${LAYER_ORDER.join(" → ")}.`,
      );
    }
  }
}

/** A layer applied as a restricted identity may only create namespaced objects in the namespaces it is bound in. */
function checkRestrictedObject(doc: KubeDocument, object: string, account: string, rbac: Rbac, error: (message: string) => void): void {
  if (rbac.clusterWide.has(account)) return;
  const allowed = rbac.namespaces.get(account) ?? new Set<string>();
  if (doc.kind === "CustomResourceDefinition" || isClusterScoped(doc.apiVersion, doc.kind) === true) {
    error(
      `${object} is cluster-scoped but is applied as the restricted identity "${account}": cluster-scoped kinds and CRDs go through the cluster-admin identity only.`,
    );
  } else if (!allowed.has(doc.metadata.namespace ?? "default")) {
    error(
      `${object} lands in namespace "${doc.metadata.namespace ?? "default"}", where the restricted identity "${account}" is not bound.`,
    );
  }
}

interface Rbac {
  /** `namespace/name` of ServiceAccounts the spoke layers create. */
  serviceAccounts: Set<string>;
  /** ServiceAccounts bound cluster-wide. */
  clusterWide: Set<string>;
  /** ServiceAccount → namespaces it is bound in by RoleBindings. */
  namespaces: Map<string, Set<string>>;
}

function collectRbac(objects: readonly KubeDocument[]): Rbac {
  const rbac: Rbac = { serviceAccounts: new Set(), clusterWide: new Set(), namespaces: new Map() };
  for (const doc of objects) {
    if (doc.kind === "ServiceAccount") rbac.serviceAccounts.add(`${doc.metadata.namespace ?? "default"}/${doc.metadata.name}`);
    if (doc.kind !== "RoleBinding" && doc.kind !== "ClusterRoleBinding") continue;
    const subjects = (doc["subjects"] ?? []) as Array<{ kind?: string; name?: string; namespace?: string }>;
    for (const subject of subjects) {
      if (subject.kind !== "ServiceAccount") continue;
      const account = `${subject.namespace ?? doc.metadata.namespace ?? "default"}/${subject.name}`;
      if (doc.kind === "ClusterRoleBinding") rbac.clusterWide.add(account);
      else rbac.namespaces.set(account, new Set([...(rbac.namespaces.get(account) ?? []), doc.metadata.namespace ?? "default"]));
    }
  }
  return rbac;
}

function checkRelease(
  doc: KubeDocument,
  object: string,
  spoke: Spoke,
  layer: SpokeLayer,
  context: { expectedAccess: string | undefined; hubObjects: Set<string>; rbac: Rbac; facts: ClusterFacts | undefined },
  at: (layer: SpokeLayer, object?: string, field?: string) => Where,
  issues: Issue[],
): void {
  const error = (field: string, message: string, severity: Issue["severity"] = "error") =>
    issues.push({ severity, message, where: at(layer, object, field) });
  const spec = specOf(doc);
  const namespace = doc.metadata.namespace ?? spoke.name;
  const access = accessOf(spec.kubeConfig);
  if (!access)
    error(
      "spec.kubeConfig",
      `Has no kubeConfig, so helm-controller would install it onto the hub instead of spoke "${spoke.name}": patch kubeConfig.secretRef (or configMapRef) into it from the hub Kustomization.`,
    );
  else if (context.expectedAccess && access !== context.expectedAccess)
    error(
      accessField(access),
      access.startsWith("Secret/") && context.expectedAccess.startsWith("Secret/")
        ? `Uses kubeconfig Secret "${access.slice(7)}" but spoke "${spoke.name}" uses "${context.expectedAccess.slice(7)}".`
        : accessMismatch(access, context.expectedAccess, spoke.name),
    );

  for (const [i, dependency] of (spec.dependsOn ?? []).entries()) {
    if (!context.hubObjects.has(`HelmRelease/${dependency.namespace ?? namespace}/${dependency.name}`)) {
      error(
        `spec.dependsOn[${i}]`,
        `Depends on HelmRelease "${dependency.namespace ?? namespace}/${dependency.name}", which no layer of spoke "${spoke.name}" creates.`,
      );
    }
  }
  const source = spec.chart?.spec?.sourceRef ?? spec.chartRef;
  if (!source) error("spec.chart", "Has neither chart.spec nor chartRef: Flux cannot tell which chart to install.");
  else if (!context.hubObjects.has(`${source.kind}/${source.namespace ?? namespace}/${source.name}`)) {
    error(
      spec.chartRef ? "spec.chartRef" : "spec.chart.spec.sourceRef",
      `Its chart source ${source.kind} "${source.namespace ?? namespace}/${source.name}" is not created by any layer of spoke "${spoke.name}".`,
    );
  }

  const version = spec.chart?.spec?.version;
  if (context.facts?.production && context.facts.checkPinning !== false) {
    const problem = pinningProblem(spoke.name, context.facts.pinning, version);
    if (problem) error("spec.chart.spec.version", problem.message, problem.severity);
  }

  const account = spec.serviceAccountName;
  if (!account) {
    error(
      "spec.serviceAccountName",
      `Has no serviceAccountName, so it would install with the full rights of the kubeconfig: patch in a tenant identity from the hub Kustomization.`,
    );
    return;
  }
  const key = `${namespace}/${account}`;
  if (!context.rbac.serviceAccounts.has(key)) {
    error(
      "spec.serviceAccountName",
      `Runs as ServiceAccount "${account}", which the tenants layer of spoke "${spoke.name}" does not create in namespace "${namespace}".`,
    );
    return;
  }
  if (context.rbac.clusterWide.has(key)) return;
  const allowed = context.rbac.namespaces.get(key) ?? new Set<string>();
  for (const field of ["targetNamespace", "storageNamespace"] as const) {
    const target = spec[field] ?? namespace;
    if (!allowed.has(target)) {
      error(
        `spec.${field}`,
        `Runs as the restricted identity "${account}", which is bound only in ${[...allowed].map((n) => `"${n}"`).join(", ") || "no namespace"}, but targets "${target}": move the release to its tenant's namespace or give the namespace to the tenant.`,
      );
    }
  }
  for (const action of ["install", "upgrade"] as const) {
    const crds = spec[action]?.crds;
    if (crds === "Create" || crds === "CreateReplace") {
      error(
        `spec.${action}.crds`,
        `Installs CRDs (${crds}) as the restricted identity "${account}": CRDs are cluster-scoped, so ship this chart in an infra layer that runs as the cluster admins.`,
      );
    }
  }
}

const PROVIDERS = ["aws", "azure", "gcp", "generic"];

/**
 * The workload-identity ConfigMap a spoke's kubeConfig names: it exists in the spoke's hub namespace (Flux
 * reads it from there) and holds the keys its provider needs (`provider`; `address` for generic; `cluster`
 * for a cloud provider unless `address` and `ca.crt` are given).
 */
function checkAccessConfigMap(
  name: string,
  spoke: Spoke,
  hub: HubIndex,
  where: Where,
  error: (where: Where, message: string) => void,
): void {
  const data = hub.configMaps.get(`${spoke.name}/${name}`);
  if (!data) {
    error(
      where,
      `The workload-identity ConfigMap "${spoke.name}/${name}" does not exist on the hub: Flux reads kubeConfig.configMapRef from the spoke's namespace; define the spoke's access with defineCluster({ access: { provider, … } }) so gen writes it.`,
    );
    return;
  }
  const at = { ...where, object: `ConfigMap/${spoke.name}/${name}` };
  const provider = data["provider"];
  if (typeof provider !== "string" || !PROVIDERS.includes(provider)) {
    error(
      { ...at, field: "data.provider" },
      `${provider === undefined ? "Has no provider" : `Names the provider ${JSON.stringify(provider)}`}: Flux needs one of ${PROVIDERS.map((p) => `"${p}"`).join(", ")}.`,
    );
    return;
  }
  const has = (key: string) => typeof data[key] === "string" && data[key] !== "";
  if (provider === "generic" && !has("address"))
    error({ ...at, field: "data.address" }, `The generic provider needs the API server's address: add data.address ("https://…").`);
  if (provider !== "generic" && !has("cluster") && !(has("address") && has("ca.crt")))
    error(
      { ...at, field: "data.cluster" },
      `The ${provider} provider needs data.cluster (the cluster's resource name in the cloud API) unless both data.address and data.ca.crt are given.`,
    );
}
