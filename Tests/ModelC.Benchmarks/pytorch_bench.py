"""The ModelC benchmarks' workloads in PyTorch, for the ratio table.

Run with Debian's python3-torch:  /usr/bin/python3 pytorch_bench.py [--out pytorch.json] [--rounds N]
(ratio.py --run runs it for you). Each workload is timed in repeated rounds after a warm-up; the
JSON holds the best, median and worst per-operation time of the rounds, in nanoseconds. The best
round is the figure a shared machine disturbs least.

It refuses to run when torch's 512^3 product is under 20 GFLOP/s: that is the generic reference
BLAS (Debian's default), against which every ratio would flatter ModelC. Install an optimized one
(apt-get install libopenblas0-openmp) and run again.
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

MINIMUM_GFLOPS = 20.0


class FashionMlp(nn.Module):
    """fashion.model: 784 -> 128 relu -> 64 relu dropout(0.2) -> 10."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 128)
        self.fc2 = nn.Linear(128, 64)
        self.out = nn.Linear(64, 10)
        nn.init.kaiming_normal_(self.fc2.weight)

    def forward(self, x):
        h1 = F.relu(self.fc1(x))
        h2 = F.dropout(F.relu(self.fc2(h1)), 0.2, self.training)
        logits = self.out(h2)
        return logits, F.softmax(logits, dim=-1)


class LeNet(nn.Module):
    """samples/LeNet/lenet.model: conv 6@5x5 pad 2, max-pool, conv 16@5x5, max-pool, 120, 84, 10 (ReLU)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        h1 = F.max_pool2d(F.relu(self.conv1(x.view(-1, 1, 28, 28))), 2)
        h2 = F.max_pool2d(F.relu(self.conv2(h1)), 2)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(h2.flatten(1))))))


class CharRnn(nn.Module):
    """charrnn.model: embedding(60, 32) -> lstm(128) over 32 steps -> dense(60) at every step."""

    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(60, 32)
        self.lstm = nn.LSTM(32, 128, batch_first=True)
        self.out = nn.Linear(128, 60)

    def forward(self, text):
        hidden, _ = self.lstm(self.emb(text))
        return self.out(hidden)


class Block(nn.Module):
    """chargpt.model's Transformer(heads, width): pre-LN, causal self-attention, then a gelu MLP."""

    def __init__(self, heads, width):
        super().__init__()
        self.ln1 = nn.LayerNorm(width)
        self.attn = nn.MultiheadAttention(width, heads, batch_first=True)
        self.ln2 = nn.LayerNorm(width)
        self.fc = nn.Linear(width, 4 * width)
        self.proj = nn.Linear(4 * width, width)

    def forward(self, x, mask):
        h = self.ln1(x)
        h = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        return h + self.proj(F.gelu(self.fc(self.ln2(h))))


class CharGpt(nn.Module):
    """chargpt.model: embedding(60, 64) + position embedding -> 2 blocks (4 heads) -> layernorm -> dense(60), 64 positions."""

    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(60, 64)
        self.pos = nn.Parameter(torch.randn(64, 64) * 0.02)
        self.blocks = nn.ModuleList([Block(4, 64), Block(4, 64)])
        self.ln = nn.LayerNorm(64)
        self.out = nn.Linear(64, 60)
        self.register_buffer("mask", nn.Transformer.generate_square_subsequent_mask(64))

    def forward(self, text):
        h = self.emb(text) + self.pos
        for block in self.blocks:
            h = block(h, self.mask)
        return self.out(self.ln(h))


def fashion_step(model, optimizer, x, y):
    """What FashionMlp's generated TrainStep does: loss with its L2 term, backward, clip_norm 5, Adam."""
    optimizer.zero_grad(set_to_none=False)
    logits, _ = model(x)
    loss = F.cross_entropy(logits, y) + 1e-4 * (model.fc1.weight.pow(2).sum() + model.fc2.weight.pow(2).sum())
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    optimizer.step()
    return loss


def lenet_step(model, optimizer, x, y):
    """What LeNet's generated TrainStep does: cross-entropy, backward, Adam."""
    optimizer.zero_grad(set_to_none=False)
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
    return loss


def charrnn_step(model, optimizer, text, following):
    """What CharRnn's generated TrainStep does: cross-entropy at every step, backward through time, clip_norm 5, Adam."""
    optimizer.zero_grad(set_to_none=False)
    loss = F.cross_entropy(model(text).reshape(-1, 60), following.reshape(-1))
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    optimizer.step()
    return loss


def chargpt_step(model, optimizer, text, following):
    """What CharGpt's generated TrainStep does: cross-entropy at every position, backward, clip_norm 1, Adam."""
    optimizer.zero_grad(set_to_none=False)
    loss = F.cross_entropy(model(text).reshape(-1, 60), following.reshape(-1))
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    return loss


def time_rounds(fn, rounds, warmup, round_seconds=0.05):
    """Per-call times of `rounds` rounds, each as many calls as fill about round_seconds."""
    for _ in range(warmup):
        fn()
    start = time.perf_counter_ns()
    fn()
    calls = max(1, int(round_seconds * 1e9 / max(1, time.perf_counter_ns() - start)))
    per_call, cpu_per_call = [], []
    for _ in range(rounds):
        start, cpu = time.perf_counter_ns(), time.thread_time_ns()
        for _ in range(calls):
            fn()
        per_call.append((time.perf_counter_ns() - start) / calls)
        cpu_per_call.append((time.thread_time_ns() - cpu) / calls)
    # The calling thread's CPU time: at one thread, the step's cost with a busy machine's waits left out.
    return {"best_ns": min(per_call), "median_ns": statistics.median(per_call), "worst_ns": max(per_call), "rounds": rounds, "calls": calls,
            "best_thread_cpu_ns": min(cpu_per_call)}


