"""Measures and prints the ModelC vs PyTorch and ONNX Runtime table (README's Performance section).

    /usr/bin/python3 ratio.py --run [--passes 2] [--rounds 15]
        builds the benchmarks (Release), then runs pytorch_bench.py and the ModelC/ONNX Runtime
        timer (ModelC.Benchmarks --ratios) in turn, --passes times each, and prints the table from
        the best round of every workload over all passes.
    /usr/bin/python3 ratio.py [--pytorch pytorch.json] [--modelc modelc.json]
        prints the table from the JSON files of an earlier run.

Every ratio is a speed ratio, ModelC over the other (higher is better for ModelC). ModelC runs with
two kernel threads, PyTorch with two threads; ONNX Runtime gets the better of 1 and 2 intra-op
threads for each workload.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BENCHMARKS = os.path.join(HERE, "bin", "Release", "net10.0", "ModelC.Benchmarks.dll")


def best(runs, key):
    """The best per-call time of a workload over several runs' JSON, or None."""
    times = [run[key]["best_ns"] for run in runs if key in run]
    return min(times) if times else None


def run_all(passes, rounds):
    subprocess.run(["dotnet", "build", "-c", "Release", "-v", "q", "-nologo", os.path.join(HERE, "ModelC.Benchmarks.csproj")], check=True)
    torch_runs, modelc_runs = [], []
    for p in range(passes):
        torch_out, modelc_out = os.path.join(HERE, f"pytorch-{p}.json"), os.path.join(HERE, f"modelc-{p}.json")
        subprocess.run([sys.executable, os.path.join(HERE, "pytorch_bench.py"), "--out", torch_out, "--rounds", str(rounds)], check=True)
        subprocess.run(["dotnet", BENCHMARKS, "--ratios", "--out", modelc_out, "--rounds", str(rounds)], check=True)
        for out, runs in ((torch_out, torch_runs), (modelc_out, modelc_runs)):
            with open(out) as f:
                runs.append(json.load(f))
            os.remove(out)
    # The merged best rounds, so that a later `ratio.py` prints the same table again.
    for name, runs in (("pytorch.json", torch_runs), ("modelc.json", modelc_runs)):
        merged = dict(runs[0])
        merged["load_average"] = [run["load_average"] for run in runs]
        merged["time"] = [run["time"] for run in runs]
        for key, value in runs[0].items():
            if isinstance(value, dict) and "best_ns" in value:
                merged[key] = dict(value, best_ns=best(runs, key))
        with open(os.path.join(HERE, name), "w") as f:
            json.dump(merged, f, indent=2)
    return torch_runs, modelc_runs


