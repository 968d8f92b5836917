#!/usr/bin/env bash
# Writes samples/Shared/corpus/genesis.txt, the King James Version of the Book of Genesis (public
# domain), one verse a line, from Debian's `bible` program (package bible-kjv). The CharRnn and
# SkipGram samples read it; it is committed, so this only needs running to remake it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/samples/Shared/corpus/genesis.txt"
mkdir -p "$(dirname "$out")"
# Keep only verse lines ("Ge1:1 In the beginning ..."), dropping any banner, and strip the reference.
bible -f gen1:1-gen50:26 | grep -E '^Ge[0-9]+:[0-9]+ ' | sed -E 's/^Ge[0-9]+:[0-9]+ //' > "$out"
lines=$(wc -l < "$out")
if [ "$lines" -ne 1533 ]; then
    echo "make-genesis-corpus: expected 1533 verses of Genesis, got $lines in $out" >&2
    exit 1
fi
echo "wrote $out ($lines verses, $(wc -c < "$out") bytes)"
