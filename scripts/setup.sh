# Source this from the repository root: `. scripts/setup.sh`
# Puts Node >= 22.18 and the pinned pnpm on this shell's PATH (installing them from the npm registry into
# ~/.cache/flux-fleet/tools when the machine lacks them), then installs the workspace.
. "$(dirname "${BASH_SOURCE[0]:-$0}")/toolchain.sh" && pnpm install --frozen-lockfile
