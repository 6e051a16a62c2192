import { describe, expect, it } from "vitest";
import { checkComponentFile, checkObjectName } from "./check-manifests.ts";

describe("checkComponentFile", () => {
  it.each([undefined, "redis.yaml", "redis-values_2.yaml"])("accepts %j", (file) => {
    expect(checkComponentFile(file, "apps", "redis")).toBeUndefined();
  });

  it.each([
    ["kustomization.yaml", "is the name of deploy/apps/'s own kustomization file"],
    ["kustomization.yml", "is the name of deploy/apps/'s own kustomization file"],
    ["Kustomization", "is the name of deploy/apps/'s own kustomization file"],
    ["../x.yaml", "is a path"],
    ["/etc/x.yaml", "is a path"],
    ["sub/x.yaml", "is a path"],
    ["sub\\x.yaml", "is a path"],
    ["redis.yml", "is not a YAML file name"],
    ["redis.json", "is not a YAML file name"],
    [".yaml", "is not a YAML file name"],
    ["re dis.yaml", "is not a YAML file name"],
    [5, 'must be a file name such as "redis.yaml", got number 5.'],
  ])("refuses %j", (file, message) => {
    expect(checkComponentFile(file, "apps", "redis")).toContain(message);
  });
});

describe("checkObjectName", () => {
  it.each([
    ["ConfigMap", "settings.v1"],
    ["Namespace", "cache"],
    ["ClusterRole", "system:aggregate-to-view"],
    ["ClusterIssuer", "letsencrypt"],
  ])("accepts a %s named %j", (kind, name) => {
    expect(checkObjectName(kind, name)).toBeUndefined();
  });

  it.each([
    ["ConfigMap", "a/b", 'contains "/"'],
    ["ClusterRole", "a/b", 'contains "/"'],
    ["Secret", "100%", 'contains "%"'],
    ["Role", "..", "is not an object name"],
    ["ConfigMap", "Settings", "is not a valid DNS-1123 subdomain for a ConfigMap name"],
    ["Namespace", "team.tools", "is not a valid DNS-1123 label for a Namespace name"],
    ["Service", "web.internal", "is not a valid DNS-1123 label for a Service name"],
  ])("refuses a %s named %j", (kind, name, message) => {
    expect(checkObjectName(kind, name)).toContain(message);
  });
});
