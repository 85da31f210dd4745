#!/usr/bin/env python3
"""Writes the bundled MLP example: mlp.onnx (784-128-10, seeded random
weights), input.npy ([1,784]) and expected.npy (numpy reference).

Usage: /usr/bin/python3 make_example.py [--out DIR]   (default: this folder)
"""
import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = parser.parse_args()

    rng = np.random.default_rng(2024)
    # Glorot-style uniform init keeps activations in a modest range.
    w1 = rng.uniform(-1, 1, (784, 128)).astype(np.float32) * np.float32(np.sqrt(6 / (784 + 128)))
    b1 = rng.uniform(-0.1, 0.1, (128,)).astype(np.float32)
    w2 = rng.uniform(-1, 1, (128, 10)).astype(np.float32) * np.float32(np.sqrt(6 / (128 + 10)))
    b2 = rng.uniform(-0.1, 0.1, (10,)).astype(np.float32)
    x = rng.uniform(0, 1, (1, 784)).astype(np.float32)  # a fake 28x28 image

    nodes = [
        helper.make_node("MatMul", ["input", "w1"], ["h0"], name="fc1"),
        helper.make_node("Add", ["h0", "b1"], ["h1"], name="fc1_bias"),
        helper.make_node("Relu", ["h1"], ["h2"], name="relu"),
        helper.make_node("MatMul", ["h2", "w2"], ["h3"], name="fc2"),
        helper.make_node("Add", ["h3", "b2"], ["logits"], name="fc2_bias"),
        helper.make_node("Softmax", ["logits"], ["probs"], axis=-1, name="softmax"),
    ]
    graph = helper.make_graph(
        nodes, "mlp",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 784])],
        [helper.make_tensor_value_info("probs", TensorProto.FLOAT, [1, 10])],
        initializer=[numpy_helper.from_array(a, n) for n, a in
                     [("w1", w1), ("b1", b1), ("w2", w2), ("b2", b2)]])
    model = helper.make_model(graph, producer_name="ingot-example",
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.checker.check_model(model)

    # Reference computed with numpy (float64), independently of Ingot.
    h = np.maximum(x.astype(np.float64) @ w1 + b1, 0)
    logits = h @ w2 + b2
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    expected = (e / e.sum(axis=-1, keepdims=True)).astype(np.float32)

    os.makedirs(args.out, exist_ok=True)
    onnx.save(model, os.path.join(args.out, "mlp.onnx"))
    np.save(os.path.join(args.out, "input.npy"), x)
    np.save(os.path.join(args.out, "expected.npy"), expected)


if __name__ == "__main__":
    main()
