#!/usr/bin/python3
"""Writes the PyTorch golden fixtures that the compiler's gradient tests compare against.

Run with Debian's interpreter, which has PyTorch 1.13:

    /usr/bin/python3 Tests/ModelC.Tests/Fixtures/make_fixtures.py

For every model below it writes <Name>.model (the source) and <Name>.json (parameters,
inputs, targets, outputs, loss and gradients). Parameters, inputs and float targets are drawn
in float32 so that C# can load them exactly; everything after that is computed in float64,
so the fixture is the exact answer for those float32 values. The format is described in
README.md next to this file.

Before writing, each model is checked twice: no value sits within KINK_MARGIN of a point
where the model is not differentiable (otherwise float32 and float64 could disagree on a
branch), and autograd's gradients agree with central finite differences.
"""

import json
import math
import os
import sys
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

import torch
import torch.nn.functional as F

KINK_MARGIN = 1e-2
BATCH = 4
MAX_SEED_ATTEMPTS = 500
FIXTURES_DIR = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------------------------------------
# Reference semantics (SPEC section 3). Tensors carry a leading batch axis; `axis` arguments
# count within one example, as in the language, and are shifted past the batch axis here.
# ---------------------------------------------------------------------------------------------

def batch_axis(axis: int) -> int:
    return axis + 1 if axis >= 0 else axis


def example_axes(t: torch.Tensor) -> List[int]:
    return list(range(1, t.dim()))


class DrawRejected(Exception):
    pass


class Ops:
    """The language's built-ins in float64, recording where each kink is met.

    A draw is kept only if every value stays KINK_MARGIN away from its kink and, for kinks
    with two sides (relu, abs, clamp bounds, hinge margins, ...), both sides are reached, so
    that the fixture tests both branches of every piecewise rule.
    """

    def __init__(self, margin: float = KINK_MARGIN) -> None:
        self.margin = margin
        # batchnorm: training mode uses and updates batch statistics, kept here per layer.
        self.training = True
        self.running: Dict[str, Tuple[torch.Tensor, torch.Tensor]] = {}
        self.closest: Dict[str, float] = {}
        self.sides: Dict[str, set] = {}

    def _near(self, what: str, signed_distance: torch.Tensor, both_sides: bool = True) -> None:
        d = signed_distance.detach()
        self.closest[what] = min(self.closest.get(what, math.inf), float(d.abs().min()))
        if both_sides:
            seen = self.sides.setdefault(what, set())
            if bool((d > 0).any()):
                seen.add("above")
            if bool((d < 0).any()):
                seen.add("below")

    def _top_two_gap(self, what: str, t: torch.Tensor, dim: int) -> None:
        if t.shape[dim] < 2:
            return
        top = t.detach().topk(2, dim=dim).values
        self._near(what, top.select(dim, 0) - top.select(dim, 1), both_sides=False)

    def check(self, model: str) -> None:
        for what, distance in self.closest.items():
            if distance < self.margin:
                raise DrawRejected(f"{model}: {what} comes within {distance:.3g} of its kink")
        for what, seen in self.sides.items():
            if len(seen) < 2:
                raise DrawRejected(f"{model}: {what} stays {next(iter(seen), 'at')} its kink")

    # elementwise
    def relu(self, x):
        self._near("relu input", x)
        return F.relu(x)

    def leaky_relu(self, x, slope):
        self._near("leaky_relu input", x)
        return F.leaky_relu(x, slope)

    def elu(self, x, alpha):
        self._near("elu input", x)
        return F.elu(x, alpha)

    def abs(self, x):
        self._near("abs input", x)
        return x.abs()

    def max(self, a, b):
        self._near("max(a, b) tie", a - b)
        return torch.maximum(a, b)

    def min(self, a, b):
        self._near("min(a, b) tie", a - b)
        return torch.minimum(a, b)

    def clamp(self, x, lo, hi):
        self._near("clamp lower bound", x - lo)
        self._near("clamp upper bound", x - hi)
        return x.clamp(lo, hi)

    # reductions and shape
    def sum(self, x, axis=None):
        return x.sum(dim=example_axes(x) if axis is None else batch_axis(axis))

    def mean(self, x, axis=None):
        return x.mean(dim=example_axes(x) if axis is None else batch_axis(axis))

    def max_over(self, x, axis=None):
        if axis is None:
            flat = x.reshape(x.shape[0], -1)
            self._top_two_gap("max_over tie", flat, 1)
            return flat.max(dim=1).values
        self._top_two_gap("max_over tie", x, batch_axis(axis))
        return x.max(dim=batch_axis(axis)).values

    @staticmethod
    def dot(a, b):
        return (a * b).sum(dim=-1)

    @staticmethod
    def concat(a, b, axis=0):
        return torch.cat([a, b], dim=batch_axis(axis))

    @staticmethod
    def reshape(x, shape):
        return x.reshape([x.shape[0]] + list(shape))

    @staticmethod
    def flatten(x):
        return x.reshape(x.shape[0], -1)

    @staticmethod
    def transpose(x):
        return x.transpose(-1, -2)

    @staticmethod
    def permute(x, axes):
        """The example's axes in the given order (negative from the end); the batch axis stays first."""
        rank = x.dim() - 1
        return x.permute([0] + [(a % rank) + 1 for a in axes])

    @staticmethod
    def poly(x, degree):
        return torch.cat([x ** d for d in range(1, degree + 1)], dim=-1)

    # layers
    @staticmethod
    def dense(x, weight, bias=None):
        return F.linear(x, weight, bias)

    def maxout(self, x, weight, bias, out, k):
        units = F.linear(x, weight, bias)
        pieces = units.reshape(list(units.shape[:-1]) + [out, k])
        self._top_two_gap("maxout tie", pieces, -1)
        return pieces.max(dim=-1).values

    # image and normalization layers
    @staticmethod
    def conv2d(x, weight, bias=None, stride=1, padding=0):
        return F.conv2d(x, weight, bias, stride=stride, padding=padding)

    def maxpool2d(self, x, k, stride=None):
        stride = k if stride is None else stride
        windows = F.unfold(x, k, stride=stride).reshape(x.shape[0], x.shape[1], k * k, -1)
        # Ties between zeros that a relu produced carry no gradient either way, so only windows
        # whose maximum is not 0 must have a clear winner.
        top = windows.detach().topk(2, dim=2).values
        gap = (top[:, :, 0] - top[:, :, 1])[top[:, :, 0] != 0]
        if gap.numel() > 0:
            self._near("maxpool2d tie", gap, both_sides=False)
        return F.max_pool2d(x, k, stride)

    @staticmethod
    def avgpool2d(x, k, stride=None):
        return F.avg_pool2d(x, k, k if stride is None else stride)

    # signals [C, L] and resampling
    @staticmethod
    def conv1d(x, weight, bias=None, stride=1, padding=0):
        return F.conv1d(x, weight, bias, stride=stride, padding=padding)

    def maxpool1d(self, x, k, stride=None):
        stride = k if stride is None else stride
        self._top_two_gap("maxpool1d tie", x.unfold(-1, k, stride), dim=-1)
        return F.max_pool1d(x, k, stride)

    @staticmethod
    def avgpool1d(x, k, stride=None):
        return F.avg_pool1d(x, k, k if stride is None else stride)

    def global_maxpool1d(self, x):
        self._top_two_gap("global_maxpool1d tie", x, dim=-1)
        return x.amax(dim=-1)

    @staticmethod
    def global_avgpool2d(x):
        return F.adaptive_avg_pool2d(x, 1).flatten(1)

    @staticmethod
    def adaptive_avgpool2d(x, size):
        return F.adaptive_avg_pool2d(x, size)

    @staticmethod
    def upsample2d(x, scale):
        return F.interpolate(x, scale_factor=scale, mode="nearest")

    @staticmethod
    def conv_transpose2d(x, weight, bias=None, stride=1, padding=0, output_padding=0):
        return F.conv_transpose2d(x, weight, bias, stride=stride, padding=padding, output_padding=output_padding)

    def batchnorm(self, x, weight, bias, layer):
        """torch.nn.BatchNorm1d/2d over axis 1 (channels), momentum 0.1, eps 1e-5, fresh running stats."""
        if layer not in self.running:
            channels = x.shape[1]
            self.running[layer] = (torch.zeros(channels, dtype=x.dtype), torch.ones(channels, dtype=x.dtype))
        mean, var = self.running[layer]
        return F.batch_norm(x, mean, var, weight, bias, training=self.training, momentum=0.1, eps=1e-5)

    @staticmethod
    def layernorm(x, weight, bias):
        return F.layer_norm(x, [x.shape[-1]], weight, bias, eps=1e-5)

    @staticmethod
    def causal_mask(size):
        return torch.nn.Transformer.generate_square_subsequent_mask(size).double()

    @staticmethod
    def multihead_attention(x, P, layer, heads, causal):
        """torch.nn.MultiheadAttention(E, heads, batch_first=True)(x, x, x) with the layer's parameters."""
        seq_first = x.transpose(0, 1)
        out, _ = F.multi_head_attention_forward(
            seq_first, seq_first, seq_first, x.shape[-1], heads,
            P[f"{layer}.in_proj_weight"], P[f"{layer}.in_proj_bias"], None, None, False, 0.0,
            P[f"{layer}.out_proj.weight"], P[f"{layer}.out_proj.bias"], training=False, need_weights=False,
            attn_mask=Ops.causal_mask(x.shape[1]) if causal else None)
        return out.transpose(0, 1)

    # per-example losses: each returns a [batch] vector
    @staticmethod
    def _reduce(elementwise, reduce):
        dims = example_axes(elementwise)
        if not dims:
            return elementwise
        return elementwise.sum(dim=dims) if reduce == "sum" else elementwise.mean(dim=dims)

    def mse(self, p, y, reduce="mean"):
        return self._reduce((p - y) ** 2, reduce)

    def mae(self, p, y, reduce="mean"):
        self._near("mae |p - y|", p - y)
        return self._reduce((p - y).abs(), reduce)

    def huber(self, p, y, delta=1.0, reduce="mean"):
        d = p - y
        self._near("huber |d| = delta", d.abs() - delta)
        return self._reduce(F.huber_loss(p, y, reduction="none", delta=delta), reduce)

    def bce(self, p, y, reduce="mean"):
        # PyTorch's BCELoss: each log clamped at -100, and its own backward (p - y) / max(p (1 - p), 1e-12).
        return self._reduce(F.binary_cross_entropy(p, y, reduction="none"), reduce)

    def bce_logits(self, z, y, reduce="mean"):
        return self._reduce(F.binary_cross_entropy_with_logits(z, y, reduction="none"), reduce)

    @staticmethod
    def cross_entropy_int(logits, y):
        return -F.log_softmax(logits, dim=-1).gather(-1, y.unsqueeze(-1)).squeeze(-1)

    @staticmethod
    def cross_entropy_float(logits, y):
        return -(y * F.log_softmax(logits, dim=-1)).sum(dim=-1)

    def hinge(self, s, y, reduce="mean"):
        margin = 1 - y * s
        self._near("hinge margin", margin)
        return self._reduce(F.relu(margin), reduce)

    def perceptron(self, s, y, reduce="mean"):
        agreement = y * s
        self._near("perceptron y*s", agreement)
        return self._reduce(F.relu(-agreement), reduce)

    @staticmethod
    def kl_normal(mu, logvar):
        return -0.5 * (1 + logvar - mu ** 2 - logvar.exp()).sum(dim=example_axes(mu))

    # regularizers: one number for the whole batch
    def l1(self, *tensors):
        for t in tensors:
            self._near("l1 argument", t)
        return sum(t.abs().sum() for t in tensors)

    @staticmethod
    def l2(*tensors):
        return sum((t ** 2).sum() for t in tensors)