def blas_libraries():
    """The BLAS and LAPACK libraries mapped into this process (after torch has multiplied)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "/" in line}
    return sorted(p for p in paths if any(word in os.path.basename(p) for word in ("blas", "lapack", "mkl")))


def product_gflops(size, tries=20):
    """One thread's best of several products: a busy machine slows some of them, never all."""
    torch.set_num_threads(1)
    a, b = torch.rand(size, size), torch.rand(size, size)
    best = float("inf")
    for _ in range(tries):
        start = time.perf_counter_ns()
        a @ b
        best = min(best, time.perf_counter_ns() - start)
    torch.set_num_threads(2)
    return 2 * size ** 3 / best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="pytorch.json")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    torch.manual_seed(0)

    gflops = product_gflops(512)
    blas = blas_libraries()
    print(f"torch {torch.__version__}, BLAS: {', '.join(blas) or 'none found'}; 512^3 product {gflops:.1f} GFLOP/s (1 thread)")
    if gflops < MINIMUM_GFLOPS:
        sys.exit(f"pytorch_bench.py: torch's 512^3 product runs at {gflops:.1f} GFLOP/s, under {MINIMUM_GFLOPS:.0f}: "
                 "that is the reference BLAS's speed. Install an optimized one (apt-get install libopenblas0-openmp) "
                 "and run again; if the BLAS above is already OpenBLAS or MKL, the machine is too busy to measure.")
    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    results = {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas,
               "gflops512": gflops, "load_average": float(load), "time": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}

    model = FashionMlp()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for batch in (64, 256):
        x = torch.rand(batch, 784)
        y = torch.randint(0, 10, (batch,))
        model.train()
        results[f"train{batch}"] = time_rounds(lambda: fashion_step(model, optimizer, x, y), args.rounds, warmup=50)
        print(f"FashionMlp train batch {batch}: {results[f'train{batch}']['best_ns'] / 1e3:.1f} us/step")

    lenet = LeNet()
    lenet_optimizer = torch.optim.Adam(lenet.parameters(), lr=2e-3)
    images = torch.rand(64, 784)
    labels = torch.randint(0, 10, (64,))
    results["lenet64"] = time_rounds(lambda: lenet_step(lenet, lenet_optimizer, images, labels), args.rounds, warmup=20)
    print(f"LeNet train batch 64: {results['lenet64']['best_ns'] / 1e3:.1f} us/step")

    charrnn = CharRnn()
    charrnn_optimizer = torch.optim.Adam(charrnn.parameters(), lr=0.01)
    text = torch.randint(0, 60, (16, 32))
    following = torch.randint(0, 60, (16, 32))
    results["charrnn16"] = time_rounds(lambda: charrnn_step(charrnn, charrnn_optimizer, text, following), args.rounds, warmup=10)
    print(f"CharRnn train batch 16: {results['charrnn16']['best_ns'] / 1e3:.1f} us/step")

    chargpt = CharGpt()
    chargpt_optimizer = torch.optim.Adam(chargpt.parameters(), lr=2e-3)
    gpt_text = torch.randint(0, 60, (32, 64))
    gpt_following = torch.randint(0, 60, (32, 64))
    results["chargpt32"] = time_rounds(lambda: chargpt_step(chargpt, chargpt_optimizer, gpt_text, gpt_following), args.rounds, warmup=5)
    torch.set_num_threads(1)
    results["chargpt32_1"] = time_rounds(lambda: chargpt_step(chargpt, chargpt_optimizer, gpt_text, gpt_following), args.rounds, warmup=3)
    torch.set_num_threads(2)
    print(f"CharGpt train batch 32: {results['chargpt32']['best_ns'] / 1e3:.1f} us/step (2 threads), "
          f"{results['chargpt32_1']['best_thread_cpu_ns'] / 1e3:.1f} us of CPU at 1 thread")

    model.eval()
    lenet.eval()
    with torch.inference_mode():
        for batch in (1, 64):
            x = torch.rand(batch, 784)
            results[f"forward{batch}"] = time_rounds(lambda: model(x), args.rounds, warmup=200)
            results[f"lenetForward{batch}"] = time_rounds(lambda: lenet(x), args.rounds, warmup=50)
            print(f"forward batch {batch}: FashionMlp {results[f'forward{batch}']['best_ns'] / 1e3:.1f} us, "
                  f"LeNet {results[f'lenetForward{batch}']['best_ns'] / 1e3:.1f} us")

    a = torch.rand(1024, 1024) * 2 - 1
    w = torch.rand(1024, 1024) * 2 - 1
    for threads in (1, 2):
        torch.set_num_threads(threads)
        with torch.inference_mode():
            results[f"product{threads}"] = time_rounds(lambda: F.linear(a, w), args.rounds, warmup=2, round_seconds=0.1)
        print(f"1024^3 product, {threads} thread(s): {2 * 1024**3 / results[f'product{threads}']['best_ns']:.1f} GFLOP/s")
    torch.set_num_threads(2)

    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
