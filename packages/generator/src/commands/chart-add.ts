import {
  ChartArchiveError,
  ChartFetchError,
  chartValuesSchema,
  fetchChart,
  parseChartYaml,
  readChartArchive,
  renderValuesModule,
  valuesModuleNames,
} from "@flux-fleet/charts";
import { UsageError } from "@flux-fleet/validate";
import { checkDns1123Subdomain } from "../check/rules.ts";
import { FLEET_CHARTS_DIR, writeFleetChartFiles } from "../write/apply-plan.ts";

export interface ChartAddOptions {
  /** The repository root (holds `fleet/`). */
  root: string;
  /** A Helm HTTP repository URL or an `oci://` registry path. */
  repository: string;
  chart: string;
  /** The exact chart version. */
  version: string;
  /** Plain HTTP to an OCI registry (the default for loopback addresses). */
  plainHttp?: boolean;
  /** Where the summary goes; default process.stdout. */
  out?: (text: string) => void;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
}

export interface ChartAddResult {
  /** The files written, relative to the root. */
  files: string[];
  source: "chart" | "inferred";
}

/**
 * Fetches a chart version from a Helm HTTP repository or an OCI registry and writes its values schema (the chart's own
 * `values.schema.json`, or one inferred from `values.yaml`) and the TypeScript module typed by it to
 * `fleet/charts/<chart>/<version>/`, then prints how a component uses it.
 *
 * @example
 * ```ts
 * await chartAdd({ root, repository: "https://kubernetes.github.io/ingress-nginx", chart: "ingress-nginx", version: "4.15.1" });
 * ```
 */
export async function chartAdd(options: ChartAddOptions): Promise<ChartAddResult> {
  const out = options.out ?? ((text: string) => process.stdout.write(text));
  const { repository, chart, version } = options;
  if (!/^(https?|oci):\/\/\S+$/.test(repository))
    throw new UsageError(
      `${JSON.stringify(repository)} is not a Helm repository URL: use https://… (an index.yaml) or oci://registry/path.`,
    );
  const nameProblem = checkDns1123Subdomain(chart, "a chart name");
  if (nameProblem !== undefined) throw new UsageError(nameProblem);
  if (!/^v?[0-9A-Za-z.+-]+$/.test(version) || version.includes(".."))
    throw new UsageError(`${JSON.stringify(version)} is not a chart version: give the exact version, such as --version 4.15.1.`);

  let files;
  try {
    const fetched = await fetchChart({ repository, chart, version, plainHttp: options.plainHttp, fetch: options.fetch });
    files = readChartArchive(fetched.archive);
  } catch (error) {
    if (error instanceof ChartFetchError || error instanceof ChartArchiveError)
      throw new UsageError(`Could not add ${chart} ${version} from ${repository}: ${error.message}.`, { cause: error });
    throw error;
  }
  const meta = parseChartYaml(files.chartYaml ?? "") as { name?: unknown; version?: unknown } | null;
  if (meta?.name !== chart || String(meta.version) !== version)
    throw new UsageError(
      `The archive of ${chart} ${version} holds the chart ${JSON.stringify(meta?.name)} ${JSON.stringify(meta?.version)}: check the repository's index.`,
    );
  const { source, schema } = chartValuesSchema(files);
  const folder = `${FLEET_CHARTS_DIR}/${chart}/${version}`;
  const module = await renderValuesModule({
    chart,
    version,
    source,
    repository,
    schema,
    importFrom: "@flux-fleet/fleet",
    generatedFrom: `${chart} ${version} (${repository}) by "flux-fleet chart add"`,
  });
  const written = [
    { path: `${folder}/values.schema.json`, content: `${JSON.stringify(schema, null, 2)}\n` },
    { path: `${folder}/values.ts`, content: module },
  ];
  await writeFleetChartFiles(options.root, written);
  const { constName, typeName } = valuesModuleNames(chart);
  out(
    `Wrote ${folder}/values.ts and values.schema.json: ${chart} ${version}'s values schema (${source === "chart" ? "the chart's own values.schema.json" : "inferred from its values.yaml, since the chart ships no values.schema.json"}) and the type ${typeName}.
Use it in the component that installs the chart:

  import { ${constName} } from "./charts/${chart}/${version}/values.ts";

  defineHelmComponent({ name: ${JSON.stringify(chart)}, chart: { version: ${JSON.stringify(version)} }, valuesSchema: ${constName}, … });

Its values and every cluster's values override are then typed, and gen checks them against the schema.
`,
  );
  return { files: written.map((file) => file.path), source };
}