# ---------------------------------------------------------------------------------------------
# How each fixture draws its numbers.
# ---------------------------------------------------------------------------------------------

def dense_init(fan_in: int) -> Callable[[List[int], torch.Generator], torch.Tensor]:
    """PyTorch's nn.Linear default: uniform(-1/sqrt(fan_in), 1/sqrt(fan_in))."""
    bound = 1.0 / math.sqrt(fan_in)
    return lambda shape, g: (torch.rand(shape, generator=g) * 2 - 1) * bound


def normal_init(mean: float, std: float):
    return lambda shape, g: torch.randn(shape, generator=g) * std + mean


def standard_normal(shape, g):
    return torch.randn(shape, generator=g)


def signs(shape, g):
    return torch.randint(0, 2, shape, generator=g).float() * 2 - 1


def zeros_or_ones(shape, g):
    return torch.randint(0, 2, shape, generator=g).float()


def distribution(shape, g):
    return torch.softmax(torch.randn(shape, generator=g) * 1.5, dim=-1)


@dataclass
class Parameter:
    name: str
    shape: List[int]
    init: Callable


@dataclass
class Target:
    kind: str                      # "int" or "float"
    shape: List[int]               # per example; [] for int<N>
    classes: Optional[int] = None  # N for int<N>
    sampler: Optional[Callable] = None


@dataclass
class Fixture:
    name: str
    source: str
    parameters: List[Parameter]
    inputs: Dict[str, List[int]]
    targets: Dict[str, Target]
    # forward(ops, params, inputs, targets) -> (outputs, per-example loss [batch], regularizer)
    forward: Callable
    first_seed: int = 0
    # Models with thousands of relu inputs and pooling windows never keep all of them 1e-2 from a
    # kink; a smaller margin still exceeds float32's rounding in their values by a factor of 10.
    kink_margin: float = KINK_MARGIN
    # gradcheck perturbs every parameter and input twice; for a LeNet that is hours in float64.
    finite_differences: bool = True
    # Inputs not drawn from a standard normal: name -> sampler(shape, generator).
    input_samplers: Dict[str, Callable] = field(default_factory=dict)
    # Inputs that sit on the edge of their domain (a probability of exactly 0 or 1), where a central
    # difference would step outside it; gradcheck holds them fixed and autograd alone is trusted there.
    held_fixed: List[str] = field(default_factory=list)


def conv_params(layer: str, in_channels: int, filters: int, kernel: int, bias: bool = True) -> List[Parameter]:
    """PyTorch's nn.Conv2d default: uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = C·k·k."""
    fan_in = in_channels * kernel * kernel
    result = [Parameter(f"{layer}.weight", [filters, in_channels, kernel, kernel], dense_init(fan_in))]
    if bias:
        result.append(Parameter(f"{layer}.bias", [filters], dense_init(fan_in)))
    return result


def conv1d_params(layer: str, in_channels: int, filters: int, kernel: int, bias: bool = True) -> List[Parameter]:
    """PyTorch's nn.Conv1d default: uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = C·k."""
    fan_in = in_channels * kernel
    result = [Parameter(f"{layer}.weight", [filters, in_channels, kernel], dense_init(fan_in))]
    if bias:
        result.append(Parameter(f"{layer}.bias", [filters], dense_init(fan_in)))
    return result


