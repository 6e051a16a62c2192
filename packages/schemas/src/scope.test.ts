import { describe, expect, it } from "vitest";
import { isClusterScoped } from "./scope.ts";

describe("isClusterScoped", () => {
  it.each([
    ["v1", "Namespace", true],
    ["rbac.authorization.k8s.io/v1", "ClusterRoleBinding", true],
    ["rbac.authorization.k8s.io/v1", "ClusterRole", true],
    ["storage.k8s.io/v1", "StorageClass", true],
    ["apiextensions.k8s.io/v1", "CustomResourceDefinition", true],
    ["rbac.authorization.k8s.io/v1", "RoleBinding", false],
    ["v1", "ConfigMap", false],
    ["apps/v1", "Deployment", false],
    ["helm.toolkit.fluxcd.io/v2", "HelmRelease", false],
    ["kustomize.toolkit.fluxcd.io/v1", "Kustomization", false],
    ["helm.toolkit.fluxcd.io/v2beta2", "HelmRelease", false],
    ["cert-manager.io/v1", "ClusterIssuer", true],
    ["cert-manager.io/v1", "Certificate", false],
  ])("answers %s %s: %s", (apiVersion, kind, expected) => {
    expect(isClusterScoped(apiVersion, kind)).toBe(expected);
  });

  it.each([
    ["monitoring.coreos.com/v1", "ServiceMonitor"],
    ["helm.toolkit.fluxcd.io/v2", "HelmChartRelease"],
    ["v1", "NoSuchKind"],
  ])("does not know %s %s", (apiVersion, kind) => {
    expect(isClusterScoped(apiVersion, kind)).toBeUndefined();
  });
});
