#!/usr/bin/python3
"""Writes the small ONNX files that the import tests compile and compare with ONNX Runtime.

Run with Debian's python3-torch and python3-onnx (PyTorch 1.13, ONNX 1.12):
    /usr/bin/python3 Tests/ModelC.Tests/Fixtures/Onnx/make_onnx_fixtures.py
The files are committed; the tests never need Python. Every run writes the same bytes.
"""
import os

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
OPSET = 17


def export(module, example, name, input_names, output_names, fold=True):
    module.eval()
    path = os.path.join(HERE, name + ".onnx")
    torch.onnx.export(module, example, path, opset_version=OPSET, input_names=input_names, output_names=output_names,
                      dynamic_axes={n: {0: "batch"} for n in input_names + output_names}, do_constant_folding=fold,
                      training=torch.onnx.TrainingMode.EVAL if fold else torch.onnx.TrainingMode.PRESERVE)
    onnx.checker.check_model(onnx.load(path))
    print("wrote", path)


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(6, 16), nn.Linear(16, 8), nn.Linear(8, 4)
        self.drop = nn.Dropout(0.3)

    def forward(self, x):
        h = torch.relu(self.fc1(x))
        h = torch.sigmoid(self.fc2(self.drop(h))) + torch.tanh(self.fc2(h)) * nn.functional.leaky_relu(self.fc2(h), 0.1)
        logits = self.fc3(nn.functional.elu(h, 0.5))
        return logits, torch.softmax(logits, -1), torch.log_softmax(logits, -1)


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 6, 3, stride=2, bias=False)
        self.pool = nn.AvgPool2d(2, stride=1, count_include_pad=False)  # the default pads explicitly (a Pad op)
        self.fc = nn.Linear(6, 3)

    def forward(self, x):
        h = nn.functional.max_pool2d(torch.relu(self.bn1(self.conv1(x))), 2)
        h = self.pool(self.conv2(h))
        h = nn.functional.adaptive_avg_pool2d(h, 1)
        return self.fc(torch.flatten(h, 1))


class Recurrent(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(20, 8)
        self.lstm = nn.LSTM(8, 12, batch_first=True)
        self.gru = nn.GRU(12, 5, batch_first=True)
        self.norm = nn.LayerNorm(5)
        self.out = nn.Linear(5, 3)

    def forward(self, ids):
        h, _ = self.lstm(self.emb(ids))
        g, _ = self.gru(h)
        return self.out(self.norm(g))


def handmade_ops():
    """A graph PyTorch would not write: every elementwise op with initializers, Constant, Identity,
    Dropout, static Reshape, Transpose, Concat and MatMul."""
    rng = np.random.default_rng(7)
    w = numpy_helper.from_array(rng.standard_normal((4, 3)).astype(np.float32), "w")
    b = numpy_helper.from_array(rng.standard_normal((3,)).astype(np.float32), "b")
    shape = numpy_helper.from_array(np.array([0, 3, 2], dtype=np.int64), "shape")
    nodes = [
        helper.make_node("MatMul", ["x", "w"], ["xw"]),
        helper.make_node("Add", ["xw", "b"], ["a"]),
        helper.make_node("Constant", [], ["two"], value=numpy_helper.from_array(np.array(2.0, dtype=np.float32))),
        helper.make_node("Mul", ["a", "two"], ["m"]),
        helper.make_node("Sub", ["m", "b"], ["s"]),
        helper.make_node("Div", ["s", "two"], ["d"]),
        helper.make_node("Dropout", ["d"], ["dropped"]),
        helper.make_node("Identity", ["dropped"], ["same"]),
        helper.make_node("Concat", ["same", "a"], ["joined"], axis=1),
        helper.make_node("Reshape", ["joined", "shape"], ["grid"]),
        helper.make_node("Transpose", ["grid"], ["y"], perm=[0, 2, 1]),
    ]
    graph = helper.make_graph(nodes, "HandmadeOps",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 4])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 2, 3])],
                              [w, b, shape])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="make_onnx_fixtures.py")
    model.ir_version = 8
    onnx.checker.check_model(model)
    path = os.path.join(HERE, "ops.onnx")
    onnx.save(model, path)
    print("wrote", path)


if __name__ == "__main__":
    torch.manual_seed(0)
    export(Mlp(), torch.randn(2, 6), "mlp", ["x"], ["logits", "probs", "log_probs"])
    cnn = Cnn()
    with torch.no_grad():  # running statistics away from 0 and 1, so that using them is visible
        cnn.bn1.running_mean.uniform_(-0.5, 0.5)
        cnn.bn1.running_var.uniform_(0.5, 1.5)
    # Preserving the (eval) mode without folding keeps the batchnorm a BatchNormalization node.
    export(cnn, torch.randn(2, 1, 10, 10), "cnn", ["image"], ["scores"], fold=False)
    export(Recurrent(), torch.randint(0, 20, (2, 7)), "recurrent", ["ids"], ["tags"])
    handmade_ops()