def conv_transpose_params(layer: str, in_channels: int, filters: int, kernel: int, bias: bool = True) -> List[Parameter]:
    """nn.ConvTranspose2d: weight [C, filters, k, k], fan_in from its second axis (filters·k·k)."""
    fan_in = filters * kernel * kernel
    result = [Parameter(f"{layer}.weight", [in_channels, filters, kernel, kernel], dense_init(fan_in))]
    if bias:
        result.append(Parameter(f"{layer}.bias", [filters], dense_init(fan_in)))
    return result


def norm_params(layer: str, features: int) -> List[Parameter]:
    """Weight near 1 and bias near 0, but not exactly, so that both gradients are tested."""
    return [Parameter(f"{layer}.weight", [features], normal_init(1.0, 0.3)),
            Parameter(f"{layer}.bias", [features], normal_init(0.0, 0.3))]


def dense_params(layer: str, fan_in: int, out: int, bias: bool = True) -> List[Parameter]:
    result = [Parameter(f"{layer}.weight", [out, fan_in], dense_init(fan_in))]
    if bias:
        result.append(Parameter(f"{layer}.bias", [out], dense_init(fan_in)))
    return result


# ---------------------------------------------------------------------------------------------
# The models. Each forward mirrors its .model source line by line.
# ---------------------------------------------------------------------------------------------

FIXTURES: List[Fixture] = []


def fixture(**kwargs):
    FIXTURES.append(Fixture(**kwargs))


def dense_classifier(o, P, X, Y):
    h = o.relu(o.dense(X["x"], P["fc1.weight"], P["fc1.bias"]))
    logits = o.dense(h, P["fc2.weight"])
    probs = torch.softmax(logits, dim=-1)
    return ({"logits": logits, "probs": probs},
            o.cross_entropy_int(logits, Y["y"]),
            0.01 * o.l2(P["fc1.weight"]))


fixture(
    name="DenseClassifier",
    source="""\
model DenseClassifier {
    input  x : float[6];
    target y : int<4>;

    layer fc1 = dense(5);
    layer fc2 = dense(4, bias: false);

    let h = relu(fc1(x));
    output logits = fc2(h);
    output probs  = softmax(logits);

    loss = cross_entropy(logits, y) + 0.01 * l2(fc1.weight);
}
""",
    parameters=dense_params("fc1", 6, 5) + dense_params("fc2", 5, 4, bias=False),
    inputs={"x": [6]},
    targets={"y": Target("int", [], classes=4)},
    forward=dense_classifier,
    first_seed=100,
)


def smooth_activations(o, P, X, Y):
    h = o.dense(X["x"], P["fc1.weight"], P["fc1.bias"]) * 3
    a = torch.sigmoid(h) + torch.tanh(h) - o.leaky_relu(h, 0.1) + o.elu(h, 1.0)
    b = F.softplus(h) * F.mish(h) + F.gelu(h)
    out = o.dense(a * 0.5 + b, P["fc2.weight"], P["fc2.bias"])
    return {"out": out}, o.mse(out, Y["y"]), 0.0


fixture(
    name="SmoothActivations",
    source="""\
model SmoothActivations {
    input  x : float[5];
    target y : float[4];

    layer fc1 = dense(6);
    layer fc2 = dense(4);

    let h = fc1(x) * 3;
    let a = sigmoid(h) + tanh(h) - leaky_relu(h, 0.1) + elu(h, 1.0);
    let b = softplus(h) * mish(h) + gelu(h);
    output out = fc2(a * 0.5 + b);

    loss = mse(out, y);
}
""",
    parameters=dense_params("fc1", 5, 6) + dense_params("fc2", 6, 4),
    inputs={"x": [5]},
    targets={"y": Target("float", [4], sampler=standard_normal)},
    forward=smooth_activations,
    first_seed=200,
)


def elementwise_math(o, P, X, Y):
    x = X["x"]
    h = o.dense(x, P["fc1.weight"], P["fc1.bias"])
    positive = torch.log(F.softplus(h) + 1) + torch.sqrt(h ** 2 + 1)
    bump = torch.exp(-(h ** 2) * 0.5)
    bounded = o.max(h, x) - o.min(h, 2 * x) + o.clamp(h, -0.5, 0.5)
    odd = torch.pow(h, 3) * 0.1 + o.abs(h - x) / (x ** 2 + 1)
    out = positive + bump + bounded + odd - x
    return {"out": out}, o.mae(out, Y["y"]), 0.0


fixture(
    name="ElementwiseMath",
    source="""\
model ElementwiseMath {
    input  x : float[6];
    target y : float[6];

    layer fc1 = dense(6);

    let h = fc1(x);
    let positive = log(softplus(h) + 1) + sqrt(square(h) + 1);
    let bump = exp(-square(h) * 0.5);
    let bounded = max(h, x) - min(h, 2 * x) + clamp(h, -0.5, 0.5);
    let odd = pow(h, 3) * 0.1 + abs(h - x) / (square(x) + 1);
    output out = positive + bump + bounded + odd - x;

    loss = mae(out, y);
}
""",
    parameters=dense_params("fc1", 6, 6),
    inputs={"x": [6]},
    targets={"y": Target("float", [6], sampler=standard_normal)},
    forward=elementwise_math,
    first_seed=300,
)


def maxout_huber(o, P, X, Y):
    m = o.maxout(X["x"], P["mo.weight"], P["mo.bias"], 3, 2)
    out = o.dense(m, P["fc.weight"], P["fc.bias"])
    reg = 0.001 * o.l1(P["mo.weight"], P["fc.weight"])
    return {"out": out}, o.huber(out, Y["y"], delta=0.5), reg


fixture(
    name="MaxoutHuber",
    source="""\
model MaxoutHuber {
    input  x : float[5];
    target y : float[2];

    layer mo = maxout(3, 2);
    layer fc = dense(2);

    output out = fc(mo(x));

    loss = huber(out, y, delta: 0.5) + 0.001 * l1(mo.weight, fc.weight);
}
""",
    parameters=dense_params("mo", 5, 6) + dense_params("fc", 3, 2),
    inputs={"x": [5]},
    targets={"y": Target("float", [2], sampler=standard_normal)},
    forward=maxout_huber,
    first_seed=400,
)


def matrix_ops(o, P, X, Y):
    x, w, M = X["x"], P["w"], P["M"]
    scaled = x * w + 0.5
    mm = scaled @ M
    mv = x @ w
    cols = o.sum(scaled, axis=0)
    rows = o.mean(x, 1)
    peaks = o.max_over(scaled, -1)
    fx = o.dense(x, P["fc.weight"], P["fc.bias"])
    t = o.transpose(mm - fx)
    grid = o.reshape(o.concat(o.flatten(t), o.flatten(mm * fx), axis=0), [3, 4])
    energy = o.sum(grid)
    # Per-example broadcasting aligns trailing axes of one example; unsqueeze keeps the batch axis first.
    out = o.sum(grid * cols.unsqueeze(1), axis=1) + mv / 2 + rows - peaks + 0.1 * energy.unsqueeze(-1)
    return {"grid": grid, "out": out}, o.mse(out, Y["y"]), 0.0


