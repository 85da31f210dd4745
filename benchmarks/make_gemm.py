#!/usr/bin/env python3
"""benchmarks/make_gemm.py - single-op MatMul ONNX models for the GEMM sweep.

Usage: /usr/bin/python3 make_gemm.py OUTDIR MxKxN [MxKxN ...]
Writes OUTDIR/gemm_MxKxN.onnx (Y = X @ W with W a K x N initializer, as in a
Linear layer; opset 13) and OUTDIR/gemm_MxKxN.x.npy (a random M x K input).
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def make(outdir, m, k, n):
    rng = np.random.default_rng(m * 1000003 + k * 1009 + n)
    w = (rng.standard_normal((k, n)) / np.sqrt(k)).astype(np.float32)
    x = rng.standard_normal((m, k)).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"], name="matmul")],
        f"gemm_{m}x{k}x{n}",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [m, k])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [m, n])],
        [numpy_helper.from_array(w, "w")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)
    base = os.path.join(outdir, f"gemm_{m}x{k}x{n}")
    onnx.save(model, base + ".onnx")
    np.save(base + ".x.npy", x)
    np.save(base + ".ref.npy", x.astype(np.float64) @ w.astype(np.float64))


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: make_gemm.py OUTDIR MxKxN [MxKxN ...]")
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    for shape in sys.argv[2:]:
        try:
            m, k, n = (int(s) for s in shape.split("x"))
        except ValueError:
            sys.exit(f"make_gemm.py: error: shape '{shape}' is not MxKxN")
        make(outdir, m, k, n)


if __name__ == "__main__":
    main()
