"""The ModelC benchmarks' workloads in PyTorch (two threads), for the ratio table.

Run with Debian's python3-torch:  /usr/bin/python3 pytorch_bench.py [--out pytorch.json]
Each workload is timed in repeated rounds after a warm-up; the JSON holds the per-operation
median and the spread (min, max) of the rounds, in nanoseconds.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


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


def lenet_step(model, optimizer, x, y):
    """What LeNet's generated TrainStep does: cross-entropy, backward, Adam."""
    optimizer.zero_grad(set_to_none=False)
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
    return loss


def train_step(model, optimizer, x, y):
    """What the generated TrainStep does: loss with its L2 term, backward, clip_norm 5, Adam."""
    optimizer.zero_grad(set_to_none=False)
    logits, _ = model(x)
    loss = F.cross_entropy(logits, y) + 1e-4 * (model.fc1.weight.pow(2).sum() + model.fc2.weight.pow(2).sum())
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    optimizer.step()
    return loss


def time_rounds(fn, calls, rounds, warmup):
    for _ in range(warmup):
        fn()
    per_call = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        for _ in range(calls):
            fn()
        per_call.append((time.perf_counter_ns() - start) / calls)
    return {"median_ns": statistics.median(per_call), "min_ns": min(per_call), "max_ns": max(per_call), "rounds": rounds}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="pytorch.json")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(0)
    results = {"torch": torch.__version__, "threads": torch.get_num_threads()}

    model = FashionMlp()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for batch in (64, 256):
        x = torch.rand(batch, 784)
        y = torch.randint(0, 10, (batch,))
        model.train()
        results[f"train{batch}"] = time_rounds(lambda: train_step(model, optimizer, x, y), calls=50, rounds=args.rounds, warmup=50)
        print(f"train batch {batch}: {results[f'train{batch}']['median_ns'] / 1e3:.1f} us/step")

    lenet = LeNet()
    lenet_optimizer = torch.optim.Adam(lenet.parameters(), lr=2e-3)
    images = torch.rand(64, 784)
    labels = torch.randint(0, 10, (64,))
    results["lenet64"] = time_rounds(lambda: lenet_step(lenet, lenet_optimizer, images, labels), calls=20, rounds=args.rounds, warmup=20)
    print(f"LeNet train batch 64: {results['lenet64']['median_ns'] / 1e3:.1f} us/step")

    model.eval()
    one = torch.rand(1, 784)
    with torch.inference_mode():
        results["forward1"] = time_rounds(lambda: model(one), calls=500, rounds=args.rounds, warmup=500)
    print(f"forward batch 1: {results['forward1']['median_ns'] / 1e3:.1f} us")

    a = torch.rand(1024, 1024) * 2 - 1
    w = torch.rand(1024, 1024) * 2 - 1
    for threads in (1, 2):
        torch.set_num_threads(threads)
        with torch.inference_mode():
            # Debian's torch multiplies with the generic reference BLAS: a product takes seconds.
            results[f"product{threads}"] = time_rounds(lambda: F.linear(a, w), calls=1, rounds=min(args.rounds, 5), warmup=1)
        print(f"1024^3 product, {threads} thread(s): {2 * 1024**3 / results[f'product{threads}']['median_ns']:.1f} GFLOP/s")
    torch.set_num_threads(2)

    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