fixture(
    name="MatrixOps",
    source="""\
model MatrixOps {
    input  x : float[3, 4];
    target y : float[3];

    param w : float[4] = normal(0, 0.5);
    param M : float[4, 2] = normal(0, 0.5);
    layer fc = dense(2);

    let scaled = x * w + 0.5;
    let mm = scaled @ M;
    let mv = x @ w;
    let cols = sum(scaled, axis: 0);
    let rows = mean(x, 1);
    let peaks = max_over(scaled, -1);
    let t = transpose(mm - fc(x));
    output grid = reshape(concat(flatten(t), flatten(mm * fc(x)), axis: 0), [3, 4]);
    let energy = sum(grid);
    output out = sum(grid * cols, axis: 1) + mv / 2 + rows - peaks + 0.1 * energy;

    loss = mse(out, y);
}
""",
    parameters=[Parameter("w", [4], normal_init(0, 0.5)), Parameter("M", [4, 2], normal_init(0, 0.5))]
    + dense_params("fc", 4, 2),
    inputs={"x": [3, 4]},
    targets={"y": Target("float", [3], sampler=standard_normal)},
    forward=matrix_ops,
    first_seed=500,
)


def logistic_bce(o, P, X, Y):
    logits = o.dense(X["x"], P["fc.weight"], P["fc.bias"])
    p = torch.sigmoid(logits)
    return {"logits": logits, "p": p}, o.bce(p, Y["y"]) + o.bce_logits(logits, Y["y"]), 0.0


fixture(
    name="LogisticBce",
    source="""\
model LogisticBce {
    input  x : float[4];
    target y : float[3];

    layer fc = dense(3);

    output logits = fc(x);
    output p = sigmoid(logits);

    loss = bce(p, y) + bce_logits(logits, y);
}
""",
    parameters=dense_params("fc", 4, 3),
    inputs={"x": [4]},
    targets={"y": Target("float", [3], sampler=zeros_or_ones)},
    forward=logistic_bce,
    first_seed=600,
)


def require_every_pairing(what: str, p: torch.Tensor, y: torch.Tensor) -> None:
    """Rejects a draw unless p = 0 and p = 1 each meet both y = 0 and y = 1."""
    for pv in (0.0, 1.0):
        for yv in (0.0, 1.0):
            if not bool(((p == pv) & (y == yv)).any()):
                raise DrawRejected(f"{what}: no element with p = {pv:g} and y = {yv:g}")


def bce_saturated(o, P, X, Y):
    z = o.concat(o.dense(X["x"], P["fc.weight"], P["fc.bias"]), 1e6 * X["s"], axis=0)
    p = torch.sigmoid(z)
    require_every_pairing("sigmoid(1e6 * s)", p[:, 2:], Y["y"][:, 2:])
    require_every_pairing("q", X["q"], Y["t"])
    return {"p": p}, o.bce(p, Y["y"]) + o.bce(X["q"], Y["t"], reduce="sum"), 0.0


fixture(
    name="BceSaturated",
    source="""\
model BceSaturated {
    input  x : float[3];
    input  s : float[2];                // ±1: scaled by 1e6, sigmoid rounds to exactly 0 or 1
    input  q : float[2];                // probabilities of exactly 0 or 1
    target y : float[4];
    target t : float[2];

    layer fc = dense(2);

    output p = sigmoid(concat(fc(x), 1e6 * s, axis: 0));

    loss = bce(p, y) + bce(q, t, reduce: sum);
}
""",
    parameters=dense_params("fc", 3, 2),
    inputs={"x": [3], "s": [2], "q": [2]},
    targets={"y": Target("float", [4], sampler=zeros_or_ones), "t": Target("float", [2], sampler=zeros_or_ones)},
    forward=bce_saturated,
    first_seed=2000,
    input_samplers={"s": signs, "q": zeros_or_ones},
    held_fixed=["q"],
)


def soft_targets(o, P, X, Y):
    a = o.dense(X["x"], P["fc1.weight"], P["fc1.bias"])
    b = o.dense(X["x"], P["fc2.weight"], P["fc2.bias"])
    logits = a * torch.softmax(b, dim=-1) + o.dot(a, b).unsqueeze(-1)
    logp = F.log_softmax(logits, dim=-1)
    per_example = o.cross_entropy_float(logits, Y["y"]) - 0.1 * o.mean(logp)
    return {"logits": logits, "logp": logp}, per_example, 0.0


fixture(
    name="SoftTargets",
    source="""\
model SoftTargets {
    input  x : float[6];
    target y : float[4];

    layer fc1 = dense(4);
    layer fc2 = dense(4);

    let a = fc1(x);
    let b = fc2(x);
    output logits = a * softmax(b) + dot(a, b);
    output logp = log_softmax(logits);

    loss = cross_entropy(logits, y) - 0.1 * mean(logp);
}
""",
    parameters=dense_params("fc1", 6, 4) + dense_params("fc2", 6, 4),
    inputs={"x": [6]},
    targets={"y": Target("float", [4], sampler=distribution)},
    forward=soft_targets,
    first_seed=700,
)


def hinge_svm(o, P, X, Y):
    score = o.dense(X["x"], P["fc.weight"], P["fc.bias"]) * P["gain"]
    reg = 0.01 * o.l2(P["fc.weight"], P["fc.bias"], P["gain"])
    return {"score": score}, o.hinge(score, Y["y"]), reg


fixture(
    name="HingeSvm",
    source="""\
model HingeSvm {
    input  x : float[4];
    target y : float[2];

    layer fc = dense(2);
    param gain : float[2] = normal(1, 0.5);

    output score = fc(x) * gain;

    loss = hinge(score, y) + 0.01 * l2(params);
}
""",
    parameters=dense_params("fc", 4, 2) + [Parameter("gain", [2], normal_init(1, 0.5))],
    inputs={"x": [4]},
    targets={"y": Target("float", [2], sampler=signs)},
    forward=hinge_svm,
    first_seed=800,
)


def perceptron_model(o, P, X, Y):
    h = torch.tanh(o.dense(X["x"], P["hidden.weight"], P["hidden.bias"]))
    score = o.dense(h, P["fc.weight"], P["fc.bias"])
    return {"score": score}, o.perceptron(score, Y["y"]), 0.0


fixture(
    name="PerceptronScore",
    source="""\
model PerceptronScore {
    input  x : float[3];
    target y : float[1];

    layer hidden = dense(3);
    layer fc = dense(1);

    output score = fc(tanh(hidden(x)));

    loss = perceptron(score, y);
}
""",
    parameters=dense_params("hidden", 3, 3) + dense_params("fc", 3, 1),
    inputs={"x": [3]},
    targets={"y": Target("float", [1], sampler=signs)},
    forward=perceptron_model,
    first_seed=900,
)


def vae_kl(o, P, X, Y):
    x = X["x"]
    h = torch.tanh(o.dense(x, P["enc.weight"], P["enc.bias"]))
    mu = o.dense(h, P["muHead.weight"], P["muHead.bias"])
    logvar = o.dense(h, P["logvarHead.weight"], P["logvarHead.bias"])
    recon = torch.sigmoid(o.dense(mu, P["dec.weight"], P["dec.bias"]))
    per_example = o.mse(recon, x, reduce="sum") + o.kl_normal(mu, logvar)
    return {"mu": mu, "logvar": logvar, "recon": recon}, per_example, 0.0


fixture(
    name="VaeKl",
    source="""\
model VaeKl {
    input x : float[6];

    layer enc = dense(5);
    layer muHead = dense(2);
    layer logvarHead = dense(2);
    layer dec = dense(6);

    let h = tanh(enc(x));
    output mu = muHead(h);
    output logvar = logvarHead(h);
    output recon = sigmoid(dec(mu));

    loss = mse(recon, x, reduce: sum) + kl_normal(mu, logvar);
}
""",
    parameters=dense_params("enc", 6, 5) + dense_params("muHead", 5, 2)
    + dense_params("logvarHead", 5, 2) + dense_params("dec", 2, 6),
    inputs={"x": [6]},
    targets={},
    forward=vae_kl,
    first_seed=1000,
)


