export { createSchemaValidator, type SchemaResult, type SchemaValidator, type SchemaValidatorOptions } from "./validator.ts";
export { type SchemaProblem } from "./problems.ts";
export { isSopsEncrypted } from "./sops.ts";
export { isClusterScoped } from "./scope.ts";
export { FLUX_API_REMOVALS } from "./flux-api-removals.ts";
export { type UnevaluatedRule } from "./cel-rules.ts";
export { type CrdText } from "./crd-catalog.ts";
export { readCrdFiles, type CrdFile } from "./crd-files.ts";
export { isDns1123Label, isDns1123Subdomain } from "./object-meta.ts";
