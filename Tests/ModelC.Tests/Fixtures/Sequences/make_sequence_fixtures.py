#!/usr/bin/python3
"""Writes the PyTorch golden fixtures of the sequence and embedding models.

Run with Debian's interpreter, which has PyTorch 1.13:

    /usr/bin/python3 Tests/ModelC.Tests/Fixtures/Sequences/make_sequence_fixtures.py

It follows ../make_fixtures.py (same JSON layout, same float32 draw then float64 arithmetic,
same gradcheck before writing) with two additions the sequence models need: inputs may be
class ids ({"kind": "int", "shape": [T], "classes": N}), and int targets may have a time axis.
The reference forward passes use PyTorch's own modules (nn.Embedding, nn.LSTM, nn.GRU) with
the drawn weights copied in, so the fixtures pin down PyTorch's layouts and gate orders. These
models have no kinks, so no draw is rejected for being near one.
"""

import math
import os
import sys
from dataclasses import dataclass, field
from typing import Callable, Dict, List

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from make_fixtures import floats, to_json  # noqa: E402


@dataclass
class Data:
    kind: str                 # "int" or "float"
    shape: List[int]          # per example
    classes: int = 0          # N of int<N>
    padding: int = None       # int sequences: each example ends after 1..T steps, the rest hold this label


@dataclass
class SequenceFixture:
    name: str
    source: str
    parameters: List[tuple]   # (name, shape, init(shape, generator))
    inputs: Dict[str, Data]
    targets: Dict[str, Data]
    forward: Callable         # (params, inputs, targets) -> (outputs, per-example loss [batch])
    batch: int = 4
    seed: int = 0
    accept: Callable = field(default=lambda inputs, targets: True)


def uniform(bound):
    return lambda shape, g: (torch.rand(shape, generator=g) * 2 - 1) * bound


def normal(std):
    return lambda shape, g: torch.randn(shape, generator=g) * std


def recurrent_params(layer, gates, features, hidden):
    init = uniform(1.0 / math.sqrt(hidden))
    return [(f"{layer}.weight_ih", [gates * hidden, features], init),
            (f"{layer}.weight_hh", [gates * hidden, hidden], init),
            (f"{layer}.bias_ih", [gates * hidden], init),
            (f"{layer}.bias_hh", [gates * hidden], init)]


def dense_params(layer, fan_in, out):
    init = uniform(1.0 / math.sqrt(fan_in))
    return [(f"{layer}.weight", [out, fan_in], init), (f"{layer}.bias", [out], init)]


def stacked_params(layer, gates, features, hidden, layers, directions):
    """A stacked or bidirectional layer's parameters, named and ordered like nn.LSTM's (weight_ih_l0, ..._l0_reverse, ..._l1)."""
    init = uniform(1.0 / math.sqrt(hidden))
    params = []
    for k in range(layers):
        inputs = features if k == 0 else directions * hidden
        for d in range(directions):
            suffix = f"_l{k}" + ("_reverse" if d == 1 else "")
            params += [(f"{layer}.weight_ih{suffix}", [gates * hidden, inputs], init),
                       (f"{layer}.weight_hh{suffix}", [gates * hidden, hidden], init),
                       (f"{layer}.bias_ih{suffix}", [gates * hidden], init),
                       (f"{layer}.bias_hh{suffix}", [gates * hidden], init)]
    return params


def load_recurrent(module, P, layer):
    """Copies ModelC's parameters into PyTorch's, keeping autograd's link: a single layer's weight_ih
    (ModelC's name) into weight_ih_l0, a stacked or bidirectional one's under the same names."""
    single = module.num_layers == 1 and not module.bidirectional
    for name in module._flat_weights_names:
        delattr(module, name)
        setattr(module, name, P[f"{layer}.{name[:-len('_l0')]}" if single else f"{layer}.{name}"])
    module._flat_weights = [getattr(module, n) for n in module._flat_weights_names]
    return module