def poly_regression(o, P, X, Y):
    out = o.dense(o.poly(X["x"], 3), P["fc.weight"], P["fc.bias"])
    return {"out": out}, o.mse(out, Y["y"]), 0.001 * o.l2(P["fc.weight"])


fixture(
    name="PolyRegression",
    source="""\
model PolyRegression {
    input  x : float[2];
    target y : float[1];

    layer fc = dense(1);

    output out = fc(poly(x, 3));

    loss = mse(out, y) + 0.001 * l2(fc.weight);
}
""",
    parameters=dense_params("fc", 6, 1),
    inputs={"x": [2]},
    targets={"y": Target("float", [1], sampler=standard_normal)},
    forward=poly_regression,
    first_seed=1100,
)


def hinge_sum(o, P, X, Y):
    h = o.relu(o.dense(X["x"], P["fc1.weight"], P["fc1.bias"]))
    score = o.dense(h, P["fc2.weight"], P["fc2.bias"])
    return {"score": score}, o.hinge(score, Y["y"], reduce="sum"), 0.0


fixture(
    name="HingeSum",
    source="""\
model HingeSum {
    input  x : float[5];
    target y : float[3];

    layer fc1 = dense(8);
    layer fc2 = dense(3);

    output score = fc2(relu(fc1(x)));

    loss = hinge(score, y, reduce: sum);
}
""",
    parameters=dense_params("fc1", 5, 8) + dense_params("fc2", 8, 3),
    inputs={"x": [5]},
    targets={"y": Target("float", [3], sampler=signs)},
    forward=hinge_sum,
    first_seed=1200,
)


def lenet(o, P, X, Y):
    h1 = o.maxpool2d(o.relu(o.conv2d(X["x"], P["conv1.weight"], P["conv1.bias"], padding=2)), 2)
    h2 = o.maxpool2d(o.relu(o.conv2d(h1, P["conv2.weight"], P["conv2.bias"])), 2)
    h3 = o.relu(o.dense(o.flatten(h2), P["fc1.weight"], P["fc1.bias"]))
    h4 = o.relu(o.dense(h3, P["fc2.weight"], P["fc2.bias"]))
    logits = o.dense(h4, P["fc3.weight"], P["fc3.bias"])
    return {"logits": logits}, o.cross_entropy_int(logits, Y["y"]), 0.0


fixture(
    name="LeNet",
    source="""\
model LeNet {
    input  x : float[1, 28, 28];
    target y : int<10>;

    layer conv1 = conv2d(6, 5, padding: 2);
    layer pool1 = maxpool2d(2);
    layer conv2 = conv2d(16, 5);
    layer pool2 = maxpool2d(2);
    layer fc1 = dense(120);
    layer fc2 = dense(84);
    layer fc3 = dense(10);

    let h1 = pool1(relu(conv1(x)));
    let h2 = pool2(relu(conv2(h1)));
    let h3 = relu(fc1(flatten(h2)));
    let h4 = relu(fc2(h3));
    output logits = fc3(h4);

    loss = cross_entropy(logits, y);
}
""",
    parameters=conv_params("conv1", 1, 6, 5) + conv_params("conv2", 6, 16, 5)
    + dense_params("fc1", 400, 120) + dense_params("fc2", 120, 84) + dense_params("fc3", 84, 10),
    inputs={"x": [1, 28, 28]},
    targets={"y": Target("int", [], classes=10)},
    forward=lenet,
    first_seed=1300,
    kink_margin=5e-6,
    finite_differences=False,
)


def conv_variants(o, P, X, Y):
    x = X["x"]
    a = torch.tanh(o.conv2d(x, P["down.weight"], None, stride=2, padding=1))
    b = torch.tanh(o.conv2d(a, P["same.weight"], P["same.bias"], padding="same"))
    c = o.avgpool2d(b + a, 3, stride=1)
    d = o.maxpool2d(o.conv2d(x, P["wide.weight"], P["wide.bias"], stride=3, padding=2), 2, stride=1)
    out = o.dense(torch.cat([o.flatten(c), o.flatten(d)], dim=-1), P["fc.weight"], P["fc.bias"])
    return {"out": out}, o.mse(out, Y["y"]), 0.0


fixture(
    name="ConvVariants",
    source="""\
model ConvVariants {
    input  x : float[3, 9, 7];
    target y : float[4];

    layer down = conv2d(4, 3, stride: 2, padding: 1, bias: false);
    layer same = conv2d(4, 4, padding: same);
    layer pool = avgpool2d(3, stride: 1);
    layer wide = conv2d(2, 5, stride: 3, padding: 2);
    layer peak = maxpool2d(2, stride: 1);
    layer fc = dense(4);

    let a = tanh(down(x));
    let b = tanh(same(a));
    let c = pool(b + a);
    let d = peak(wide(x));
    output out = fc(concat(flatten(c), flatten(d), axis: 0));

    loss = mse(out, y);
}
""",
    parameters=conv_params("down", 3, 4, 3, bias=False) + conv_params("same", 4, 4, 4)
    + conv_params("wide", 3, 2, 5) + dense_params("fc", 4 * 3 * 2 + 2 * 2 * 2, 4),
    inputs={"x": [3, 9, 7]},
    targets={"y": Target("float", [4], sampler=standard_normal)},
    forward=conv_variants,
    first_seed=1400,
    kink_margin=1e-3,
)


def layer_norm_model(o, P, X, Y):
    h = o.layernorm(o.dense(X["x"], P["fc1.weight"], P["fc1.bias"]), P["ln.weight"], P["ln.bias"])
    rows = o.layernorm(o.reshape(X["x"], [2, 4]), P["rows.weight"], P["rows.bias"])
    logits = o.dense(o.concat(torch.tanh(h), o.flatten(rows), axis=0), P["fc2.weight"], P["fc2.bias"])
    return {"logits": logits}, o.cross_entropy_int(logits, Y["y"]), 0.0


fixture(
    name="LayerNormModel",
    source="""\
model LayerNormModel {
    input  x : float[8];
    target y : int<3>;

    layer fc1 = dense(6);
    layer ln = layernorm();
    layer rows = layernorm();
    layer fc2 = dense(3);

    let h = ln(fc1(x));
    let r = rows(reshape(x, [2, 4]));
    output logits = fc2(concat(tanh(h), flatten(r), axis: 0));

    loss = cross_entropy(logits, y);
}
""",
    parameters=dense_params("fc1", 8, 6) + norm_params("ln", 6) + norm_params("rows", 4) + dense_params("fc2", 14, 3),
    inputs={"x": [8]},
    targets={"y": Target("int", [], classes=3)},
    forward=layer_norm_model,
    first_seed=1500,
)


def attention_ops(o, P, X, Y):
    x, w, s = X["x"], P["w"], P["s"]
    q = x @ w
    scores = q @ x.transpose(-2, -1)
    attention = torch.softmax(scores, dim=batch_axis(-1))
    mixed = attention @ x
    heads = o.permute(mixed, [1, 0, 2])
    columns = torch.softmax(heads, dim=batch_axis(0))
    spread = F.log_softmax(o.reshape(x, [2, 1, 3, 4]) @ s, dim=batch_axis(1))
    t = o.permute(spread, [2, 3, 0, 1])
    rows = x @ P["u"]
    out = o.sum(columns * heads, axis=2) + o.sum(o.sum(t, axis=1), axis=2) + rows.transpose(-2, -1)
    return {"scores": scores, "out": out}, o.mse(out, Y["y"]), 0.0


