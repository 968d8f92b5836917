#!/usr/bin/python3
"""Writes the runtime's PyTorch reference fixtures (run with Debian's /usr/bin/python3, torch 1.13).

optimizers.json   ten steps of every torch.optim optimizer ModelC has, same parameters, same gradients
clipping.json     clip_grad_norm_ / clip_grad_value_ and torch.renorm (max_norm) on fixed tensors
schedules.json    learning rates from torch.optim.lr_scheduler, one per optimizer step
MlpWeights.safetensors + MlpWeights.json
                  an nn.Module's state_dict written in the safetensors format by hand (torch 1.13
                  has no safetensors package) and the module's outputs for fixed inputs

Deterministic: running it twice gives identical files.
"""
import json
import math
import os
import struct

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
STEPS = 10


def floats(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def write_json(name, data):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1)
        f.write("\n")


# ---------------------------------------------------------------- optimizers

OPTIMIZERS = [
    # (case name, ModelC kind, ModelC arguments, torch factory)
    ("sgd", "sgd", {"lr": 0.1}, lambda p: torch.optim.SGD(p, lr=0.1)),
    ("sgd_wd", "sgd", {"lr": 0.1, "weight_decay": 0.05}, lambda p: torch.optim.SGD(p, lr=0.1, weight_decay=0.05)),
    ("momentum", "momentum", {"lr": 0.05, "beta": 0.9}, lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
    ("momentum_wd", "momentum", {"lr": 0.05, "beta": 0.8, "weight_decay": 0.05},
     lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.8, weight_decay=0.05)),
    ("nesterov", "nesterov", {"lr": 0.05, "beta": 0.9}, lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True)),
    ("nesterov_wd", "nesterov", {"lr": 0.05, "beta": 0.8, "weight_decay": 0.05},
     lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.05)),
    ("adagrad", "adagrad", {"lr": 0.1, "eps": 1e-10}, lambda p: torch.optim.Adagrad(p, lr=0.1, eps=1e-10)),
    ("adagrad_wd", "adagrad", {"lr": 0.1, "eps": 1e-10, "weight_decay": 0.05},
     lambda p: torch.optim.Adagrad(p, lr=0.1, eps=1e-10, weight_decay=0.05)),
    ("rmsprop", "rmsprop", {"lr": 0.01, "rho": 0.9, "eps": 1e-8}, lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-8)),
    ("rmsprop_wd", "rmsprop", {"lr": 0.01, "rho": 0.99, "eps": 1e-8, "weight_decay": 0.05},
     lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.05)),
    ("adadelta", "adadelta", {"lr": 1.0, "rho": 0.9, "eps": 1e-6}, lambda p: torch.optim.Adadelta(p, lr=1.0, rho=0.9, eps=1e-6)),
    ("adadelta_wd", "adadelta", {"lr": 0.5, "rho": 0.8, "eps": 1e-4, "weight_decay": 0.05},
     lambda p: torch.optim.Adadelta(p, lr=0.5, rho=0.8, eps=1e-4, weight_decay=0.05)),
    ("adam", "adam", {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
     lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.9, 0.999), eps=1e-8)),
    ("adam_wd", "adam", {"lr": 0.01, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6, "weight_decay": 0.05},
     lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.05)),
    ("adamw", "adamw", {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01},
     lambda p: torch.optim.AdamW(p, lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)),
    ("adamw_wd", "adamw", {"lr": 0.01, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6, "weight_decay": 0.2},
     lambda p: torch.optim.AdamW(p, lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.2)),
    ("adamw_no_decay", "adamw", {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0},
     lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.0)),
]


def optimizer_fixture():
    g = torch.Generator().manual_seed(3)
    initial = torch.randn(12, generator=g, dtype=torch.float32)
    # Gradients of mixed scale and sign, including an exact zero, drawn once for all optimizers.
    gradients = [torch.randn(12, generator=g, dtype=torch.float32) * (0.5 + step * 0.1) for step in range(STEPS)]
    for grad in gradients:
        grad[5] = 0.0
    cases = []
    for name, kind, arguments, factory in OPTIMIZERS:
        p = nn.Parameter(initial.clone())
        opt = factory([p])
        trajectory = []
        for grad in gradients:
            p.grad = grad.clone()
            opt.step()
            trajectory.append(floats(p))
        cases.append({"name": name, "kind": kind, "arguments": arguments, "trajectory": trajectory})
    return {
        "torch": torch.__version__,
        "initial": floats(initial),
        "gradients": [floats(grad) for grad in gradients],
        "cases": cases,
    }


# ---------------------------------------------------------------- clipping and max_norm

