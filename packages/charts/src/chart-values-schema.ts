import { parse } from "yaml";
import type { ChartValuesSchema, JsonSchema } from "./chart-schema.ts";
import { inferValuesSchema } from "./infer-schema.ts";

/** What a chart archive (or a vendored chart folder) holds that a values schema is made from. */
export interface ChartValuesFiles {
  /** values.schema.json's text, when the chart ships one. */
  schemaJson?: string | undefined;
  /** values.yaml's text. */
  valuesYaml?: string | undefined;
}

/**
 * A chart version's values schema: the chart's own `values.schema.json` where it ships one, otherwise one inferred
 * from its default `values.yaml`.
 *
 * @example
 * ```ts
 * chartValuesSchema({ valuesYaml: "replicaCount: 1\n" }); // { source: "inferred", schema: { … } }
 * ```
 */
export function chartValuesSchema(files: ChartValuesFiles): { source: ChartValuesSchema["source"]; schema: JsonSchema } {
  if (files.schemaJson !== undefined) return { source: "chart", schema: JSON.parse(files.schemaJson) as JsonSchema };
  return { source: "inferred", schema: inferValuesSchema(files.valuesYaml === undefined ? {} : parseChartYaml(files.valuesYaml)) };
}

/**
 * A chart YAML file as data (values.yaml, Chart.yaml, a Helm repository index.yaml), YAML 1.2 as Helm reads it.
 *
 * @example
 * ```ts
 * parseChartYaml("replicaCount: 1
"); // { replicaCount: 1 }
 * ```
 */
export function parseChartYaml(text: string): unknown {
  return parse(text) as unknown;
}
