/** The starting fleets: `seed` runs the seed profile's components, `empty` a profile with none yet. */
export const TEMPLATES = ["seed", "empty"] as const;
export type Template = (typeof TEMPLATES)[number];

/** The package.json scripts of a fleet repository; the generated workflows call gen, validate, typecheck, test and fleet:*. */
export const SCRIPTS = {
  gen: "flux-fleet gen",
  "gen:check": "flux-fleet gen --check",
  validate: "flux-fleet validate",
  typecheck: "tsc -p tsconfig.json",
  test: "tsc -p tsconfig.json && flux-fleet gen --check && flux-fleet validate",
  "fleet:up": "flux-fleet fleet up",
  "flux:up": "flux-fleet flux up",
  "flux:bootstrap": "flux-fleet flux bootstrap",
  "fleet:status": "flux-fleet fleet status",
  "fleet:down": "flux-fleet fleet down",
} as const;

const TSCONFIG = {
  compilerOptions: {
    target: "ES2023",
    lib: ["ES2023"],
    module: "NodeNext",
    moduleResolution: "NodeNext",
    types: ["node"],
    strict: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    // Node runs the fleet files directly (type stripping): only erasable syntax, imports with their .ts extension.
    erasableSyntaxOnly: true,
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
  },
  include: ["fleet/**/*.ts"],
};

const GITIGNORE = `node_modules/
.turbo/
# Kubeconfigs written by pnpm fleet:up
.fleet/
`;

// The seed template is this repository's own fleet/tenants.ts and fleet/clusters.ts (a test holds them equal).
const SEED_TENANTS = `import { defineAppOperators, defineClusterAdmins } from "@flux-fleet/tenants";

/** The platform team: installs the controllers and cluster-wide configuration on every spoke. */
export const sreTeam = defineClusterAdmins({ name: "sre-team", namespaces: ["cert-manager", "ingress-nginx"] });

/** The application team: deploys into its own namespaces only. */
export const devTeam = defineAppOperators({ name: "dev-team", namespaces: ["podinfo"] });
`;

const SEED_CLUSTERS = `import { defineCluster, seedProfile } from "@flux-fleet/fleet";

export const staging = defineCluster({
  name: "staging",
  profile: seedProfile,
  overrides: {
    podinfo: { version: ">=1.0.0-alpha", host: "podinfo.staging", test: false },
  },
});

export const production = defineCluster({
  name: "production",
  profile: seedProfile,
  production: true,
  overrides: {
    "ingress-nginx": { version: ">=4.10.0", replicas: 2 },
    podinfo: { version: ">=1.0.0", host: "podinfo.production", test: false },
  },
});
`;

const EMPTY_TENANTS = `import { defineClusterAdmins } from "@flux-fleet/tenants";

/** The platform team: installs the controllers and cluster-wide configuration on every spoke. */
export const sreTeam = defineClusterAdmins({ name: "sre-team" });
`;

const EMPTY_CLUSTERS = `import { defineCluster, defineClusterProfile } from "@flux-fleet/fleet";

/** What every spoke runs: nothing yet. Add components here (defineHelmComponent, defineManifests from @flux-fleet/fleet). */
export const baseProfile = defineClusterProfile({ name: "base", components: [] });

export const staging = defineCluster({ name: "staging", profile: baseProfile });

export const production = defineCluster({ name: "production", profile: baseProfile, production: true });
`;

function fleetFile(template: Template): string {
  const tenants = template === "seed" ? "devTeam, sreTeam" : "sreTeam";
  return `import { defineFleet } from "@flux-fleet/fleet";
import { ${tenants} } from "./tenants.ts";
import { production, staging } from "./clusters.ts";

// One hub (the cluster that runs Flux, named "hub" in local tooling) and two spokes it deploys to.
export const fleet = defineFleet({
  tenants: [${template === "seed" ? "sreTeam, devTeam" : "sreTeam"}],
  clusters: [staging, production],
  // pnpm gen also writes .github/workflows/ (test and e2e) from the fleet.
  githubWorkflows: true,${
    template === "seed"
      ? `
  // Production follows chart ranges (fleet/clusters.ts), so gen and validate warn on every run. Pin exact
  // versions, or accept the ranges and stop the warnings:
  // acknowledge: ["unpinned-charts"],`
      : ""
  }
});
`;
}

function readme(name: string, template: Template): string {
  return `# ${name}