def clipping_fixture():
    g = torch.Generator().manual_seed(5)
    grads = [torch.randn(4, 3, generator=g), torch.randn(3, generator=g), torch.randn(2, 2, generator=g)]
    flat = torch.cat([t.reshape(-1) for t in grads])
    norm_cases = []
    for max_norm in (0.5, 2.0, 100.0):
        params = [nn.Parameter(torch.zeros_like(t)) for t in grads]
        for p, t in zip(params, grads):
            p.grad = t.clone()
        total = torch.nn.utils.clip_grad_norm_(params, max_norm)
        norm_cases.append({"maxNorm": max_norm, "norm": float(total),
                           "clipped": floats(torch.cat([p.grad.reshape(-1) for p in params]))})
    value_cases = []
    for limit in (0.3, 1.0, 10.0):
        params = [nn.Parameter(torch.zeros_like(t)) for t in grads]
        for p, t in zip(params, grads):
            p.grad = t.clone()
        torch.nn.utils.clip_grad_value_(params, limit)
        value_cases.append({"limit": limit, "clipped": floats(torch.cat([p.grad.reshape(-1) for p in params]))})

    # max_norm(c): torch.renorm(w, 2, 0, c) on every parameter of rank >= 2; 1-D biases untouched.
    weights = {
        "fc.weight": torch.randn(5, 4, generator=g) * torch.tensor([[0.1], [0.5], [1.0], [2.0], [4.0]]),
        "fc.bias": torch.randn(5, generator=g) * 3,
        "conv.weight": torch.randn(3, 2, 2, 2, generator=g) * torch.tensor([0.2, 1.5, 3.0]).reshape(3, 1, 1, 1),
    }
    max_norm_cases = []
    for c in (0.5, 1.5, 50.0):
        after = {}
        for name, w in weights.items():
            after[name] = floats(torch.renorm(w, 2, 0, c) if w.dim() >= 2 else w)
        max_norm_cases.append({"c": c, "after": after})
    return {
        "torch": torch.__version__,
        "gradients": floats(flat),
        "clipNorm": norm_cases,
        "clipValue": value_cases,
        "maxNormParameters": [{"name": n, "shape": list(w.shape), "values": floats(w)} for n, w in weights.items()],
        "maxNorm": max_norm_cases,
    }


# ---------------------------------------------------------------- schedules

