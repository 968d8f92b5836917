#!/usr/bin/env bash
# NativeAOT from a project outside the repository, as a user makes one: pack ModelC and
# ModelC.Runtime into a feed (a version no earlier run used, so the NuGet cache cannot serve stale
# bits), `dotnet new console`, a nuget.config naming the feed, `dotnet add package ModelC`, the
# main job's fashion.model and a Program.cs that trains it with the Trainer. The project is then
# published twice, framework-dependent (JIT) and with `-r RID -p:PublishAot=true`, both are trained
# with seed 1 on the shipped Fashion-MNIST subset, and the script checks that
#   - the AOT binary runs the same SIMD kernels as the JIT build (KernelInfo's line, no warning),
#   - the two saved weight files are bit-identical.
# It prints each build's training time (wall and, with /usr/bin/time, CPU), the binary's size and
# both start-up times.
#
#   scripts/aot-outside-check.sh            work folder artifacts/aot-outside (AOT_OUTSIDE_DIR overrides)
#
# Not part of the test suite: the packs and the AOT publish take minutes. Exit code 1 on a failed
# check.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

out="${AOT_OUTSIDE_DIR:-artifacts/aot-outside}"
rid="linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')"
version="0.0.0-aot.$(date -u +%Y%m%d%H%M%S).$$"
rm -rf "$out"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
feed="$out/feed"
project="$out/Outside"
packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
# The unique version would otherwise stay in the global packages folder, one set per run.
trap 'rm -rf "$packages/modelc/$version" "$packages/modelc.runtime/$version"' EXIT

echo "== packing ModelC and ModelC.Runtime $version into $feed"
dotnet pack Package/ModelC.csproj -c Release -o "$feed" -p:Version="$version" -nologo -v:q
dotnet pack Runtime/ModelC.Runtime.csproj -c Release -o "$feed" -p:Version="$version" -nologo -v:q

echo "== a new console project that adds the package"
dotnet new console --name Outside --output "$project" --no-restore > /dev/null
cat > "$project/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="modelc" value="$feed" />
  </packageSources>
</configuration>
EOF
(cd "$project" && dotnet add package ModelC --version "$version" > /dev/null)
cp samples/FashionMlp/fashion.model "$project/"
cat > "$project/Program.cs" <<'EOF'
using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using ModelC.Runtime.Data;
using ModelC.Runtime.Kernels;
using ModelC.Runtime.Training;
using ModelC.Runtime.Weights;

// Outside <data folder> <weights file>: the main job's model, trained by the Trainer with its train block's settings.
if (args.Length != 2)
{
    Console.WriteLine("usage: Outside DATA_FOLDER WEIGHTS_FILE");
    return 0;
}
string data = args[0];
Dataset train = IdxDataset.Load(Path.Combine(data, "train-images-idx3-ubyte.gz"), Path.Combine(data, "train-labels-idx1-ubyte.gz"));
Dataset test = IdxDataset.Load(Path.Combine(data, "t10k-images-idx3-ubyte.gz"), Path.Combine(data, "t10k-labels-idx1-ubyte.gz"));
Console.WriteLine(KernelInfo.Describe());
var model = new Samples.Fashion.FashionMlp(seed: 1);
var trainer = new Trainer(model, new TrainerOptions { Seed = 1, ValidationFraction = 0.1f });
var clock = Stopwatch.StartNew();
trainer.Fit(train);
double seconds = clock.Elapsed.TotalSeconds;
Evaluation scores = trainer.Evaluate(test);
ModelWeights.Save(model, args[1]);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Trained in {seconds:F2} s; test accuracy {100 * (scores.Accuracy ?? 0):F1} %, loss {scores.Loss:F4}"));
return 0;
EOF

echo "== publishing the JIT build (framework-dependent)"
(cd "$project" && dotnet publish -c Release -o "$out/jit" -nologo -v:q)
echo "== publishing the NativeAOT build ($rid)"
(cd "$project" && dotnet publish -c Release -r "$rid" -p:PublishAot=true -o "$out/aot" -nologo -v:q)

data="$root/samples/FashionMlp/data"
failed=0
train() { # $1 = jit|aot
  local timing=()
  if [[ -x /usr/bin/time ]]; then timing=(/usr/bin/time -f "cpu %U user + %S sys s, wall %e s" -o "$out/$1.time"); fi
  (cd "$out/$1" && "${timing[@]}" ./Outside "$data" "$out/$1.safetensors" > "$out/$1.log" 2>&1)
  sed "s/^/$1 /" "$out/$1.log"
  if [[ -f "$out/$1.time" ]]; then sed "s/^/$1 whole process: /" "$out/$1.time"; fi
}
startup() { # $1 = jit|aot: wall time of the usage message, the best of five
  local best=999
  for _ in 1 2 3 4 5; do
    local start end
    start=$(date +%s.%N)
    (cd "$out/$1" && ./Outside > /dev/null)
    end=$(date +%s.%N)
    best=$(echo "$end - $start" | bc -l | awk -v b="$best" '{ print ($1 < b) ? $1 : b }')
  done
  printf '%s start-up (usage message, best of 5): %.3f s\n' "$1" "$best"
}

echo "== training (seed 1, the shipped subset)"
train jit
train aot
startup jit
startup aot
printf 'aot binary: %s bytes (%s MB)\n' "$(stat -c %s "$out/aot/Outside")" "$(echo "scale=1; $(stat -c %s "$out/aot/Outside") / 1048576" | bc)"

jit_kernels="$(grep '^kernels:' "$out/jit.log" || true)"
aot_kernels="$(grep '^kernels:' "$out/aot.log" || true)"
if [[ "$aot_kernels" != "${jit_kernels/, JIT/, NativeAOT}" ]]; then
  echo "kernels: the AOT binary runs '$aot_kernels', the JIT build '$jit_kernels'" >&2
  failed=1
else
  echo "kernels: the same in both builds (${aot_kernels#kernels: })"
fi
if cmp -s "$out/jit.safetensors" "$out/aot.safetensors"; then
  echo "weights: bit-identical ($(sha256sum "$out/aot.safetensors" | cut -c1-16)...)"
else
  echo "weights: DIFFERENT between the JIT and the NativeAOT build" >&2
  failed=1
fi
exit "$failed"
