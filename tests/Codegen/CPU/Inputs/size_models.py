#!/usr/bin/env python3
"""tests/Codegen/CPU/Inputs/size_models.py - models whose kernels once grew
with the model's dims (the code-size bound of kernel-size.test).

Usage: size_models.py OUTDIR
Writes OUTDIR/tail.onnx (1x1 conv 512->1000 on 13x13, Relu, global average
pool, Flatten: the global pool of 1000 channels over 169 pixels unrolled into
a 50,000-line kernel) and OUTDIR/se.onnx (4 squeeze-and-excitation blocks
with SiLU, sigmoid gating and 3x3/5x5 depthwise convs at 96 channels).
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(7)


class Graph:
    def __init__(self):
        self.nodes, self.inits, self.count = [], [], 0

    def name(self, prefix):
        self.count += 1
        return f"{prefix}{self.count}"

    def conv(self, x, cin, cout, k, group=1):
        n = self.name("conv")
        w = rng.standard_normal((cout, cin // group, k, k)) / np.sqrt(cin * k * k / group)
        b = rng.standard_normal(cout) * 0.1
        self.inits += [numpy_helper.from_array(w.astype(np.float32), n + "_w"),
                       numpy_helper.from_array(b.astype(np.float32), n + "_b")]
        self.nodes.append(helper.make_node(
            "Conv", [x, n + "_w", n + "_b"], [n], pads=[k // 2] * 4,
            kernel_shape=[k, k], group=group))
        return n

    def op(self, op_type, *inputs):
        n = self.name(op_type.lower())
        self.nodes.append(helper.make_node(op_type, list(inputs), [n]))
        return n

    def silu(self, x):
        return self.op("Mul", x, self.op("Sigmoid", x))

    def save(self, path, x_shape, y, y_shape):
        graph = helper.make_graph(
            self.nodes, os.path.basename(path),
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
            [helper.make_tensor_value_info(y, TensorProto.FLOAT, y_shape)], self.inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
        onnx.checker.check_model(model)
        onnx.save(model, path)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    g = Graph()
    y = g.op("Flatten", g.op("GlobalAveragePool", g.op("Relu", g.conv("x", 512, 1000, 1))))
    g.save(os.path.join(out, "tail.onnx"), [1, 512, 13, 13], y, [1, 1000])

    g, c, x = Graph(), 24, "x"
    for i in range(4):
        e = g.silu(g.conv(x, c, 4 * c, 1))
        d = g.silu(g.conv(e, 4 * c, 4 * c, 3 if i % 2 == 0 else 5, group=4 * c))
        s = g.op("Sigmoid", g.conv(g.silu(g.conv(g.op("GlobalAveragePool", d), 4 * c, c // 4, 1)),
                                   c // 4, 4 * c, 1))
        x = g.op("Add", x, g.conv(g.op("Mul", d, s), 4 * c, c, 1))
    g.save(os.path.join(out, "se.onnx"), [1, c, 14, 14], x, [1, c, 14, 14])


if __name__ == "__main__":
    main()
