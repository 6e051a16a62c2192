import { describe, expect, it } from "vitest";
import { isSopsEncrypted, withoutSops } from "./sops.ts";

const encrypted = "ENC[AES256_GCM,data:Tr7o1Xw=,iv:1=,tag:2=,type:str]";

describe("isSopsEncrypted", () => {
  it.each([
    ["sops metadata and an ENC value", { kind: "Secret", stringData: { a: encrypted }, sops: { version: "3.9.0" } }, true],
    ["an ENC value in a list", { kind: "ConfigMap", data: { a: [encrypted] }, sops: { mac: encrypted } }, true],
    ["no sops metadata", { kind: "Secret", stringData: { a: encrypted } }, false],
    ["sops metadata but no ENC value", { kind: "Secret", stringData: { a: "plain" }, sops: { version: "3.9.0" } }, false],
    ["an ENC value only in the sops metadata", { kind: "Secret", data: {}, sops: { mac: encrypted } }, false],
    ["a sops field that is not a mapping", { kind: "Secret", stringData: { a: encrypted }, sops: "yes" }, false],
    ["not an object", encrypted, false],
    [
      "a Secret with one plaintext value among encrypted ones",
      { kind: "Secret", stringData: { user: encrypted, password: "hunter2" }, sops: { version: "3.9.0" } },
      false,
    ],
    [
      "a Secret whose data is plaintext and only a label is encrypted",
      { kind: "Secret", metadata: { labels: { a: encrypted } }, data: { p: "aHVudGVyMg==" }, sops: { version: "3.9.0" } },
      false,
    ],
    [
      "a Secret with every data and stringData value encrypted",
      { kind: "Secret", data: { a: encrypted }, stringData: { b: encrypted }, sops: { version: "3.9.0" } },
      true,
    ],
  ])("with %s: %s", (_name, doc, expected) => {
    expect(isSopsEncrypted(doc)).toBe(expected);
  });
});

describe("withoutSops", () => {
  it("drops the sops metadata and stands in an empty value of the recorded type for each ENC value", () => {
    const doc = {
      kind: "Secret",
      data: { s: encrypted, n: "ENC[AES256_GCM,data:MQ==,type:int]", b: "ENC[AES256_GCM,data:dHJ1ZQ==,type:bool]" },
      stringData: { plain: "kept" },
      sops: { version: "3.9.0" },
    };
    expect(withoutSops(doc)).toEqual({ kind: "Secret", data: { s: "", n: 0, b: false }, stringData: { plain: "kept" } });
  });

  it("returns an object that is not encrypted as it is", () => {
    const doc = { kind: "Secret", stringData: { a: "plain" }, sops: { version: "3.9.0" } };
    expect(withoutSops(doc)).toBe(doc);
  });
});
