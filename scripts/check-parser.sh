#!/usr/bin/env bash
# Fails (exit 1) when Dsl/Grammar/Generated no longer matches what Dsl/ModelC.g4 generates.
# Usage: scripts/check-parser.sh
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
checked_in="$repo_root/Dsl/Grammar/Generated"
fresh="$(mktemp -d)"
trap 'rm -rf "$fresh"' EXIT

"$repo_root/scripts/regenerate-parser.sh" "$fresh/Generated" >/dev/null
if ! diff -r "$checked_in" "$fresh/Generated"; then
    echo "error: the checked-in parser is stale; run scripts/regenerate-parser.sh and commit Dsl/Grammar/Generated" >&2
    exit 1
fi
echo "parser is up to date"
