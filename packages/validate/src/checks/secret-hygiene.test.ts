import { describe, expect, it } from "vitest";
import { stringifyYaml } from "../yaml-emitter.ts";
import { createSecretCheck } from "./secret-hygiene.ts";

const encrypted = "ENC[AES256_GCM,data:bXk=,iv:aXY=,tag:dGFn,type:str]";

function kubeconfig(user: Record<string, unknown>): string {
  return stringifyYaml({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "spoke", cluster: { server: "https://127.0.0.1:6443" } }],
    users: [{ name: "admin", user }],
    contexts: [{ name: "spoke", context: { cluster: "spoke", user: "admin" } }],
  });
}

function configMap(data: Record<string, string>) {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "access", namespace: "podinfo" }, data };
}

function messages(documents: unknown[]): string[] {
  const check = createSecretCheck();
  check.check(documents, { generated: "deploy/apps/access.yaml" });
  return check.issues.map((issue) => `${issue.where.object} ${issue.where.field ?? ""}: ${issue.message.split(":")[0]}`);
}

describe("createSecretCheck", () => {
  it.each([
    ["a token", { token: "abc" }, "users[0].user.token"],
    ["a client key", { "client-certificate-data": "Y2VydA==", "client-key-data": "a2V5" }, "users[0].user.client-key-data"],
    ["a password", { username: "admin", password: "hunter2" }, "users[0].user.password"],
    [
      "an auth provider's secrets",
      { "auth-provider": { name: "oidc", config: { "client-id": "fleet", "client-secret": "s3cret", "id-token": "eyJ" } } },
      "users[0].user.auth-provider.config.client-secret",
    ],
  ])("finds a kubeconfig with %s in a ConfigMap and names the object and key", (_name, user, credential) => {
    expect(messages([configMap({ kubeconfig: kubeconfig(user) })])[0]).toBe(
      `ConfigMap/podinfo/access data.kubeconfig: data.kubeconfig holds a kubeconfig with credentials (${credential}) in a ConfigMap, which anyone who can read the repository or the object can use`,
    );
  });

  it("finds a kubeconfig written out as an object inside another kind", () => {
    const doc = {
      apiVersion: "example.com/v1",
      kind: "Cluster",
      metadata: { name: "spoke" },
      spec: { access: { users: [{ name: "a", user: { token: "abc" } }] } },
    };
    expect(messages([doc])).toEqual([
      "Cluster/spoke spec.access: spec.access holds a kubeconfig with credentials (users[0].user.token) in a Cluster, which anyone who can read the repository or the object can use",
    ]);
  });

  it("names a kubeconfig inside lists by its indexes, and one at the top of an object by its key", () => {
    const doc = {
      apiVersion: "example.com/v1",
      kind: "Fleet",
      metadata: { name: "spokes" },
      spec: { clusters: [{ name: "a" }, { name: "b", access: [{ kubeconfig: kubeconfig({ token: "abc" }) }] }] },
      users: [{ name: "a", user: { password: "hunter2" } }],
    };
    expect(messages([doc]).map((message) => message.split(":")[0])).toEqual([
      "Fleet/spokes ",
      "Fleet/spokes spec.clusters[1].access[0].kubeconfig",
    ]);
  });

  it.each([
    ["a client certificate without its key", { "client-certificate-data": "Y2VydA==" }],
    ["an exec plugin", { exec: { apiVersion: "client.authentication.k8s.io/v1", command: "aws" } }],
  ])("accepts a kubeconfig with %s", (_name, user) => {
    expect(messages([configMap({ kubeconfig: kubeconfig(user) })])).toEqual([]);
  });

  it("finds a plain Secret inside a List, and one whose SOPS encryption left a value in clear", () => {
    const secret = (name: string, stringData: Record<string, string>, sops?: object) => ({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name, namespace: "podinfo" },
      stringData,
      ...(sops ? { sops } : {}),
    });
    expect(
      messages([
        { apiVersion: "v1", kind: "List", items: [{ apiVersion: "v1", kind: "SecretList", items: [secret("listed", { a: "b" })] }] },
        secret("half", { user: encrypted, password: "hunter2" }, { version: "3.9.0" }),
        secret("sealed", { user: encrypted, password: encrypted }, { version: "3.9.0" }),
      ]),
    ).toEqual(["Secret/podinfo/listed : A plain Secret is committed to Git", "Secret/podinfo/half : A plain Secret is committed to Git"]);
  });

  it("reports a secret once, however many files and builds hold it", () => {
    const check = createSecretCheck();
    const doc = configMap({ kubeconfig: kubeconfig({ token: "abc" }) });
    check.check([doc], { generated: "deploy/apps/access.yaml" });
    check.check([{ ...doc, metadata: { name: "access", namespace: "staging" } }], { generated: "clusters/staging/apps" });
    expect(check.issues).toHaveLength(1);
  });
});
