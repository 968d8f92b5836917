#!/usr/bin/env bash
# Regenerates the checked-in C# parser from Dsl/ModelC.g4 and records the grammar's hash,
# which a test compares with the grammar so a forgotten regeneration fails `dotnet test`.
# Usage: scripts/regenerate-parser.sh [OUTPUT_DIR]   (default: Dsl/Grammar/Generated)
# Needs node and npm; the Java ANTLR tool is not used (antlr-ng is its TypeScript port).
set -euo pipefail

ANTLR_NG_VERSION="1.0.10"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
grammar="$repo_root/Dsl/ModelC.g4"
output_dir="${1:-$repo_root/Dsl/Grammar/Generated}"

# Generate from a scratch copy so no absolute path of this machine can reach the output.
work_dir="$(mktemp -d)"
trap 'rm -rf "$work_dir"' EXIT
cp "$grammar" "$work_dir/ModelC.g4"
(
    cd "$work_dir"
    npx --yes "antlr-ng@$ANTLR_NG_VERSION" -Dlanguage=CSharp -v true -l false \
        -p ModelC.Dsl.Grammar -o generated ModelC.g4 >/dev/null
)

# Keep the files byte-stable whatever the platform: LF endings, no trailing blanks, no stamps.
# The generated types become internal: the parse tree never leaves ModelC.Dsl.
for file in "$work_dir"/generated/*; do
    sed -i -e 's/\r$//' -e 's/[[:space:]]*$//' -e '/^\/\/ Generated from /d' \
        -e 's/^public \(partial class\|interface\) /internal \1 /' "$file"
done

mkdir -p "$output_dir"
rm -f "$output_dir"/*.cs "$output_dir"/*.interp "$output_dir"/*.tokens "$output_dir"/ModelC.g4.sha256
cp "$work_dir"/generated/* "$output_dir"/
# The hash is over the grammar with LF endings, as the staleness test computes it.
printf '%s\n' "$(tr -d '\r' < "$grammar" | sha256sum | cut -d' ' -f1)" > "$output_dir/ModelC.g4.sha256"
echo "parser regenerated into $output_dir"