A Flux fleet defined in TypeScript with [flux-fleet](https://github.com/flux-fleet/flux-fleet): the hub cluster
runs Flux and deploys to the spokes \`staging\` and \`production\`. You edit \`fleet/*.ts\`; \`pnpm gen\` writes
\`deploy/\`, \`clusters/\`, \`hub/\` and \`.github/workflows/\`, which Flux and CI read. Never edit those by hand:
every generated file's first line names the fleet file to change instead.

Created from the \`${template}\` template.

## Start

\`\`\`sh
pnpm install
pnpm gen        # writes the generated repository from fleet/
pnpm test       # typecheck, gen --check (nothing stale) and validate (offline)
git init && git add -A && git commit -m "A fleet of one hub and two spokes"
\`\`\`

## Daily tasks

| Task | Command |
| --- | --- |
| Regenerate after editing \`fleet/*.ts\` | \`pnpm gen\` |
| Check that the committed YAML is what the fleet produces | \`pnpm gen:check\` |
| Validate the generated repository offline | \`pnpm validate\` |
| Type-check the fleet files | \`pnpm typecheck\` |
| Run the fleet on local kind clusters (needs docker, kind, kubectl, flux) | \`pnpm fleet:up && pnpm flux:up\` |
| Delete the local clusters | \`pnpm fleet:down\` |

Upgrade flux-fleet like any dependency: \`pnpm update --latest "@flux-fleet/*"\`, then \`pnpm gen\` and review the diff.
`;
}

/**
 * What `create-flux-fleet` writes, path → content, computed without touching the disk.
 *
 * @example
 * ```ts
 * const files = renderScaffold({ name: "my-fleet", template: "seed", dependencies: { "@flux-fleet/generator": "^0.1.0" }, devDependencies: {} });
 * Object.keys(files); // [".gitignore", "README.md", "fleet/clusters.ts", "fleet/fleet.ts", "fleet/tenants.ts", "package.json", "tsconfig.json"]
 * ```
 */
export function renderScaffold(options: ScaffoldOptions): Record<string, string> {
  const manifest: Record<string, unknown> = {
    name: options.name,
    version: "0.0.0",
    private: true,
    type: "module",
    ...(options.packageManager ? { packageManager: options.packageManager } : {}),
    engines: { node: ">=22.18" },
    scripts: SCRIPTS,
    dependencies: sorted(options.dependencies),
    devDependencies: sorted(options.devDependencies),
    // Transitive @flux-fleet packages from the same tarballs as the direct ones (--packages-from).
    ...(options.overrides && Object.keys(options.overrides).length > 0 ? { pnpm: { overrides: sorted(options.overrides) } } : {}),
  };
  const files: Record<string, string> = {
    ".gitignore": GITIGNORE,
    "README.md": readme(options.name, options.template),
    "fleet/clusters.ts": options.template === "seed" ? SEED_CLUSTERS : EMPTY_CLUSTERS,
    "fleet/fleet.ts": fleetFile(options.template),
    "fleet/tenants.ts": options.template === "seed" ? SEED_TENANTS : EMPTY_TENANTS,
    "package.json": `${JSON.stringify(manifest, null, 2)}\n`,
    "tsconfig.json": `${JSON.stringify(TSCONFIG, null, 2)}\n`,
  };
  return files;
}

/** Options of {@link renderScaffold}. */
export interface ScaffoldOptions {
  /** The package name of the new repository. */
  name: string;
  template: Template;
  /** `@flux-fleet/*` name → range or `file:` spec. */
  dependencies: Record<string, string>;
  /** typescript and @types/node. */
  devDependencies: Record<string, string>;
  /** pnpm overrides, for `--packages-from`: every `@flux-fleet/*` tarball, also those the fleet only depends on indirectly. */
  overrides?: Record<string, string>;
  /** `pnpm@<version>`, read by pnpm and by the workflows' pnpm/action-setup. */
  packageManager?: string;
}

function sorted(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
