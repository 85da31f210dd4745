#!/usr/bin/env python3
"""Builds small ONNX models for Ingot's end-to-end tests.

For each model NAME this writes, into --out:
  NAME.onnx        the model (opset 13, static shapes, f32)
  NAME.in<K>.npy   input K
  NAME.out<K>.npy  reference output K, computed independently with numpy

Every model uses a fixed numpy seed, so the files are reproducible. Values
are kept in a modest range so that a 1e-4 relative tolerance holds.

Usage: make_models.py --out DIR NAME...   (NAME may be 'all')
"""
import argparse
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
F32 = TensorProto.FLOAT


# --------------------------------------------------------------------------- #
# numpy references
# --------------------------------------------------------------------------- #
def np_relu(x):
    return np.maximum(x, 0).astype(np.float32)


def np_sigmoid(x):
    x = x.astype(np.float64)
    return (1.0 / (1.0 + np.exp(-x))).astype(np.float32)


def np_softmax(x, axis=-1):
    x = x.astype(np.float64)
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return (e / np.sum(e, axis=axis, keepdims=True)).astype(np.float32)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def rand(rng, shape, scale=1.0):
    return f32(rng.uniform(-scale, scale, size=shape))


def f64(a):
    return np.asarray(a, dtype=np.float64)


# --------------------------------------------------------------------------- #
# Model building helpers
# --------------------------------------------------------------------------- #
def value_info(name, shape):
    return helper.make_tensor_value_info(name, F32, list(shape))