def state_of(values):
    """A per-example state [B, L·D, H] as PyTorch's h_0 [L·D, B, H]."""
    return values.transpose(0, 1).contiguous()


FIXTURES: List[SequenceFixture] = []

# ---- an LSTM language model: embedding -> lstm -> dense over time -> cross_entropy over time ----

VOCAB, STEPS, EMBED, HIDDEN = 7, 5, 4, 6


def lstm_language_model(P, X, Y):
    emb = F.embedding(X["text"], P["emb.weight"])                                   # [B, T, E]
    lstm = load_recurrent(torch.nn.LSTM(EMBED, HIDDEN, batch_first=True).double(), P, "lstm")
    hidden, _ = lstm(emb)                                                           # [B, T, H]
    logits = F.linear(hidden, P["out.weight"], P["out.bias"])                       # [B, T, V]
    per_step = F.cross_entropy(logits.reshape(-1, VOCAB), Y["next"].reshape(-1), reduction="none")
    return {"logits": logits}, per_step.view(-1, STEPS).mean(dim=1)


FIXTURES.append(SequenceFixture(
    name="LstmLanguageModel",
    source=f"""\
model LstmLanguageModel {{
    input  text : int<{VOCAB}>[{STEPS}];
    target next : int<{VOCAB}>[{STEPS}];

    layer emb  = embedding({VOCAB}, {EMBED});
    layer lstm = lstm({HIDDEN});
    layer out  = dense({VOCAB});

    output logits = out(lstm(emb(text)));   // [T, V]: dense over the time axis

    loss = cross_entropy(logits, next);     // mean over the time steps
}}
""",
    parameters=[("emb.weight", [VOCAB, EMBED], normal(1.0))] + recurrent_params("lstm", 4, EMBED, HIDDEN)
    + dense_params("out", HIDDEN, VOCAB),
    inputs={"text": Data("int", [STEPS], VOCAB)},
    targets={"next": Data("int", [STEPS], VOCAB)},
    forward=lstm_language_model,
    seed=1300,
))

# ---- a GRU regressor: gru -> last step (plus an earlier one) -> dense -> mse ----


def gru_regressor(P, X, Y):
    gru = load_recurrent(torch.nn.GRU(3, 5, batch_first=True).double(), P, "gru")
    h, _ = gru(X["x"])                                                              # [B, 6, 5]
    prediction = F.linear(h[:, -1] + 0.5 * h[:, 2], P["head.weight"], P["head.bias"])
    return {"prediction": prediction}, ((prediction - Y["y"]) ** 2).mean(dim=1)


FIXTURES.append(SequenceFixture(
    name="GruRegressor",
    source="""\
model GruRegressor {
    input  x : float[6, 3];
    target y : float[2];

    layer gru  = gru(5);
    layer head = dense(2);

    let h = gru(x);                          // [6, 5]
    output prediction = head(last(h) + 0.5 * h[2]);

    loss = mse(prediction, y);
}
""",
    parameters=recurrent_params("gru", 3, 3, 5) + dense_params("head", 5, 2),
    inputs={"x": Data("float", [6, 3])},
    targets={"y": Data("float", [2])},
    forward=gru_regressor,
    seed=1400,
))

# ---- a stacked bidirectional LSTM from a given state, with its final states as outputs ----


def stacked_bilstm(P, X, Y):
    lstm = load_recurrent(torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True, batch_first=True).double(), P, "lstm")
    seq, (h, c) = lstm(X["x"], (state_of(X["h0"]), state_of(X["c0"])))          # [B, 5, 8]; h, c [4, B, 4]
    h, c = h.transpose(0, 1), c.transpose(0, 1)                                     # [B, 4, 4]
    prediction = F.linear(seq[:, -1], P["head.weight"], P["head.bias"])
    loss = ((prediction - Y["y"]) ** 2).mean(dim=1) + 0.1 * (h ** 2).sum(dim=(1, 2)) + 0.2 * (c * h).sum(dim=(1, 2))
    return {"seq": seq, "h": h, "c": c}, loss