fixture(
    name="AttentionOps",
    source="""\
model AttentionOps {
    input  x : float[2, 3, 4];                          // two stacks (heads) of 3 rows of 4
    target y : float[3, 2];

    param w : float[4, 4] = normal(0, 0.5);
    param s : float[2, 4, 3] = normal(0, 0.5);
    param u : float[4] = normal(0, 0.5);

    let q = x @ w;                                      // one matrix for both stacks: [2, 3, 4]
    output scores = q @ transpose(x, -2, -1);           // batched: [2, 3, 4] @ [2, 4, 3] -> [2, 3, 3]
    let attention = softmax(scores, axis: -1);
    let heads = permute(attention @ x, [1, 0, 2]);      // [3, 2, 4]
    let columns = softmax(heads, axis: 0);              // over the first axis
    let spread = log_softmax(reshape(x, [2, 1, 3, 4]) @ s, axis: 1);   // leading axes [2, 1] and [2] broadcast: [2, 2, 3, 3]
    let t = transpose(spread, [2, 3, 0, 1]);            // [3, 3, 2, 2]
    output out = sum(columns * heads, axis: 2) + sum(sum(t, axis: 1), axis: 2) + transpose(x @ u);

    loss = mse(out, y);
}
""",
    parameters=[Parameter("w", [4, 4], normal_init(0, 0.5)), Parameter("s", [2, 4, 3], normal_init(0, 0.5)),
                Parameter("u", [4], normal_init(0, 0.5))],
    inputs={"x": [2, 3, 4]},
    targets={"y": Target("float", [3, 2], sampler=standard_normal)},
    forward=attention_ops,
    first_seed=1800,
)


def masked_fill_model(o, P, X, Y):
    x, pad, w = X["x"], X["pad"], P["w"]
    scores = (x @ w) @ x.transpose(-2, -1)
    causal = torch.triu(torch.ones(3, 3, dtype=torch.bool), diagonal=1)
    hidden = scores.masked_fill(causal, -1e30).masked_fill(pad.unsqueeze(1) != 0, -1e30)
    mixed = torch.softmax(hidden, dim=batch_axis(-1)) @ x
    out = mixed.masked_fill(pad.unsqueeze(2) != 0, 0.5)
    return {"hidden": hidden, "out": out}, o.mse(out, Y["y"]), 0.0


fixture(
    name="MaskedFill",
    source="""\
model MaskedFill {
    input  x : float[3, 4];
    input  pad : float[3];                              // 1 where a position is padding
    target y : float[3, 4];

    param w : float[4, 4] = normal(0, 0.5);

    let scores = (x @ w) @ transpose(x, -2, -1);        // [3, 3]
    // Each position attends to the ones before it that are not padding; pad [3] broadcasts along the rows.
    output hidden = masked_fill(masked_fill(scores, causal_mask(3), -1e30), pad, -1e30);
    let mixed = softmax(hidden, axis: -1) @ x;
    output out = masked_fill(mixed, reshape(pad, [3, 1]), 0.5);   // padded rows become 0.5

    loss = mse(out, y);
}
""",
    parameters=[Parameter("w", [4, 4], normal_init(0, 0.5))],
    inputs={"x": [3, 4], "pad": [3]},
    targets={"y": Target("float", [3, 4], sampler=standard_normal)},
    forward=masked_fill_model,
    input_samplers={"pad": zeros_or_ones},
    held_fixed=["pad"],
    first_seed=1900,
)


def transformer_block(o, P, x, name, heads):
    """block Transformer(heads, width): pre-LN, x + attn(ln1(x)), then h + proj(gelu(fc(ln2(h))))."""
    def ln(t, layer):
        return o.layernorm(t, P[f"{name}.{layer}.weight"], P[f"{name}.{layer}.bias"])
    h = x + o.multihead_attention(ln(x, "ln1"), P, f"{name}.attn", heads, causal=True)
    return h + o.dense(F.gelu(o.dense(ln(h, "ln2"), P[f"{name}.fc.weight"], P[f"{name}.fc.bias"])), P[f"{name}.proj.weight"], P[f"{name}.proj.bias"])


def attention_params(layer: str, width: int) -> List[Parameter]:
    """nn.MultiheadAttention's layout; biases drawn away from PyTorch's zeros so that every term is tested."""
    return [Parameter(f"{layer}.in_proj_weight", [3 * width, width], dense_init(width)),
            Parameter(f"{layer}.in_proj_bias", [3 * width], dense_init(width)),
            Parameter(f"{layer}.out_proj.weight", [width, width], dense_init(width)),
            Parameter(f"{layer}.out_proj.bias", [width], dense_init(width))]


def transformer_block_model(o, P, X, Y):
    h = transformer_block(o, P, X["x"] + P["pos"], "block", heads=2)
    out = o.dense(h, P["head.weight"], P["head.bias"])
    return {"out": out}, o.mse(out, Y["y"]), 0.0


fixture(
    name="TransformerBlock",
    source="""\
block Transformer(heads, width) {
    layer ln1  = layernorm();
    layer attn = multihead_attention(heads, causal: true);
    layer ln2  = layernorm();
    layer fc   = dense(4 * width);
    layer proj = dense(width);
    forward(x) {
        let h = x + attn(ln1(x));
        return h + proj(gelu(fc(ln2(h))));
    }
}

model TransformerBlock {
    input  x : float[5, 8];                 // 5 positions of 8 features
    target y : float[5, 3];

    param pos : float[5, 8] = normal(0, 0.5);   // a learned position embedding
    layer block = Transformer(2, 8);
    layer head = dense(3);

    output out = head(block(x + pos));

    loss = mse(out, y);
}
""",
    parameters=[Parameter("pos", [5, 8], normal_init(0, 0.5))]
    + norm_params("block.ln1", 8) + attention_params("block.attn", 8) + norm_params("block.ln2", 8)
    + dense_params("block.fc", 8, 32) + dense_params("block.proj", 32, 8) + dense_params("head", 8, 3),
    inputs={"x": [5, 8]},
    targets={"y": Target("float", [5, 3], sampler=standard_normal)},
    forward=transformer_block_model,
    first_seed=1900,
)


# Models with batch normalization: their training-mode and inference-mode outputs differ, so
# they are written to BatchNorm/ with the running statistics after one training pass and the
# inference outputs that use them (see build_stateful).
STATEFUL_FIXTURES: List[Fixture] = []


def batch_norm_model(o, P, X, Y):
    h = torch.tanh(o.batchnorm(o.conv2d(X["x"], P["conv.weight"], None, padding=1), P["bn.weight"], P["bn.bias"], "bn"))
    f = torch.tanh(o.batchnorm(o.dense(o.flatten(h), P["fc.weight"]), P["bnf.weight"], P["bnf.bias"], "bnf"))
    logits = o.dense(f, P["out.weight"], P["out.bias"])
    return {"logits": logits}, o.cross_entropy_int(logits, Y["y"]), 0.0


