export {
  TENANT_LABEL,
  type Tenant,
  type ClusterAdminsTenant,
  type AppOperatorsTenant,
  type ClusterAdminsOptions,
  type AppOperatorsOptions,
  defineClusterAdmins,
  defineAppOperators,
} from "./tenant.ts";
export { type TenantObject, type TenantsLayerFile, type TenantsLayerOptions, renderTenantsLayer } from "./tenants-layer.ts";
