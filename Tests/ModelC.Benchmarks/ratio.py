"""Prints the ModelC vs PyTorch table from BenchmarkDotNet's JSON reports and pytorch_bench.py's JSON.

    /usr/bin/python3 ratio.py [--results BenchmarkDotNet.Artifacts/results] [--pytorch pytorch.json]
"""
import argparse
import glob
import json
import os


def load_modelc(folder):
    """{(method, threads): statistics} from every *-report-full.json in folder."""
    runs = {}
    for path in glob.glob(os.path.join(folder, "*-report-full.json")):
        with open(path) as f:
            report = json.load(f)
        for b in report["Benchmarks"]:
            parameters = b.get("Parameters") or ""
            threads = int(parameters.split("Threads=")[1].split("&")[0]) if "Threads=" in parameters else 1
            s = b["Statistics"]
            runs[(b["Method"], threads)] = {
                "median_ns": s["Median"], "min_ns": s["Min"], "max_ns": s["Max"],
                "allocated": b.get("Memory", {}).get("BytesAllocatedPerOperation"),
            }
    return runs


def spread(stats):
    return f"±{(stats['max_ns'] - stats['min_ns']) / 2 / stats['median_ns'] * 100:.0f}%"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", default=os.path.join(here, "BenchmarkDotNet.Artifacts", "results"))
    parser.add_argument("--pytorch", default=os.path.join(here, "pytorch.json"))
    args = parser.parse_args()
    modelc = load_modelc(args.results)
    with open(args.pytorch) as f:
        torch = json.load(f)

    rows = []
    def throughput(method, key, batch):
        for threads in (1, 2):
            m = modelc.get((method, threads))
            if m is None:
                continue
            t = torch[key]
            mine, theirs = batch * 1e9 / m["median_ns"], batch * 1e9 / t["median_ns"]
            rows.append((f"FashionMlp train, Adam, batch {batch} (samples/s)", threads,
                         f"{mine:,.0f} {spread(m)}", f"{theirs:,.0f} {spread(t)} (2 thr)", f"{mine / theirs:.1f}x", m["allocated"], ">= 5x" if batch == 64 else ""))
    throughput("TrainStep64", "train64", 64)
    throughput("TrainStep256", "train256", 256)
    for threads in (1, 2):
        m = modelc.get(("LeNetTrainStep64", threads))
        if m is not None and "lenet64" in torch:
            t = torch["lenet64"]
            mine, theirs = 64 * 1e9 / m["median_ns"], 64 * 1e9 / t["median_ns"]
            rows.append(("LeNet train, Adam, batch 64 (samples/s)", threads, f"{mine:,.0f} {spread(m)}",
                         f"{theirs:,.0f} {spread(t)} (2 thr)", f"{mine / theirs:.1f}x", m["allocated"], ">= 3x"))
    for threads in (1, 2):
        m = modelc.get(("Forward1", threads))
        if m is not None:
            t = torch["forward1"]
            rows.append(("FashionMlp inference, batch 1 (us)", threads, f"{m['median_ns'] / 1e3:.2f} {spread(m)}",
                         f"{t['median_ns'] / 1e3:.1f} {spread(t)} (2 thr)", f"{t['median_ns'] / m['median_ns']:.1f}x", m["allocated"], ">= 20x"))
    flops = 2.0 * 1024 ** 3
    for method, label in (("Kernel", "1024^3 dense product, kernel (GFLOP/s)"), ("ModelForward", "1024^3 via DenseProduct.Forward (GFLOP/s)")):
        for threads in (1, 2):
            m = modelc.get((method, threads))
            if m is None:
                continue
            t = torch[f"product{threads}"]
            rows.append((label, threads, f"{flops / m['median_ns']:.1f} {spread(m)}", f"{flops / t['median_ns']:.1f} {spread(t)} ({threads} thr)",
                         f"{t['median_ns'] / m['median_ns']:.2f}x", m["allocated"], ">= 120" if threads == 1 else ">= 1.6x one thread"))

    print("| Workload | ModelC threads | ModelC | PyTorch | ModelC / PyTorch | Allocated per op (B) | Target |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(str(v) for v in r) + " |")
    k1, k2 = modelc.get(("Kernel", 1)), modelc.get(("Kernel", 2))
    if k1 and k2:
        print(f"\nTwo-thread speed-up of the 1024^3 kernel: {k1['median_ns'] / k2['median_ns']:.2f}x")


if __name__ == "__main__":
    main()