FIXTURES.append(SequenceFixture(
    name="StackedBiLstmState",
    source="""\
model StackedBiLstmState {
    input  x : float[5, 3];
    input  h0 : float[4, 4];                 // [layers · directions, hidden], like nn.LSTM's h_0
    input  c0 : float[4, 4];
    target y : float[2];

    layer lstm = lstm(4, layers: 2, bidirectional: true);
    layer head = dense(2);

    let s = lstm(x, h0, c0);                 // [5, 8]: forward and reverse side by side
    output seq = s;
    output h = last_state(s);                // h_n [4, 4]
    output c = last_cell(s);                 // c_n [4, 4]

    loss = mse(head(last(s)), y) + 0.1 * sum(square(h)) + 0.2 * sum(c * h);
}
""",
    parameters=stacked_params("lstm", 4, 3, 4, 2, 2) + dense_params("head", 8, 2),
    inputs={"x": Data("float", [5, 3]), "h0": Data("float", [4, 4]), "c0": Data("float", [4, 4])},
    targets={"y": Data("float", [2])},
    forward=stacked_bilstm,
    batch=3,
    seed=1800,
))

# ---- a stacked bidirectional GRU from a given state ----


def stacked_bigru(P, X, Y):
    gru = load_recurrent(torch.nn.GRU(3, 4, num_layers=2, bidirectional=True, batch_first=True).double(), P, "gru")
    seq, h = gru(X["x"], state_of(X["h0"]))                                        # [B, 6, 8]; h [4, B, 4]
    h = h.transpose(0, 1)
    prediction = F.linear(seq[:, 2], P["head.weight"], P["head.bias"])
    return {"h": h}, ((prediction - Y["y"]) ** 2).mean(dim=1) + 0.1 * (h ** 2).sum(dim=(1, 2))


FIXTURES.append(SequenceFixture(
    name="StackedBiGruState",
    source="""\
model StackedBiGruState {
    input  x : float[6, 3];
    input  h0 : float[4, 4];
    target y : float[2];

    layer gru  = gru(4, layers: 2, bidirectional: true);
    layer head = dense(2);

    let s = gru(x, h0);                      // [6, 8]
    output h = last_state(s);                // h_n [4, 4]

    loss = mse(head(s[2]), y) + 0.1 * sum(square(h));
}
""",
    parameters=stacked_params("gru", 3, 3, 4, 2, 2) + dense_params("head", 8, 2),
    inputs={"x": Data("float", [6, 3]), "h0": Data("float", [4, 4])},
    targets={"y": Data("float", [2])},
    forward=stacked_bigru,
    batch=3,
    seed=1900,
))

# ---- a two-layer tanh RNN from a given state, dropout 0 between its layers ----


def stacked_rnn(P, X, Y):
    rnn = load_recurrent(torch.nn.RNN(3, 5, num_layers=2, batch_first=True).double(), P, "rnn")
    seq, h = rnn(X["x"], state_of(X["h0"]))                                        # [B, 4, 5]; h [2, B, 5]
    h = h.transpose(0, 1)
    return {"seq": seq, "h": h}, ((seq.sum(dim=1) - Y["y"]) ** 2).mean(dim=1) + (h[:, 0] * h[:, 1]).sum(dim=1)


FIXTURES.append(SequenceFixture(
    name="StackedRnnState",
    source="""\
model StackedRnnState {
    input  x : float[4, 3];
    input  h0 : float[2, 5];
    target y : float[5];

    layer rnn = rnn(5, layers: 2, dropout: 0);

    let s = rnn(x, h0);                      // [4, 5]
    output seq = s;
    output h = last_state(s);                // h_n [2, 5]

    loss = mse(sum(s, axis: 0), y) + sum(h[0] * h[1]);
}
""",
    parameters=stacked_params("rnn", 1, 3, 5, 2, 1),
    inputs={"x": Data("float", [4, 3]), "h0": Data("float", [2, 5])},
    targets={"y": Data("float", [5])},
    forward=stacked_rnn,
    batch=3,
    seed=2000,
))

