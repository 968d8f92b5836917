#!/usr/bin/env bash
# A long fuzz run of the compiler, outside CI (the suite runs a fixed, seeded 6,000 inputs).
# Usage: scripts/fuzz-compiler.sh [--seconds 600] [--threads N] [--budget-seconds 5] [--seed SEED]
#        scripts/fuzz-compiler.sh --batch N [--seed SEED]   (N hazardous models in one Roslyn compilation, timed)
# Draws mutations of every .model file in the repository, random models and models with
# hazardous names (CsCheck), compiles each on a 1 MB thread, and builds and runs what is
# accepted. A failure is shrunk and printed with the seed that reproduces it: pass --seed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
exec dotnet run -c Release --project "$root/Tests/ModelC.Fuzz/ModelC.Fuzz.csproj" -- --root "$root" "$@"
