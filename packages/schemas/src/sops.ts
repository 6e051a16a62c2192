import { isMapping } from "./mapping.ts";

/** A value that SOPS encrypted: `ENC[AES256_GCM,data:…,iv:…,tag:…,type:str]`. */
const ENCRYPTED_VALUE = /^ENC\[[A-Z0-9_]+,data:.*\]$/s;
const ENCRYPTED_TYPE = /,type:(str|int|float|bool|bytes|comment)\]$/;

function containsEncryptedValue(value: unknown): boolean {
  if (typeof value === "string") return ENCRYPTED_VALUE.test(value);
  if (Array.isArray(value)) return value.some(containsEncryptedValue);
  if (isMapping(value)) return Object.values(value).some(containsEncryptedValue);
  return false;
}

/** Every value under a Secret's `data` and `stringData` is an `ENC[…]` string (true when there are none). */
function secretValuesEncrypted(doc: Record<string, unknown>): boolean {
  return ["data", "stringData"].every((field) => {
    const values = doc[field];
    if (values === undefined || values === null) return true;
    return isMapping(values) && Object.values(values).every((value) => typeof value === "string" && ENCRYPTED_VALUE.test(value));
  });
}

/**
 * Whether a parsed Kubernetes object is a SOPS-encrypted file: it has a top-level `sops` metadata object and at
 * least one `ENC[…]` value, and, for a `Secret`, every value under `data` and `stringData` is encrypted (one
 * plaintext value is a secret in clear, whatever else is encrypted). A hygiene check can require this of every
 * `Secret` committed to Git.
 *
 * @example
 * ```ts
 * isSopsEncrypted({ kind: "Secret", stringData: { token: "ENC[AES256_GCM,data:abc=,type:str]" }, sops: { version: "3.9.0" } }); // true
 * isSopsEncrypted({ kind: "Secret", stringData: { token: "hunter2" } }); // false
 * isSopsEncrypted({ kind: "Secret", stringData: { a: "ENC[AES256_GCM,data:abc=,type:str]", b: "hunter2" }, sops: { version: "3.9.0" } }); // false
 * ```
 */
export function isSopsEncrypted(doc: unknown): boolean {
  return isSopsFile(doc) && (doc["kind"] !== "Secret" || secretValuesEncrypted(doc));
}

/** A file SOPS wrote: `sops` metadata and at least one `ENC[…]` value outside it. */
function isSopsFile(doc: unknown): doc is Record<string, unknown> {
  if (!isMapping(doc) || !isMapping(doc["sops"])) return false;
  const { sops: _metadata, ...rest } = doc;
  return containsEncryptedValue(rest);
}

function standIn(value: unknown): unknown {
  if (typeof value === "string") {
    if (!ENCRYPTED_VALUE.test(value)) return value;
    switch (ENCRYPTED_TYPE.exec(value)?.[1]) {
      case "int":
      case "float":
        return 0;
      case "bool":
        return false;
      default:
        // str, bytes: the empty string is valid base64 too, so `data` of a Secret still passes its `byte` format.
        return "";
    }
  }
  if (Array.isArray(value)) return value.map(standIn);
  if (isMapping(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, standIn(item)]));
  return value;
}

/**
 * The object as Flux applies it after decryption, as far as its shape goes: without the `sops` metadata, each
 * `ENC[…]` value replaced by an empty value of the type SOPS recorded (`type:int` → `0`). Objects that are not
 * SOPS-encrypted are returned unchanged.
 *
 * @example
 * ```ts
 * withoutSops({ kind: "Secret", data: { a: "ENC[AES256_GCM,data:x,type:str]" }, sops: { version: "3.9.0" } });
 * // { kind: "Secret", data: { a: "" } }
 * ```
 */
export function withoutSops(doc: unknown): unknown {
  if (!isSopsFile(doc)) return doc;
  const { sops: _metadata, ...rest } = doc;
  return standIn(rest);
}
