#!/usr/bin/env bash
# NativeAOT against the JIT on the main job. Publishes samples/FashionMlp twice (NativeAOT, and a
# framework-dependent JIT build), trains both with the same seed, and checks that the two saved
# weight files are bit-identical. Prints each build's training time, the AOT binary's size and
# both start-up times.
#
#   scripts/aot-check.sh              the shipped 5,000-image subset (about a minute plus the publishes)
#   scripts/aot-check.sh --full       the full 60,000 images from /usr/share/datasets/fashion-mnist
#
# Not part of the test suite: an AOT publish compiles the whole program to native code, which takes
# minutes on its own. Exit code 1 when the weights differ.
set -euo pipefail
cd "$(dirname "$0")/.."

data_args=()
if [[ "${1:-}" == "--full" ]]; then data_args=(--full); fi
out="${AOT_CHECK_DIR:-artifacts/aot-check}"
rid="linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')"
rm -rf "$out"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

echo "== publishing the NativeAOT build ($rid)"
dotnet publish samples/FashionMlp -c Release -r "$rid" -p:PublishAot=true -o "$out/aot" -nologo -v:q
echo "== publishing the JIT build"
dotnet publish samples/FashionMlp -c Release -r "$rid" --self-contained false -p:PublishAot=false -o "$out/jit" -nologo -v:q

train() { # $1 = aot|jit
  (cd "$out/$1" && ./FashionMlp --seed 1 --weights "$out/$1.safetensors" "${data_args[@]}" > "$out/$1.log" 2>&1)
  grep -E "^kernels:" "$out/$1.log" | sed "s/^/$1 /" || true
  grep -E "^Trained in" "$out/$1.log" | sed "s/^/$1 /"
  grep -E "Test accuracy" "$out/$1.log" | sed "s/^/$1 /"
}
startup() { # $1 = aot|jit: wall time of --help, the best of five
  local best=999
  for _ in 1 2 3 4 5; do
    local start end
    start=$(date +%s.%N)
    (cd "$out/$1" && ./FashionMlp --help > /dev/null)
    end=$(date +%s.%N)
    best=$(echo "$end - $start" | bc -l | awk -v b="$best" '{ print ($1 < b) ? $1 : b }')
  done
  printf '%s start-up (--help, best of 5): %.3f s\n' "$1" "$best"
}

echo "== training (seed 1)"
train jit
train aot
startup jit
startup aot
printf 'aot binary: %s bytes (%s MB); the whole publish folder: %s\n' \
  "$(stat -c %s "$out/aot/FashionMlp")" "$(echo "scale=1; $(stat -c %s "$out/aot/FashionMlp") / 1048576" | bc)" "$(du -sh "$out/aot" | cut -f1)"

if cmp -s "$out/jit.safetensors" "$out/aot.safetensors"; then
  echo "weights: bit-identical ($(sha256sum "$out/aot.safetensors" | cut -c1-16)...)"
else
  echo "weights: DIFFERENT between the JIT and the NativeAOT build" >&2
  exit 1
fi