def make_model(name, nodes, inputs, outputs, initializers=()):
    graph = helper.make_graph(
        nodes, name,
        [value_info(n, a.shape) for n, a in inputs],
        [value_info(n, a.shape) for n, a in outputs],
        initializer=[numpy_helper.from_array(a, n) for n, a in initializers])
    model = helper.make_model(
        graph, producer_name="ingot-e2e",
        opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 7  # onnx 1.12 default is 8; 7 is enough for opset 13.
    onnx.checker.check_model(model)
    return model


def const_node(output, array):
    return helper.make_node(
        "Constant", [], [output],
        value=numpy_helper.from_array(np.asarray(array), output))


# --------------------------------------------------------------------------- #
# Models. Each returns (model, [inputs], [expected outputs]).
# --------------------------------------------------------------------------- #
def build_mlp():
    rng = np.random.default_rng(1)
    x = rand(rng, (2, 64))
    w1 = rand(rng, (64, 32), 0.25)
    b1 = rand(rng, (32,), 0.1)
    w2 = rand(rng, (32, 10), 0.5)
    b2 = rand(rng, (10,), 0.1)
    nodes = [
        helper.make_node("MatMul", ["x", "w1"], ["h0"], name="fc1"),
        helper.make_node("Add", ["h0", "b1"], ["h1"], name="fc1_bias"),
        helper.make_node("Relu", ["h1"], ["h2"], name="relu1"),
        helper.make_node("MatMul", ["h2", "w2"], ["h3"], name="fc2"),
        helper.make_node("Add", ["h3", "b2"], ["logits"], name="fc2_bias"),
        helper.make_node("Softmax", ["logits"], ["y"], axis=-1, name="softmax"),
    ]
    h = np.maximum(f64(x) @ f64(w1) + f64(b1), 0)
    y = np_softmax(h @ f64(w2) + f64(b2), axis=-1)
    model = make_model("mlp", nodes, [("x", x)], [("y", y)],
                       [("w1", w1), ("b1", b1), ("w2", w2), ("b2", b2)])
    return model, [x], [y]


def build_gemm():
    rng = np.random.default_rng(2)
    a = rand(rng, (3, 8))
    b = rand(rng, (5, 8))          # transB=1: used as b^T (8x5)
    c = rand(rng, (5,))            # broadcast along rows
    alpha, beta = 0.5, 2.0
    nodes = [helper.make_node("Gemm", ["a", "b", "c"], ["y"], name="gemm",
                              alpha=alpha, beta=beta, transB=1)]
    y = f32(alpha * (f64(a) @ f64(b).T) + beta * f64(c))
    model = make_model("gemm", nodes, [("a", a)], [("y", y)],
                       [("b", b), ("c", c)])
    return model, [a], [y]


def build_elementwise():
    rng = np.random.default_rng(3)
    x = rand(rng, (3, 1, 4))
    # Second input, shape [4]: kept away from 0 because it is a divisor.
    z = f32(rng.uniform(0.5, 2.0, size=(4,)) * rng.choice([-1, 1], size=(4,)))
    k = f32(rng.uniform(-1, 1, size=(2, 4)))   # [2,4] initializer: -> [3,2,4]
    s = np.float32(1.5)                         # scalar Constant
    nodes = [
        const_node("s", f32(s)),                                     # shape []
        helper.make_node("Sub", ["x", "z"], ["t0"], name="sub"),     # [3,1,4]
        helper.make_node("Mul", ["t0", "k"], ["t1"], name="mul"),    # [3,2,4]
        helper.make_node("Div", ["t1", "z"], ["t2"], name="div"),    # [3,2,4]
        helper.make_node("Mul", ["t2", "s"], ["t3"], name="scale"),  # scalar
        helper.make_node("Sigmoid", ["t3"], ["t4"], name="sigmoid"),
        helper.make_node("Tanh", ["t3"], ["t5"], name="tanh"),
        helper.make_node("Add", ["t4", "t5"], ["y"], name="add"),
    ]
    t3 = (f64(x) - f64(z)) * f64(k) / f64(z) * float(s)
    y = f32(1.0 / (1.0 + np.exp(-t3)) + np.tanh(t3))
    model = make_model("elementwise", nodes, [("x", x), ("z", z)], [("y", y)],
                       [("k", k)])
    return model, [x, z], [y]


def build_shapes():
    rng = np.random.default_rng(4)
    x = rand(rng, (2, 3, 4))
    w = rand(rng, (12, 6), 0.5)
    nodes = [
        helper.make_node("Transpose", ["x"], ["t"], perm=[0, 2, 1],
                         name="transpose"),                             # [2,4,3]
        const_node("shape", np.array([2, -1, 6], dtype=np.int64)),
        helper.make_node("Reshape", ["t", "shape"], ["r"], name="reshape"),  # [2,2,6]
        helper.make_node("Flatten", ["r"], ["f"], axis=1, name="flatten"),   # [2,12]
        helper.make_node("MatMul", ["f", "w"], ["y"], name="matmul"),        # [2,6]
    ]
    f = np.transpose(x, (0, 2, 1)).reshape(2, -1, 6).reshape(2, -1)
    y = f32(f64(f) @ f64(w))
    model = make_model("shapes", nodes, [("x", x)], [("y", y)], [("w", w)])
    return model, [x], [y]


def build_softmax_axis():
    rng = np.random.default_rng(5)
    x = rand(rng, (2, 5, 3), 2.0)
    nodes = [helper.make_node("Softmax", ["x"], ["y"], axis=1, name="softmax")]
    y = np_softmax(x, axis=1)
    model = make_model("softmax_axis", nodes, [("x", x)], [("y", y)])
    return model, [x], [y]


def build_identity():
    rng = np.random.default_rng(6)
    x = rand(rng, (4, 6))
    nodes = [
        helper.make_node("Identity", ["x"], ["y"], name="identity"),
        helper.make_node("Relu", ["x"], ["r"], name="relu"),
    ]
    y = x.copy()
    r = np_relu(x)
    model = make_model("identity", nodes, [("x", x)], [("y", y), ("r", r)])
    return model, [x], [y, r]


def build_batched_matmul():
    rng = np.random.default_rng(7)
    a = rand(rng, (2, 3, 4))
    b = rand(rng, (4, 5))
    nodes = [helper.make_node("MatMul", ["a", "b"], ["y"], name="bmm")]
    y = f32(np.matmul(f64(a), f64(b)))
    model = make_model("batched_matmul", nodes, [("a", a)], [("y", y)],
                       [("b", b)])
    return model, [a], [y]


def build_unsupported():
    """Error-path model: two nodes Ingot does not support (Celu, Hardmax)."""
    x = np.zeros((2, 4), dtype=np.float32)
    nodes = [
        helper.make_node("Celu", ["x"], ["c"], name="my_celu", alpha=1.0),
        helper.make_node("Relu", ["c"], ["r"], name="fine_relu"),
        helper.make_node("Hardmax", ["r"], ["y"], name="my_hardmax", axis=1),
    ]
    model = make_model("unsupported", nodes, [("x", x)], [("y", x)])
    return model, [x], []


MODELS = {
    "mlp": build_mlp,
    "gemm": build_gemm,
    "elementwise": build_elementwise,
    "shapes": build_shapes,
    "softmax_axis": build_softmax_axis,
    "identity": build_identity,
    "batched_matmul": build_batched_matmul,
    "unsupported": build_unsupported,
}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--external-data", action="store_true",
                        help="store initializers in a side file (<name>.data)")
    parser.add_argument("names", nargs="+", metavar="NAME",
                        help="models to build: %s, or all" % ", ".join(MODELS))
    args = parser.parse_args(argv)
    names = list(MODELS) if args.names == ["all"] else args.names
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        parser.error("unknown model(s): %s (known: %s)" %
                     (", ".join(unknown), ", ".join(MODELS)))
    os.makedirs(args.out, exist_ok=True)
    for name in names:
        model, inputs, outputs = MODELS[name]()
        if args.external_data:
            onnx.save(model, os.path.join(args.out, name + ".onnx"),
                      save_as_external_data=True, all_tensors_to_one_file=True,
                      location=name + ".data", size_threshold=0)
        else:
            onnx.save(model, os.path.join(args.out, name + ".onnx"))
        for k, a in enumerate(inputs):
            np.save(os.path.join(args.out, "%s.in%d.npy" % (name, k)), f32(a))
        for k, a in enumerate(outputs):
            np.save(os.path.join(args.out, "%s.out%d.npy" % (name, k)), f32(a))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
