/** A JSON schema, as plain data (draft-07, the dialect Helm charts ship). */
export type JsonSchema = { [key: string]: unknown };

/**
 * The values schema of one chart version, typed by the values it describes. `Values` exists only in the type:
 * a component that names this schema in `valuesSchema` gets `Values` for its values and every per-cluster override.
 */
export interface ChartValuesSchema<Values extends object = Record<string, unknown>> {
  /** The chart's name, as in its Chart.yaml. */
  readonly chart: string;
  /** The chart version the schema describes (exact, as in its Chart.yaml). */
  readonly version: string;
  /** `chart`: the chart's own values.schema.json; `inferred`: derived from the chart's default values.yaml. */
  readonly source: "chart" | "inferred";
  /** Where the chart came from (a Helm repository or OCI URL), for the refresh command. */
  readonly repository?: string;
  readonly schema: JsonSchema;
  /** Carries the values type; never set at run time. */
  readonly __values?: Values;
}

/**
 * Declares a chart's values schema with the values type it describes; generated modules call it.
 *
 * @example
 * ```ts
 * export const redisValuesSchema = defineChartSchema<RedisValues>({ chart: "redis", version: "20.1.0", source: "chart", schema });
 * ```
 */
export function defineChartSchema<Values extends object>(schema: ChartValuesSchema<Values>): ChartValuesSchema<Values> {
  return schema;
}
