export { run, type CliIo } from "./cli.ts";
export { createFleetRepository, type CreateOptions, type CreateResult } from "./create.ts";
export { CreateError } from "./errors.ts";
export { renderScaffold, SCRIPTS, TEMPLATES, type ScaffoldOptions, type Template } from "./templates.ts";
export { dependencyRanges, tarballSpecs, type DependencyRanges } from "./versions.ts";