STATEFUL_FIXTURES.append(Fixture(
    name="BatchNormModel",
    source="""\
model BatchNormModel {
    input  x : float[2, 6, 5];
    target y : int<3>;

    layer conv = conv2d(4, 3, padding: 1, bias: false);
    layer bn = batchnorm();
    layer fc = dense(8, bias: false);
    layer bnf = batchnorm();
    layer out = dense(3);

    let h = tanh(bn(conv(x)));
    let f = tanh(bnf(fc(flatten(h))));
    output logits = out(f);

    loss = cross_entropy(logits, y);
}
""",
    parameters=conv_params("conv", 2, 4, 3, bias=False) + norm_params("bn", 4) + dense_params("fc", 120, 8, bias=False)
    + norm_params("bnf", 8) + dense_params("out", 8, 3),
    inputs={"x": [2, 6, 5]},
    targets={"y": Target("int", [], classes=3)},
    forward=batch_norm_model,
    first_seed=1600,
))


def res_block(o, P, x, name):
    """block ResBlock(channels): tanh(x + bn2(conv2(tanh(bn1(conv1(x)))))), 'same' 3x3 convolutions."""
    h = torch.tanh(o.batchnorm(o.conv2d(x, P[f"{name}.conv1.weight"], None, padding=1), P[f"{name}.bn1.weight"], P[f"{name}.bn1.bias"], f"{name}.bn1"))
    return torch.tanh(x + o.batchnorm(o.conv2d(h, P[f"{name}.conv2.weight"], None, padding=1), P[f"{name}.bn2.weight"], P[f"{name}.bn2.bias"], f"{name}.bn2"))


def res_block_params(name: str, channels: int) -> List[Parameter]:
    return (conv_params(f"{name}.conv1", channels, channels, 3, bias=False) + norm_params(f"{name}.bn1", channels)
            + conv_params(f"{name}.conv2", channels, channels, 3, bias=False) + norm_params(f"{name}.bn2", channels))


def res_block_model(o, P, X, Y):
    h = res_block(o, P, res_block(o, P, o.conv2d(X["x"], P["stem.weight"], P["stem.bias"], padding=1), "res1"), "res2")
    logits = o.dense(o.flatten(o.avgpool2d(h, 5)), P["fc.weight"], P["fc.bias"])
    return {"logits": logits}, o.cross_entropy_int(logits, Y["y"]), 0.0


STATEFUL_FIXTURES.append(Fixture(
    name="ResBlockModel",
    source="""\
block ResBlock(channels) {
    layer conv1 = conv2d(channels, 3, padding: same, bias: false);
    layer bn1   = batchnorm();
    layer conv2 = conv2d(channels, 3, padding: same, bias: false);
    layer bn2   = batchnorm();
    forward(x) {
        let h = tanh(bn1(conv1(x)));
        return tanh(x + bn2(conv2(h)));
    }
}

model ResBlockModel {
    input  x : float[3, 5, 5];
    target y : int<4>;

    layer stem = conv2d(4, 3, padding: 1);
    layer res1 = ResBlock(4);
    layer res2 = ResBlock(channels: 4);
    layer pool = avgpool2d(5);
    layer fc = dense(4);

    let h = res2(res1(stem(x)));
    output logits = fc(flatten(pool(h)));

    loss = cross_entropy(logits, y);
}
""",
    parameters=conv_params("stem", 3, 4, 3) + res_block_params("res1", 4) + res_block_params("res2", 4) + dense_params("fc", 4, 4),
    inputs={"x": [3, 5, 5]},
    targets={"y": Target("int", [], classes=4)},
    forward=res_block_model,
    first_seed=1700,
))


# ---------------------------------------------------------------------------------------------
# Drawing, checking and writing.
# ---------------------------------------------------------------------------------------------

class Draw:
    """One fixture's float32 draw and its float64 copies."""

    def __init__(self, fx: Fixture, seed: int):
        g = torch.Generator().manual_seed(seed)
        self.params32 = {p.name: p.init(p.shape, g).float() for p in fx.parameters}
        for p in fx.parameters:
            assert list(self.params32[p.name].shape) == p.shape, p.name
        self.inputs32 = {
            n: (fx.input_samplers[n]([BATCH] + s, g) if n in fx.input_samplers else torch.randn([BATCH] + s, generator=g)).float()
            for n, s in fx.inputs.items()
        }
        self.targets: Dict[str, torch.Tensor] = {}
        for n, t in fx.targets.items():
            if t.kind == "int":
                self.targets[n] = torch.randint(0, t.classes, [BATCH], generator=g)
            else:
                self.targets[n] = t.sampler([BATCH] + t.shape, g).float()

    def leaves64(self) -> Tuple[Dict[str, torch.Tensor], Dict[str, torch.Tensor]]:
        params = {n: v.double().requires_grad_() for n, v in self.params32.items()}
        inputs = {n: v.double().requires_grad_() for n, v in self.inputs32.items()}
        return params, inputs

    def targets64(self) -> Dict[str, torch.Tensor]:
        return {n: (v if v.dtype == torch.int64 else v.double()) for n, v in self.targets.items()}


def batch_loss(fx: Fixture, ops: Ops, params, inputs, targets):
    outputs, per_example, regularizer = fx.forward(ops, params, inputs, targets)
    assert per_example.shape == (BATCH,), f"{fx.name}: per-example loss has shape {tuple(per_example.shape)}"
    per_example = per_example + regularizer
    return outputs, per_example, per_example.mean()


def check_finite_differences(fx: Fixture, draw: Draw) -> None:
    params, all_inputs = draw.leaves64()
    fixed = {n: v.detach() for n, v in all_inputs.items() if n in fx.held_fixed}
    inputs = {n: v for n, v in all_inputs.items() if n not in fx.held_fixed}
    names = list(params) + list(inputs)
    leaves = tuple(list(params.values()) + list(inputs.values()))
    targets = draw.targets64()

    def loss_of(*values):
        p = dict(zip(names[:len(params)], values[:len(params)]))
        i = dict(zip(names[len(params):], values[len(params):]))
        return batch_loss(fx, Ops(), p, {**i, **fixed}, targets)[2]

    ok = torch.autograd.gradcheck(loss_of, leaves, eps=1e-6, atol=1e-7, rtol=1e-5, raise_exception=False)
    if not ok:
        sys.exit(f"FAILED: {fx.name}: autograd gradients disagree with central finite differences")


def find_draw(fx: Fixture) -> Tuple[int, Draw]:
    last_reason = ""
    for seed in range(fx.first_seed, fx.first_seed + MAX_SEED_ATTEMPTS):
        draw = Draw(fx, seed)
        ops = Ops(fx.kink_margin)
        params, inputs = draw.leaves64()
        try:
            with torch.no_grad():
                batch_loss(fx, ops, params, inputs, draw.targets64())
            ops.check(fx.name)
        except DrawRejected as e:
            last_reason = str(e)
            continue
        return seed, draw
    sys.exit(f"FAILED: no seed in {MAX_SEED_ATTEMPTS} attempts works; last reason: {last_reason}")


def floats(t: torch.Tensor) -> List[float]:
    values = [float(v) for v in t.detach().reshape(-1).tolist()]
    bad = [v for v in values if not math.isfinite(v)]
    if bad:
        raise ValueError(f"non-finite value {bad[0]} in a fixture")
    return values


