export {
  TENANT_LABEL,
  type Tenant,
  type ClusterAdminsTenant,
  type AppOperatorsTenant,
  type ClusterAdminsOptions,
  type AppOperatorsOptions,
  defineClusterAdmins,
  defineAppOperators,
  CLUSTER_ADMINS_OPTION_KEYS,
  APP_OPERATORS_OPTION_KEYS,
} from "./tenant.ts";
export { type TenantObject, type TenantsLayerFile, type TenantsLayerOptions, renderTenantsLayer } from "./tenants-layer.ts";
