export { createSchemaValidator, type SchemaResult, type SchemaValidator } from "./validator.ts";
export { type SchemaProblem } from "./problems.ts";
export { isSopsEncrypted } from "./sops.ts";
export { isClusterScoped } from "./scope.ts";
export { FLUX_API_REMOVALS } from "./flux-api-removals.ts";