def run_schedule(make, total_steps, per_epoch_steps=None, losses=None):
    """Learning rate of every optimizer step; per_epoch_steps set: scheduler.step() once per epoch,
    with that epoch's loss when losses are given (ReduceLROnPlateau)."""
    p = nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=BASE_LR)
    sched = make(opt)
    rates = []
    for step in range(total_steps):
        rates.append(opt.param_groups[0]["lr"])
        opt.step()
        if per_epoch_steps is None:
            sched.step()
        elif (step + 1) % per_epoch_steps == 0:
            if losses is None:
                sched.step()
            else:
                sched.step(losses[step // per_epoch_steps])
    return rates


BASE_LR = 0.1


def schedule_fixture():
    from torch.optim import lr_scheduler as ls
    cases = []

    def add(name, arguments, steps_per_epoch, epochs, rates, expected, losses=None):
        # The documented closed forms must agree with torch before anything is written.
        if expected is not None:
            for step, (r, e) in enumerate(zip(rates, expected)):
                assert abs(r - e) <= 1e-12 + 1e-9 * abs(e), (name, step, r, e)
        case = {"name": name, "arguments": arguments, "stepsPerEpoch": steps_per_epoch, "epochs": epochs, "rates": rates}
        if losses is not None:
            case["losses"] = losses
        cases.append(case)

    spe, epochs = 3, 8
    total = spe * epochs
    add("constant", {}, spe, epochs, run_schedule(lambda o: ls.ConstantLR(o, factor=1.0, total_iters=0), total),
        [BASE_LR] * total)
    for every, gamma in ((2, 0.5), (3, 0.1)):
        rates = run_schedule(lambda o: ls.StepLR(o, step_size=every, gamma=gamma), total, spe)
        add("step", {"every": every, "gamma": gamma}, spe, epochs, rates,
            [BASE_LR * gamma ** ((s // spe) // every) for s in range(total)])
    rates = run_schedule(lambda o: ls.ExponentialLR(o, gamma=0.8), total, spe)
    add("exponential", {"gamma": 0.8}, spe, epochs, rates, [BASE_LR * 0.8 ** (s // spe) for s in range(total)])

    for warmup in (0, 1, 2):
        warm = warmup * spe
        if warm == 0:
            make = lambda o: ls.CosineAnnealingLR(o, T_max=total, eta_min=0.0)
        else:
            make = lambda o: ls.SequentialLR(o, [ls.LinearLR(o, start_factor=1.0 / warm, end_factor=1.0, total_iters=warm - 1),
                                                 ls.CosineAnnealingLR(o, T_max=total - warm, eta_min=0.0)], milestones=[warm])
        expected = [BASE_LR * (s + 1) / warm if s < warm
                    else BASE_LR * (1 + math.cos(math.pi * (s - warm) / (total - warm))) / 2 for s in range(total)]
        add("cosine", {"warmup": warmup}, spe, epochs, run_schedule(make, total), expected)

    for n in (4, 10):
        rates = run_schedule(lambda o: ls.LinearLR(o, start_factor=1.0 / n, end_factor=1.0, total_iters=n - 1), total)
        add("warmup_linear", {"steps": n}, spe, epochs, rates, [BASE_LR * min(1.0, (s + 1) / n) for s in range(total)])

    # linear(start, end): LinearLR over all T steps, micrograd's 1.0 -> 0.1 decay among them.
    for start, end in ((1.0, 0.1), (0.25, 1.0), (1.0, 0.0)):
        rates = run_schedule(lambda o: ls.LinearLR(o, start_factor=start, end_factor=end, total_iters=total), total)
        add("linear", {"start": start, "end": end}, spe, epochs, rates,
            [BASE_LR * (start + (end - start) * s / total) for s in range(total)])

    # onecycle(max_lr): OneCycleLR without momentum cycling (ModelC leaves momentum alone); the base rate is unused.
    for max_lr, extra in ((0.5, {}), (0.2, {"pct_start": 0.25, "div_factor": 10.0, "final_div_factor": 100.0})):
        torch_args = {"pct_start": 0.3, "div_factor": 25.0, "final_div_factor": 1e4}
        torch_args.update(extra)
        rates = run_schedule(lambda o: ls.OneCycleLR(o, max_lr=max_lr, total_steps=total, cycle_momentum=False, **torch_args), total)
        add("onecycle", dict({"max_lr": max_lr}, **extra), spe, epochs, rates, None)

    # reduce_on_plateau(patience, factor): stepped once per epoch with a loss that stalls twice.
    losses = [1.0, 0.8, 0.7, 0.7, 0.71, 0.69995, 0.72, 0.5, 0.5, 0.49, 0.5, 0.5]
    plateau_epochs = len(losses)
    for arguments in ({"patience": 1, "factor": 0.5}, {"patience": 2, "factor": 0.1, "cooldown": 1, "min_lr": 0.02},
                      {"patience": 0, "factor": 0.5, "threshold": 0.01}):
        torch_args = {"patience": arguments["patience"], "factor": arguments["factor"], "cooldown": arguments.get("cooldown", 0),
                      "min_lr": arguments.get("min_lr", 0), "threshold": arguments.get("threshold", 1e-4)}
        rates = run_schedule(lambda o: ls.ReduceLROnPlateau(o, mode="min", threshold_mode="rel", **torch_args),
                             spe * plateau_epochs, spe, losses)
        add("reduce_on_plateau", arguments, spe, plateau_epochs, rates, None, losses)
    return {"torch": torch.__version__, "baseLearningRate": BASE_LR, "cases": cases}


# ---------------------------------------------------------------- safetensors weights

MLP_MODEL = """model WeightsMlp {
    input x : float[6];
    layer fc1 = dense(8);
    layer fc2 = dense(5);
    layer out = dense(3, bias: false);
    output logits = out(tanh(fc2(relu(fc1(x)))));
}
"""


class WeightsMlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(6, 8)
        self.fc2 = nn.Linear(8, 5)
        self.out = nn.Linear(5, 3, bias=False)

    def forward(self, x):
        return self.out(torch.tanh(self.fc2(torch.relu(self.fc1(x)))))


def write_safetensors(path, tensors, metadata):
    """The safetensors layout: u64 LE header length, JSON header, then the raw little-endian data."""
    header = {}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        data = t.detach().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)  # the reference writer pads the header to 8 bytes with spaces
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def weights_fixture():
    torch.manual_seed(11)
    module = WeightsMlp()
    g = torch.Generator().manual_seed(12)
    x = torch.randn(4, 6, generator=g)
    with torch.no_grad():
        logits = module(x)
    with open(os.path.join(HERE, "WeightsMlp.model"), "w", encoding="utf-8") as f:
        f.write(MLP_MODEL)
    write_safetensors(os.path.join(HERE, "WeightsMlp.safetensors"), module.state_dict(), {"format": "pt"})
    write_json("WeightsMlp.json", {"torch": torch.__version__, "batch": 4, "x": floats(x), "logits": floats(logits)})


if __name__ == "__main__":
    write_json("optimizers.json", optimizer_fixture())
    write_json("clipping.json", clipping_fixture())
    write_json("schedules.json", schedule_fixture())
    weights_fixture()
    print("wrote runtime fixtures to", HERE)
