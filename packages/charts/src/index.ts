export { defineChartSchema, type ChartValuesSchema, type JsonSchema } from "./chart-schema.ts";
export { inferValuesSchema, INFERRED_DESCRIPTION } from "./infer-schema.ts";
export { chartValuesSchema, parseChartYaml, type ChartValuesFiles } from "./chart-values-schema.ts";
export {
  checkChartValues,
  compileValuesSchema,
  type CheckValuesOptions,
  type CompileValuesOptions,
  type ValuesProblem,
} from "./values-validator.ts";
export { renderValuesModule, valuesModuleNames, pascalCase, type ValuesModuleOptions } from "./values-module.ts";
export { VENDORED_CHARTS } from "./vendored.ts";
export { certManagerValuesSchema, type CertManagerValues } from "./generated/cert-manager-v1.21.1.ts";
export { ingressNginxValuesSchema, type IngressNginxValues } from "./generated/ingress-nginx-4.15.1.ts";
export { podinfoValuesSchema, type PodinfoValues } from "./generated/podinfo-6.14.1.ts";
export { readChartArchive, ChartArchiveError, type ChartArchiveFiles } from "./chart-archive.ts";
export {
  fetchChart,
  ChartFetchError,
  HELM_CHART_LAYER_MEDIA_TYPE,
  HELM_CONFIG_MEDIA_TYPE,
  type FetchChartOptions,
  type FetchedChart,
} from "./fetch-chart.ts";