# ---- matrix factorization: U[u] . V[i] + biases, mse, l2 on the factors ----


def matrix_factorization(P, X, Y):
    u, i = X["user"], X["item"]
    predicted = ((P["U"][u] * P["V"][i]).sum(dim=1) + P["userBias"][u] + P["itemBias"][i]).unsqueeze(1) + P["globalBias"]
    l2 = (P["U"] ** 2).sum() + (P["V"] ** 2).sum()
    return {"predicted": predicted}, ((predicted - Y["rating"]) ** 2).mean(dim=1) + 0.01 * l2


def repeats(values):
    return len(set(values.tolist())) < len(values)


FIXTURES.append(SequenceFixture(
    name="MatrixFactorization",
    source="""\
model MatrixFactorization {
    input  user : int<6>;
    input  item : int<5>;
    target rating : float[1];

    param U : float[6, 3] = normal(0, 0.5);
    param V : float[5, 3] = normal(0, 0.5);
    param userBias : float[6];
    param itemBias : float[5];
    param globalBias : float[1];

    output predicted = dot(U[user], V[item]) + userBias[user] + itemBias[item] + globalBias;

    loss = mse(predicted, rating) + 0.01 * l2(U, V);
}
""",
    parameters=[("U", [6, 3], normal(0.5)), ("V", [5, 3], normal(0.5)), ("userBias", [6], normal(0.5)),
                ("itemBias", [5], normal(0.5)), ("globalBias", [1], normal(0.5))],
    inputs={"user": Data("int", [], 6), "item": Data("int", [], 5)},
    targets={"rating": Data("float", [1])},
    forward=matrix_factorization,
    batch=8,
    seed=1500,
    # A user and an item rated twice in the batch: their rows' gradients must add up.
    accept=lambda X, Y: repeats(X["user"]) and repeats(X["item"]),
))


# ---- padded sequences: losses that skip a padding label (makemore pads names with -1) ----

PAD_VOCAB, PAD_STEPS, PAD_EMBED = 6, 5, 4


def padded_rows(logits, targets):
    return logits.reshape(-1, logits.shape[-1]), targets.reshape(-1)


def per_example(row_losses, targets, batch):
    """Per-example sums of the row losses scaled by batch / (non-ignored rows), whose mean is PyTorch's mean over those rows."""
    counted = int((targets.reshape(-1) != -1).sum())
    return row_losses.view(batch, -1).sum(dim=1) * batch / counted


