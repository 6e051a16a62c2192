#!/usr/bin/env bash
# Fails when a published package changed since the base branch and no changeset was added
# (`changeset status --since=<base>`). Run from the repository root with pnpm on PATH.
#
# The base is $CHANGESET_BASE when set, else the first of origin/main and main that exists: a CI clone of a
# branch has origin/main, a local checkout has main. On main itself HEAD is the base and nothing is compared.
# Without a base (a shallow clone that fetched only HEAD, a clone without main), or when the history is too
# shallow to find where HEAD left the base, the check is skipped with a message instead of failing.
set -euo pipefail

base="${CHANGESET_BASE:-}"
if [ -z "$base" ]; then
  for ref in origin/main main; do
    if git rev-parse --verify --quiet "$ref^{commit}" >/dev/null; then
      base="$ref"
      break
    fi
  done
fi

if [ -z "$base" ]; then
  echo "changesets: skipped, no base to compare to (neither origin/main nor main exists here; set CHANGESET_BASE to a ref)." >&2
  exit 0
fi
if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
  echo "changesets: CHANGESET_BASE=$base is not a commit in this clone: fetch it or unset CHANGESET_BASE." >&2
  exit 1
fi
if ! git merge-base "$base" HEAD >/dev/null 2>&1; then
  echo "changesets: skipped, the history is too shallow to find where HEAD left $base (run git fetch --unshallow to check)." >&2
  exit 0
fi

echo "changesets: checking changes since $base ($(git rev-parse --short "$(git merge-base "$base" HEAD)"))" >&2
pnpm exec changeset status --since="$base"
