# Source this from the repository root: `. scripts/setup.sh`
# Puts Node >= 22.18 and the pinned pnpm on this shell's PATH (installing them from the npm registry into
# ~/.cache/flux-fleet/tools when the machine lacks them), then installs the workspace. Sourced, it never exits
# the calling shell; run (`bash scripts/setup.sh`), it does the same work but cannot change the caller's PATH,
# and says so.

flux_fleet_sourced=yes
flux_fleet_dir="$(dirname "$0")"
if [ -n "${BASH_VERSION:-}" ]; then
  [ "${BASH_SOURCE[0]}" != "$0" ] || flux_fleet_sourced=no
  flux_fleet_dir="$(dirname "${BASH_SOURCE[0]}")"
elif [ -n "${ZSH_VERSION:-}" ]; then
  case "${ZSH_EVAL_CONTEXT:-}" in *:file*) ;; *) flux_fleet_sourced=no ;; esac
else
  # sh: sourced, $0 is the shell; run, it is this file.
  case "$0" in *setup.sh) flux_fleet_sourced=no ;; esac
fi

# sh cannot tell where a sourced file lies ($0 is the shell): from the repository root it is scripts/.
[ -f "$flux_fleet_dir/toolchain.sh" ] || flux_fleet_dir=scripts
. "$flux_fleet_dir/toolchain.sh" && pnpm install --frozen-lockfile
flux_fleet_status=$?

if [ "$flux_fleet_sourced" = no ]; then
  echo "" >&2
  echo "setup.sh was run, not sourced: the tools are installed, but this shell's PATH is unchanged." >&2
  echo "Source it instead, from the repository root:  . scripts/setup.sh" >&2
fi
unset flux_fleet_sourced flux_fleet_dir
# Sourced, `return` hands the status to the caller's shell without exiting it.
return "$flux_fleet_status" 2>/dev/null || exit "$flux_fleet_status"
