#!/usr/bin/env bash
# NativeAOT against the JIT on the main job. Publishes samples/FashionMlp twice (NativeAOT, and a
# framework-dependent JIT build), trains both with the same seed, alternating, ROUNDS times each
# (default 3), and checks that the AOT build runs the JIT build's kernels (KernelInfo's line) and
# that the saved weight files are bit-identical. Prints, per build, the best of the rounds for the
# training time (the sample's "Trained in", wall) and for the whole process's CPU time (user + sys
# from /usr/bin/time, which a machine shared with other work disturbs far less than wall time),
# the AOT/JIT ratios, the load average, the AOT binary's size and both start-up times.
#
#   scripts/aot-check.sh                       the shipped 5,000-image subset (about a minute plus the publishes)
#   scripts/aot-check.sh --full                the full 60,000 images from /usr/share/datasets/fashion-mnist
#   scripts/aot-check.sh --full --epochs 2     any further options go to the sample
#   ROUNDS=5 scripts/aot-check.sh              more rounds
#   PIN="taskset -c 0" scripts/aot-check.sh    one core, so one kernel thread: no spinning worker in the CPU time
#
# Not part of the test suite: an AOT publish compiles the whole program to native code, which takes
# minutes on its own. Exit code 1 when the kernels or the weights differ.
set -euo pipefail
cd "$(dirname "$0")/.."

sample_args=("$@")
out="${AOT_CHECK_DIR:-artifacts/aot-check}"
rounds="${ROUNDS:-3}"
read -r -a pin <<< "${PIN:-}"
rid="linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')"
rm -rf "$out"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

echo "== publishing the NativeAOT build ($rid)"
dotnet publish samples/FashionMlp -c Release -r "$rid" -p:PublishAot=true -o "$out/aot" -nologo -v:q
echo "== publishing the JIT build"
dotnet publish samples/FashionMlp -c Release -r "$rid" --self-contained false -p:PublishAot=false -o "$out/jit" -nologo -v:q

train() { # $1 = aot|jit, $2 = round: appends "wall cpu" to $out/$1.times
  local timing=()
  if [[ -x /usr/bin/time ]]; then timing=(/usr/bin/time -f "%U %S" -o "$out/$1.cpu"); fi
  (cd "$out/$1" && "${timing[@]}" "${pin[@]}" ./FashionMlp --seed 1 --weights "$out/$1.safetensors" "${sample_args[@]}" > "$out/$1.log" 2>&1)
  local wall cpu=nan
  wall=$(grep -oE "^Trained in [0-9.]+" "$out/$1.log" | awk '{ print $3 }')
  if [[ -f "$out/$1.cpu" ]]; then cpu=$(awk '{ printf "%.2f", $1 + $2 }' "$out/$1.cpu"); fi
  echo "$wall $cpu" >> "$out/$1.times"
  printf '%s round %d: trained in %s s, process CPU %s s, load average %s\n' "$1" "$2" "$wall" "$cpu" "$(cut -d' ' -f1 /proc/loadavg)"
}
best() { # $1 = aot|jit, $2 = column (1 wall, 2 cpu)
  awk -v c="$2" 'NR == 1 || $c < b { b = $c } END { print b }' "$out/$1.times"
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

echo "== training (seed 1, $rounds rounds each, alternating)"
for round in $(seq 1 "$rounds"); do
  train jit "$round"
  train aot "$round"
done
for build in jit aot; do
  grep -E "^kernels:" "$out/$build.log" | sed "s/^/$build /" || true
  grep -E "Test accuracy" "$out/$build.log" | sed "s/^/$build /"
  printf '%s best of %d: trained in %s s, process CPU %s s\n' "$build" "$rounds" "$(best "$build" 1)" "$(best "$build" 2)"
done
awk -v aw="$(best aot 1)" -v jw="$(best jit 1)" -v ac="$(best aot 2)" -v jc="$(best jit 2)" \
  'BEGIN { printf "AOT / JIT: training time %.2f, process CPU %s\n", aw / jw, (jc > 0 ? sprintf("%.2f", ac / jc) : "n/a") }'
startup jit
startup aot
printf 'aot binary: %s bytes (%s MB); the whole publish folder: %s\n' \
  "$(stat -c %s "$out/aot/FashionMlp")" "$(echo "scale=1; $(stat -c %s "$out/aot/FashionMlp") / 1048576" | bc)" "$(du -sh "$out/aot" | cut -f1)"

failed=0
jit_kernels="$(grep '^kernels:' "$out/jit.log" || true)"
aot_kernels="$(grep '^kernels:' "$out/aot.log" || true)"
if [[ -z "$jit_kernels" || "$aot_kernels" != "${jit_kernels/, JIT/, NativeAOT}" ]]; then
  echo "kernels: the AOT build runs '$aot_kernels', the JIT build '$jit_kernels'" >&2
  failed=1
fi
if cmp -s "$out/jit.safetensors" "$out/aot.safetensors"; then
  echo "weights: bit-identical ($(sha256sum "$out/aot.safetensors" | cut -c1-16)...)"
else
  echo "weights: DIFFERENT between the JIT and the NativeAOT build" >&2
  failed=1
fi
exit "$failed"