def table(torch_runs, modelc_runs):
    t = lambda key: best(torch_runs, key)
    m = lambda key: best(modelc_runs, key)
    ort = lambda key: min(v for v in (m(f"{key}@1"), m(f"{key}@2")) if v is not None)
    flops = 2.0 * 1024 ** 3

    def samples(ns, batch):
        return f"{batch * 1e9 / ns:,.0f} samples/s"

    def micro(ns):
        return f"{ns / 1e3:.1f} µs"

    rows = [
        ("MLP 784-128-64-10, Adam, batch 64, training vs PyTorch (2 threads each)",
         samples(m("train64@2"), 64), samples(t("train64"), 64), t("train64") / m("train64@2"), "≥ 8×"),
        ("same MLP, batch-1 inference vs PyTorch",
         micro(m("forward1@2")), micro(t("forward1")), t("forward1") / m("forward1@2"), "≥ 20×"),
        ("same MLP, batch-1 latency vs ONNX Runtime (its best of 1 or 2 intra-op threads)",
         micro(m("forward1@2")), micro(ort("ortForward1")), ort("ortForward1") / m("forward1@2"), "≥ 4×"),
        ("same MLP, batch-64 inference throughput vs ONNX Runtime",
         samples(m("forward64@2"), 64), samples(ort("ortForward64"), 64), ort("ortForward64") / m("forward64@2"), "≥ 1.5×"),
        ("LeNet-5, batch 64, training vs PyTorch",
         samples(m("lenet64@2"), 64), samples(t("lenet64"), 64), t("lenet64") / m("lenet64@2"), "≥ 4×"),
        ("LeNet-5, batch-1 latency vs ONNX Runtime",
         micro(m("lenetForward1@2")), micro(ort("ortLenetForward1")), ort("ortLenetForward1") / m("lenetForward1@2"), "≥ 3×"),
        ("LeNet-5, batch-64 inference vs ONNX Runtime",
         samples(m("lenetForward64@2"), 64), samples(ort("ortLenetForward64"), 64), ort("ortLenetForward64") / m("lenetForward64@2"), "≥ 1.5×"),
        ("CharRnn LSTM (embedding 60×32, lstm 128, 32 steps, batch 16, Adam) training vs PyTorch",
         samples(m("charrnn16@2"), 16), samples(t("charrnn16"), 16), t("charrnn16") / m("charrnn16@2"), "≥ 4×"),
        ("CharGpt transformer (2 pre-LN blocks of width 64, 4 heads, 64 positions, batch 32, Adam) training vs PyTorch",
         samples(m("chargpt32@2"), 32), samples(t("chargpt32"), 32), t("chargpt32") / m("chargpt32@2"), "≥ 3×"),
        ("1024³ product, 1 thread, vs OpenBLAS",
         f"{flops / m('product@1'):.0f} GFLOP/s", f"{flops / t('product1'):.0f} GFLOP/s", t("product1") / m("product@1"), "≥ 1.1×"),
        ("1024³ product, 2 threads, vs its own 1 thread",
         f"{flops / m('product@2'):.0f} GFLOP/s", f"{flops / m('product@1'):.0f} GFLOP/s", m("product@1") / m("product@2"), "≥ 1.8×"),
    ]
    first = modelc_runs[0]
    loads = [run["load_average"] for run in torch_runs + modelc_runs]
    print(f"ModelC on {first['runtime']}, {first['processor']}; PyTorch {torch_runs[0]['torch']} on "
          f"{', '.join(os.path.basename(p) for p in torch_runs[0]['blas']) or 'an unknown BLAS'}; ONNX Runtime {first['onnxruntime']}")
    print(f"load average at the runs' starts: {', '.join(f'{l:.1f}' for l in loads)}\n")
    print("| Workload | ModelC | Other | ModelC / other | Target |")
    print("|---|---|---|---|---|")
    for workload, mine, theirs, ratio, target in rows:
        print(f"| {workload} | {mine} | {theirs} | {ratio:.2f}× | {target} |")

    print("\nAt one kernel thread (ModelC) against the same references:\n")
    print("| Workload | ModelC, 1 thread | ModelC, 2 threads | Other | ratio at 1 thread |")
    print("|---|---|---|---|---|")
    detail = [
        ("MLP training, batch 64", "train64", t("train64"), 64),
        ("MLP training, batch 256", "train256", t("train256"), 256),
        ("LeNet-5 training, batch 64", "lenet64", t("lenet64"), 64),
        ("CharRnn training, batch 16", "charrnn16", t("charrnn16"), 16),
        ("CharGpt training, batch 32 (vs PyTorch at 1 thread)", "chargpt32", t("chargpt32_1"), 32),
        ("MLP inference, batch 64 (vs ONNX Runtime)", "forward64", ort("ortForward64"), 64),
        ("LeNet-5 inference, batch 64 (vs ONNX Runtime)", "lenetForward64", ort("ortLenetForward64"), 64),
    ]
    for workload, key, theirs, batch in detail:
        print(f"| {workload} | {samples(m(key + '@1'), batch)} | {samples(m(key + '@2'), batch)} | {samples(theirs, batch)} | {theirs / m(key + '@1'):.2f}× |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--run", action="store_true", help="measure now (both sides, in turn) instead of reading JSON files")
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--pytorch", default=os.path.join(HERE, "pytorch.json"))
    parser.add_argument("--modelc", default=os.path.join(HERE, "modelc.json"))
    args = parser.parse_args()
    if args.run:
        torch_runs, modelc_runs = run_all(args.passes, args.rounds)
    else:
        with open(args.pytorch) as f:
            torch_runs = [json.load(f)]
        with open(args.modelc) as f:
            modelc_runs = [json.load(f)]
        for runs in (torch_runs, modelc_runs):
            if isinstance(runs[0]["load_average"], list):
                runs[0]["load_average"] = max(runs[0]["load_average"])
    table(torch_runs, modelc_runs)


if __name__ == "__main__":
    main()