def smoothed_names(P, X, Y):
    emb = F.embedding(X["text"], P["emb.weight"])                                   # [B, T, E]
    logits = F.linear(torch.tanh(F.linear(emb, P["hid.weight"], P["hid.bias"])), P["out.weight"], P["out.bias"])
    z, y = padded_rows(logits, Y["next"])
    rows = F.cross_entropy(z, y, ignore_index=-1, label_smoothing=0.1, reduction="none")
    losses = per_example(rows, Y["next"], z.shape[0] // PAD_STEPS)
    reference = F.cross_entropy(z, y, ignore_index=-1, label_smoothing=0.1)
    assert torch.allclose(losses.mean(), reference, rtol=1e-12, atol=0), (losses.mean(), reference)
    return {"logits": logits}, losses


FIXTURES.append(SequenceFixture(
    name="SmoothedPaddedNames",
    source=f"""\
model SmoothedPaddedNames {{
    input  text : int<{PAD_VOCAB}>[{PAD_STEPS}];
    target next : int<{PAD_VOCAB}>[{PAD_STEPS}];    // -1 after each name ends

    layer emb = embedding({PAD_VOCAB}, {PAD_EMBED});
    layer hid = dense(8);
    layer out = dense({PAD_VOCAB});

    output logits = out(tanh(hid(emb(text))));

    // the mean over the batch's non-padded steps, as PyTorch's
    loss = cross_entropy(logits, next, ignore_index: -1, label_smoothing: 0.1);
}}
""",
    parameters=[("emb.weight", [PAD_VOCAB, PAD_EMBED], normal(1.0))] + dense_params("hid", PAD_EMBED, 8)
    + dense_params("out", 8, PAD_VOCAB),
    inputs={"text": Data("int", [PAD_STEPS], PAD_VOCAB)},
    targets={"next": Data("int", [PAD_STEPS], PAD_VOCAB, padding=-1)},
    forward=smoothed_names,
    seed=1600,
))


def nll_tagger(P, X, Y):
    emb = F.embedding(X["text"], P["emb.weight"])                                   # [B, T, E]
    logp = F.log_softmax(F.linear(emb + X["noise"], P["out.weight"], P["out.bias"]), dim=-1)
    z, y = padded_rows(logp, Y["tags"])
    rows = F.nll_loss(z, y, ignore_index=-1, reduction="none")
    losses = per_example(rows, Y["tags"], z.shape[0] // PAD_STEPS)
    reference = F.nll_loss(z, y, ignore_index=-1)
    assert torch.allclose(losses.mean(), reference, rtol=1e-12, atol=0), (losses.mean(), reference)
    # plus nll_loss of a class per example, and ignore_index 2 on it, which is a class id
    pooled = F.log_softmax(F.linear(emb.mean(dim=1), P["cls.weight"], P["cls.bias"]), dim=-1)
    keep = (Y["kind"] != 2).double()
    sentence = F.nll_loss(pooled, Y["kind"], reduction="none") * keep * keep.shape[0] / keep.sum()
    assert torch.allclose(sentence.mean(), F.nll_loss(pooled, Y["kind"], ignore_index=2), rtol=1e-12, atol=0)
    return {"logp": logp}, losses + 0.5 * sentence


FIXTURES.append(SequenceFixture(
    name="NllTagger",
    source=f"""\
model NllTagger {{
    input  text : int<{PAD_VOCAB}>[{PAD_STEPS}];
    input  noise : float[{PAD_STEPS}, {PAD_EMBED}];
    target tags : int<3>[{PAD_STEPS}];               // -1 after each sentence ends
    target kind : int<3>;

    layer emb = embedding({PAD_VOCAB}, {PAD_EMBED});
    layer out = dense(3);
    layer cls = dense(3);

    let e = emb(text) + noise;
    output logp = log_softmax(out(e));

    loss = nll_loss(logp, tags, ignore_index: -1)
         + 0.5 * nll_loss(log_softmax(cls(mean(emb(text), axis: 0))), kind, ignore_index: 2);
}}
""",
    parameters=[("emb.weight", [PAD_VOCAB, PAD_EMBED], normal(1.0))] + dense_params("out", PAD_EMBED, 3)
    + dense_params("cls", PAD_EMBED, 3),
    inputs={"text": Data("int", [PAD_STEPS], PAD_VOCAB), "noise": Data("float", [PAD_STEPS, PAD_EMBED])},
    targets={"tags": Data("int", [PAD_STEPS], 3, padding=-1), "kind": Data("int", [], 3)},
    forward=nll_tagger,
    batch=6,
    seed=1700,
    # Some examples of kind 2 (ignored) and some not.
    accept=lambda X, Y: 0 < int((Y["kind"] == 2).sum()) < len(Y["kind"]),
))


def draw(fx: SequenceFixture, seed: int):
    g = torch.Generator().manual_seed(seed)
    params = {n: init(shape, g).float() for n, shape, init in fx.parameters}

    def data(spec: Data):
        if spec.kind == "int":
            ids = torch.randint(0, spec.classes, [fx.batch] + spec.shape, generator=g)
            if spec.padding is not None:
                lengths = torch.randint(1, spec.shape[0] + 1, [fx.batch], generator=g)
                ids[torch.arange(spec.shape[0]).unsqueeze(0) >= lengths.unsqueeze(1)] = spec.padding
            return ids
        return torch.randn([fx.batch] + spec.shape, generator=g).float()

    inputs = {n: data(d) for n, d in fx.inputs.items()}
    targets = {n: data(d) for n, d in fx.targets.items()}
    return params, inputs, targets


def as64(values: Dict[str, torch.Tensor], grad: bool):
    return {n: (v if v.dtype == torch.int64 else v.double().requires_grad_(grad)) for n, v in values.items()}


def data_json(spec: Data, values: torch.Tensor):
    if spec.kind == "int":
        return {"kind": "int", "shape": spec.shape, "classes": spec.classes, "values": [int(v) for v in values.reshape(-1).tolist()]}
    return {"kind": "float", "shape": spec.shape, "values": floats(values)}


def build(fx: SequenceFixture) -> dict:
    for seed in range(fx.seed, fx.seed + 100):
        p32, x32, y = draw(fx, seed)
        if fx.accept(x32, y):
            break
    else:
        sys.exit(f"FAILED: {fx.name}: no acceptable draw")

    float_inputs = [n for n, d in fx.inputs.items() if d.kind == "float"]
    names = list(p32) + float_inputs

    def loss_of(*leaves):
        P = dict(zip(list(p32), leaves[:len(p32)]))
        X = dict(as64(x32, False), **dict(zip(float_inputs, leaves[len(p32):])))
        return fx.forward(P, X, as64(y, False))[1].mean()

    leaves = [p32[n].double().requires_grad_() for n in p32] + [x32[n].double().requires_grad_() for n in float_inputs]
    if not torch.autograd.gradcheck(loss_of, tuple(leaves), eps=1e-6, atol=1e-7, rtol=1e-5, raise_exception=False):
        sys.exit(f"FAILED: {fx.name}: autograd gradients disagree with central finite differences")

    P = dict(zip(list(p32), leaves[:len(p32)]))
    X = dict(as64(x32, False), **dict(zip(float_inputs, leaves[len(p32):])))
    outputs, per_example = fx.forward(P, X, as64(y, False))
    loss = per_example.mean()
    loss.backward()
    for n, v in P.items():
        if float(v.grad.abs().max()) == 0.0:
            sys.exit(f"FAILED: {fx.name}: parameter {n} gets no gradient")

    return {
        "name": fx.name,
        "model": f"{fx.name}.model",
        "batch": fx.batch,
        "seed": seed,
        "parameters": [{"name": n, "shape": shape, "values": floats(p32[n])} for n, shape, _ in fx.parameters],
        "inputs": {n: data_json(d, x32[n]) for n, d in fx.inputs.items()},
        "targets": {n: data_json(d, y[n]) for n, d in fx.targets.items()},
        "outputs": {n: floats(v) for n, v in outputs.items()},
        "outputShapes": {n: list(v.shape[1:]) for n, v in outputs.items()},
        "loss": float(loss),
        "exampleLosses": floats(per_example),
        "gradients": [{"name": n, "values": floats(P[n].grad)} for n, _, _ in fx.parameters],
        "inputGradients": {n: floats(X[n].grad) for n in float_inputs},
    }


def main() -> None:
    for fx in FIXTURES:
        data = build(fx)
        with open(os.path.join(HERE, f"{fx.name}.model"), "w", newline="\n") as f:
            f.write(fx.source)
        with open(os.path.join(HERE, f"{fx.name}.json"), "w", newline="\n") as f:
            f.write(to_json(data) + "\n")
        print(f"{fx.name}: seed {data['seed']}, loss {data['loss']:.6g}")


if __name__ == "__main__":
    main()