def build(fx: Fixture) -> dict:
    seed, draw = find_draw(fx)
    if fx.finite_differences:
        check_finite_differences(fx, draw)

    params, inputs = draw.leaves64()
    targets = draw.targets64()
    outputs, per_example, loss = batch_loss(fx, Ops(), params, inputs, targets)
    loss.backward()

    for name, p in params.items():
        # A gradient that is 0 up to rounding (a bias right before a batchnorm) tests nothing.
        if p.grad is None or float(p.grad.abs().max()) < 1e-12:
            sys.exit(f"FAILED: {fx.name}: parameter {name} gets no gradient, so the fixture could not catch its errors")

    return {
        "name": fx.name,
        "model": f"{fx.name}.model",
        "batch": BATCH,
        "seed": seed,
        "parameters": [
            {"name": p.name, "shape": p.shape, "values": floats(draw.params32[p.name])}
            for p in fx.parameters
        ],
        "inputs": {
            n: {"shape": fx.inputs[n], "values": floats(draw.inputs32[n])} for n in fx.inputs
        },
        "targets": {
            n: ({"kind": "int", "shape": [], "classes": t.classes,
                 "values": [int(v) for v in draw.targets[n].tolist()]}
                if t.kind == "int" else
                {"kind": "float", "shape": t.shape, "values": floats(draw.targets[n])})
            for n, t in fx.targets.items()
        },
        "outputs": {n: floats(v) for n, v in outputs.items()},
        "outputShapes": {n: list(v.shape[1:]) for n, v in outputs.items()},
        "loss": float(loss),
        "exampleLosses": floats(per_example),
        "gradients": [{"name": p.name, "values": floats(params[p.name].grad)} for p in fx.parameters],
        # A mask input (masked_fill's) passes no gradient: autograd leaves its grad None, which is 0.
        "inputGradients": {n: floats(inputs[n].grad if inputs[n].grad is not None else torch.zeros_like(inputs[n])) for n in fx.inputs},
    }


def build_stateful(fx: Fixture) -> dict:
    """build() in training mode, plus the running statistics that one training pass leaves and
    the inference-mode outputs and loss computed with them (PyTorch's eval())."""
    data = build(fx)
    _, draw = find_draw(fx)
    params, inputs = draw.leaves64()
    targets = draw.targets64()
    ops = Ops(fx.kink_margin)
    with torch.no_grad():
        batch_loss(fx, ops, params, inputs, targets)
        ops.training = False
        outputs, _, loss = batch_loss(fx, ops, params, inputs, targets)
    data["buffers"] = [
        {"name": f"{layer}.{kind}", "values": floats(t)}
        for layer, stats in ops.running.items() for kind, t in zip(("running_mean", "running_var"), stats)
    ]
    data["evalOutputs"] = {n: floats(v) for n, v in outputs.items()}
    data["evalLoss"] = float(loss)
    return data


def to_json(value, indent: int = 0) -> str:
    """JSON with one line per field; number arrays stay on one line, floats at full precision."""
    pad = "  " * indent
    inner = "  " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{json.dumps(k)}: {to_json(v, indent + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list):
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
            return "[" + ", ".join(json.dumps(v) for v in value) + "]"
        items = [f"{inner}{to_json(v, indent + 1)}" for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(value)


def signal_conv(o, P, X, Y):
    h = o.maxpool1d(torch.tanh(o.conv1d(X["x"], P["c1.weight"], P["c1.bias"], padding="same")), 2)
    k = o.avgpool1d(torch.tanh(o.conv1d(h, P["c2.weight"], None, stride=2, padding=1)), 2, stride=1)
    logits = o.dense(o.global_maxpool1d(k), P["fc.weight"], P["fc.bias"])
    return {"logits": logits}, o.cross_entropy_int(logits, Y["y"]), 0.0


fixture(
    name="SignalConv",
    source="""\
model SignalConv {
    input  x : float[3, 20];               // 3 channels of 20 samples, channels first
    target y : int<4>;

    layer c1 = conv1d(5, 3, padding: same);                 // [5, 20]
    layer p1 = maxpool1d(2);                                // [5, 10]
    layer c2 = conv1d(4, 4, stride: 2, padding: 1, bias: false);   // [4, 5]
    layer a2 = avgpool1d(2, stride: 1);                     // [4, 4]
    layer g  = global_maxpool1d();                          // [4]
    layer fc = dense(4);

    let h = p1(tanh(c1(x)));
    let k = a2(tanh(c2(h)));
    output logits = fc(g(k));

    loss = cross_entropy(logits, y);
}
""",
    parameters=conv1d_params("c1", 3, 5, 3) + conv1d_params("c2", 5, 4, 4, bias=False) + dense_params("fc", 4, 4),
    inputs={"x": [3, 20]},
    targets={"y": Target("int", [], classes=4)},
    forward=signal_conv,
    first_seed=1600,
    kink_margin=1e-3,
)


def image_resampling(o, P, X, Y):
    x = X["x"]
    up = torch.tanh(o.conv_transpose2d(x, P["t1.weight"], P["t1.bias"], stride=2, padding=1, output_padding=1))
    same = torch.tanh(o.conv_transpose2d(up, P["t2.weight"], None, padding=1))
    big = o.upsample2d(x, 2)
    pooled = o.adaptive_avgpool2d(same + big, 3)
    out = o.dense(torch.cat([o.flatten(pooled), o.global_avgpool2d(same)], dim=-1), P["fc.weight"], P["fc.bias"])
    return {"out": out}, o.mse(out, Y["y"]), 0.0


fixture(
    name="ImageResampling",
    source="""\
model ImageResampling {
    input  x : float[2, 4, 5];
    target y : float[3];

    layer t1 = conv_transpose2d(3, 3, stride: 2, padding: 1, output_padding: 1);   // [3, 8, 10]
    layer t2 = conv_transpose2d(2, 3, padding: 1, bias: false);                    // [2, 8, 10]
    layer up = upsample2d(2);                                                       // [2, 8, 10]
    layer pool = adaptive_avgpool2d(3);                                             // [2, 3, 3]
    layer gap = global_avgpool2d();                                                 // [2]
    layer fc = dense(3);

    let a = tanh(t1(x));
    let b = tanh(t2(a));
    let c = pool(b + up(x));
    output out = fc(concat(flatten(c), gap(b), axis: 0));

    loss = mse(out, y);
}
""",
    parameters=conv_transpose_params("t1", 2, 3, 3) + conv_transpose_params("t2", 3, 2, 3, bias=False) + dense_params("fc", 2 * 3 * 3 + 2, 3),
    inputs={"x": [2, 4, 5]},
    targets={"y": Target("float", [3], sampler=standard_normal)},
    forward=image_resampling,
    first_seed=1700,
)


def main() -> None:
    names = [fx.name for fx in FIXTURES]
    if len(set(names)) != len(names):
        sys.exit("FAILED: two fixtures share a name")
    for fx in FIXTURES:
        data = build(fx)
        with open(os.path.join(FIXTURES_DIR, f"{fx.name}.model"), "w", newline="\n") as f:
            f.write(fx.source)
        with open(os.path.join(FIXTURES_DIR, f"{fx.name}.json"), "w", newline="\n") as f:
            f.write(to_json(data) + "\n")
        print(f"{fx.name}: seed {data['seed']}, loss {data['loss']:.6g}")
    stateful_dir = os.path.join(FIXTURES_DIR, "BatchNorm")
    os.makedirs(stateful_dir, exist_ok=True)
    for fx in STATEFUL_FIXTURES:
        data = build_stateful(fx)
        with open(os.path.join(stateful_dir, f"{fx.name}.model"), "w", newline="\n") as f:
            f.write(fx.source)
        with open(os.path.join(stateful_dir, f"{fx.name}.json"), "w", newline="\n") as f:
            f.write(to_json(data) + "\n")
        print(f"{fx.name}: seed {data['seed']}, training loss {data['loss']:.6g}, inference loss {data['evalLoss']:.6g}")


if __name__ == "__main__":
    main()
