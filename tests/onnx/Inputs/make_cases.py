#!/usr/bin/env python3
"""Builds tiny ONNX backend-test-style cases for ingot-test-onnx's own tests.

Writes into --out/cases/<name>/ a model.onnx and test_data_set_N/ folders of
input_K.pb / output_K.pb TensorProtos, laid out like libonnx-testdata:

  add_ok        f32 Add, two data sets, exact references       -> pass
  add_close     f32 Add, references off by 5e-4 relative        -> pass
  add_far       f32 Add, references off by 2e-3 relative        -> wrong-result
  add_int       i32 Add, exact                                  -> pass
  add_int_off   i32 Add, one element off by one                 -> wrong-result
  add_shape     f32 Add, reference of another shape             -> wrong-result
  det           Det, which Ingot does not import                -> unsupported-op:Det

and into --out/bf16/: cast_bf16, a bf16 -> f32 Cast whose bf16 input is stored
as UINT16 bit patterns, as ONNX 1.12's Cast tests do                -> pass

Usage: make_cases.py --out DIR
"""
import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def add_model(dtype):
    elem = onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[np.dtype(dtype)]
    x = helper.make_tensor_value_info("x", elem, [2, 3])
    y = helper.make_tensor_value_info("y", elem, [2, 3])
    z = helper.make_tensor_value_info("z", elem, [2, 3])
    node = helper.make_node("Add", ["x", "y"], ["z"])
    graph = helper.make_graph([node], "add", [x, y], [z])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


def det_model():
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 2])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [])
    graph = helper.make_graph([helper.make_node("Det", ["x"], ["y"])], "det",
                              [x], [y])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


def cast_bf16_model():
    x = helper.make_tensor_value_info("x", TensorProto.BFLOAT16, [4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [4])
    node = helper.make_node("Cast", ["x"], ["y"], to=TensorProto.FLOAT)
    graph = helper.make_graph([node], "cast_bf16", [x], [y])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


def write_case(root, name, model, data_sets):
    case = os.path.join(root, name)
    os.makedirs(case, exist_ok=True)
    onnx.save(model, os.path.join(case, "model.onnx"))
    for n, (inputs, outputs) in enumerate(data_sets):
        folder = os.path.join(case, "test_data_set_%d" % n)
        os.makedirs(folder, exist_ok=True)
        for prefix, arrays in (("input", inputs), ("output", outputs)):
            for k, (tensor_name, array) in enumerate(arrays):
                proto = numpy_helper.from_array(array, tensor_name)
                with open(os.path.join(folder, "%s_%d.pb" % (prefix, k)),
                          "wb") as f:
                    f.write(proto.SerializeToString())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    root = os.path.join(args.out, "cases")
    rng = np.random.default_rng(0)

    def f32_set(scale=1.0, shape=(2, 3)):
        x = rng.uniform(1, 2, size=(2, 3)).astype(np.float32)
        y = rng.uniform(1, 2, size=(2, 3)).astype(np.float32)
        z = ((x + y) * np.float32(scale)).astype(np.float32)
        return [("x", x), ("y", y)], [("z", z.reshape(shape))]

    write_case(root, "add_ok", add_model(np.float32), [f32_set(), f32_set()])
    write_case(root, "add_close", add_model(np.float32), [f32_set(1 + 5e-4)])
    write_case(root, "add_far", add_model(np.float32),
               [f32_set(), f32_set(1 + 2e-3)])
    write_case(root, "add_shape", add_model(np.float32),
               [f32_set(shape=(3, 2))])
    xi = rng.integers(-100, 100, size=(2, 3)).astype(np.int32)
    yi = rng.integers(-100, 100, size=(2, 3)).astype(np.int32)
    write_case(root, "add_int", add_model(np.int32),
               [([("x", xi), ("y", yi)], [("z", xi + yi)])])
    off = xi + yi
    off[1, 2] += 1
    write_case(root, "add_int_off", add_model(np.int32),
               [([("x", xi), ("y", yi)], [("z", off)])])
    xa = np.array([-1, 2, -3, 4], dtype=np.float32)
    xd = xa.reshape(2, 2)
    write_case(root, "det", det_model(),
               [([("x", xd)], [("y", np.array(np.linalg.det(xd), np.float32))])])
    # bf16 values exactly representable in f32: the upper halves of these.
    yb = np.array([1.0, -2.5, 0.15625, 384.0], dtype=np.float32)
    xb = (yb.view(np.uint32) >> 16).astype(np.uint16)
    write_case(os.path.join(args.out, "bf16"), "cast_bf16", cast_bf16_model(),
               [([("x", xb)], [("y", yb)])])


if __name__ == "__main__":
    main()
