#!/usr/bin/python3
"""Generates docs/onnx-support.md: what Ingot imports of ONNX, and how much
of the ONNX backend test suite passes.

Inputs:
  tests/onnx/expectations.txt        pass / xfail <category> per case
  compiler/Import/Onnx/*.cpp         the importer's op tables (.Case("Add", ...)
                                     in OnnxOps.cpp and its siblings) and its
                                     newest opset (kMaxOpset, OnnxOps.cpp)
  the test data (libonnx-testdata)   which ops each case's model uses, and
                                     the dtypes they run on

A case counts for every op of its model's main graph. Opsets are the ONNX
schema versions of an imported op up to the importer's newest opset; dtypes
are the element types the op's first input had in passing cases.

Usage: gen-onnx-support.py [--check] [--testdata DIR] [--out FILE]
  --check   exit 1 if the file differs from what would be generated
"""
import argparse
import collections
import os
import re
import sys

import onnx
from onnx import TensorProto

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXPECTATIONS = os.path.join(ROOT, "tests", "onnx", "expectations.txt")
OPS_CPP = os.path.join(ROOT, "compiler", "Import", "Onnx", "OnnxOps.cpp")
DEFAULT_OUT = os.path.join(ROOT, "docs", "onnx-support.md")
DEFAULT_TESTDATA = "/usr/share/libonnx-testdata/data"

DTYPE_NAMES = {
    TensorProto.FLOAT: "f32", TensorProto.DOUBLE: "f64",
    TensorProto.FLOAT16: "f16", TensorProto.BFLOAT16: "bf16",
    TensorProto.INT8: "i8", TensorProto.INT16: "i16",
    TensorProto.INT32: "i32", TensorProto.INT64: "i64",
    TensorProto.UINT8: "u8", TensorProto.UINT16: "u16",
    TensorProto.UINT32: "u32", TensorProto.UINT64: "u64",
    TensorProto.BOOL: "bool", TensorProto.STRING: "string",
    TensorProto.COMPLEX64: "complex64", TensorProto.COMPLEX128: "complex128",
}


def read_expectations(path):
    """Returns {case: (passed, category)}."""
    cases = {}
    with open(path) as f:
        for number, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split()
            if fields[1:] == ["pass"]:
                cases[fields[0]] = (True, "")
            elif len(fields) == 3 and fields[1] == "xfail":
                cases[fields[0]] = (False, fields[2])
            else:
                sys.exit("%s:%d: bad line: %s" % (path, number, line.strip()))
    return cases


def read_importer_ops(path):
    """Returns (the ops the importer's op tables list, max opset): the
    .Case("Op", ...) and .Cases("A", "B", ...) entries of OnnxOps.cpp's
    classify() and of the op-type switches of its sibling files (but the
    dynamic-batch analysis, OnnxBatch*.cpp)."""
    with open(path) as f:
        text = f.read()
    match = re.search(r"kMaxOpset\s*=\s*(\d+)", text)
    if not re.search(r'\.Case\("\w+",\s*OpKind::\w+\)', text) or not match:
        sys.exit("%s: cannot find the op table or kMaxOpset" % path)
    ops = set()
    directory = os.path.dirname(path)
    for name in sorted(os.listdir(directory)):
        # OnnxBatch*.cpp list ops for the dynamic-batch analysis, which
        # does not import them.
        if not name.endswith(".cpp") or name.startswith("OnnxBatch"):
            continue
        with open(os.path.join(directory, name)) as f:
            for names in re.findall(r'\.Cases?\(((?:"\w+",\s*)+)', f.read()):
                ops.update(re.findall(r'"(\w+)"', names))
    return ops, int(match.group(1))


def op_name(node):
    if node.domain in ("", "ai.onnx"):
        return node.op_type
    return node.domain + "." + node.op_type


def inspect_model(path):
    """Returns {op: set of dtypes of its first typed input} for the graph."""
    model = onnx.load(path, load_external_data=False)
    graph = model.graph
    types = {}
    for info in list(graph.input) + list(graph.output) + list(graph.value_info):
        if info.type.HasField("tensor_type"):
            types[info.name] = info.type.tensor_type.elem_type
    for tensor in graph.initializer:
        types[tensor.name] = tensor.data_type
    ops = collections.defaultdict(set)
    for node in graph.node:
        if node.op_type == "Constant":
            for attr in node.attribute:
                if attr.name == "value" and node.output:
                    types[node.output[0]] = attr.t.data_type
        dtype = next((types[n] for n in list(node.input) + list(node.output)
                      if n in types), None)
        ops[op_name(node)]
        if dtype is not None:
            ops[op_name(node)].add(DTYPE_NAMES.get(dtype, str(dtype)))
    return ops


def schema_versions(op, max_opset):
    versions = sorted({s.since_version
                       for s in onnx.defs.get_all_schemas_with_history()
                       if s.name == op and s.domain == ""
                       and s.since_version <= max_opset})
    return versions


def generate(testdata):
    cases = read_expectations(EXPECTATIONS)
    importer_ops, max_opset = read_importer_ops(OPS_CPP)
    op_cases = collections.defaultdict(list)  # op -> [(case, passed)]
    op_dtypes = collections.defaultdict(set)  # op -> dtypes in passing cases
    folders = collections.defaultdict(lambda: [0, 0])
    categories = collections.Counter()
    for case, (passed, category) in sorted(cases.items()):
        folder = case.split("/", 1)[0]
        folders[folder][0] += passed
        folders[folder][1] += 1
        if not passed:
            categories[category.split(":", 1)[0]] += 1
        model = os.path.join(testdata, case, "model.onnx")
        if not os.path.exists(model):
            sys.exit("%s: missing (is the test data at %s?)" % (model, testdata))
        for op, dtypes in inspect_model(model).items():
            op_cases[op].append((case, passed))
            if passed:
                op_dtypes[op] |= dtypes

    total_passed = sum(p for p, _ in folders.values())
    lines = [
        "# ONNX support",
        "",
        "<!-- Generated by scripts/gen-onnx-support.py from",
        "     tests/onnx/expectations.txt and compiler/Import/Onnx/OnnxOps.cpp;",
        "     do not edit. Regenerate after updating the expectations. -->",
        "",
        "Ingot imports ONNX models of the default domain, opsets 1 to %d."
        % max_opset,
        "The ONNX 1.12 backend test suite (Debian's `libonnx-testdata`) runs on",
        "every CI run as the `onnx-conformance` test (`tools/ingot-test-onnx`):",
        "**%d of %d cases pass**." % (total_passed, len(cases)),
        "",
        "## Test suite",
        "",
        "| Folder | Passing | Cases |",
        "|---|---:|---:|",
    ]
    for folder, (passed, total) in sorted(folders.items()):
        lines.append("| %s | %d | %d |" % (folder, passed, total))
    lines.append("| **all** | **%d** | **%d** |" % (total_passed, len(cases)))
    lines += ["", "Why the other cases fail:", "",
              "| Category | Cases |", "|---|---:|"]
    for category, count in sorted(categories.items(),
                                  key=lambda kv: (-kv[1], kv[0])):
        lines.append("| `%s` | %d |" % (category, count))

    lines += [
        "",
        "## Operators",
        "",
        "Every op the importer handles and every op a test case uses. A case",
        "counts for each op of its model. Opsets: the op's ONNX versions up to",
        "%d that the importer accepts. Dtypes: the element types the op ran"
        % max_opset,
        "on in passing cases.",
        "",
        "| Op | Imported | Opsets | Dtypes (passing) | Passing / cases |",
        "|---|---|---|---|---:|",
    ]
    for op in sorted(set(op_cases) | importer_ops, key=str.lower):
        imported = op in importer_ops
        versions = schema_versions(op, max_opset) if imported else []
        entries = op_cases.get(op, [])
        passing = sum(p for _, p in entries)
        lines.append("| %s | %s | %s | %s | %d / %d |" % (
            op, "yes" if imported else "no",
            ", ".join(map(str, versions)) if versions else "",
            ", ".join(sorted(op_dtypes.get(op, ()))),
            passing, len(entries)))
    supported_used = sum(1 for op in importer_ops if op in op_cases)
    lines += ["",
              "%d ops imported; %d ops appear in the test suite, %d of them "
              "imported." % (len(importer_ops), len(op_cases), supported_used),
              ""]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--testdata", default=DEFAULT_TESTDATA)
    parser.add_argument("--out", default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = generate(args.testdata)
    if args.check:
        try:
            with open(args.out) as f:
                current = f.read()
        except OSError:
            current = None
        if current != text:
            print("%s is out of date: run scripts/gen-onnx-support.py"
                  % args.out)
            return 1
        print("%s is up to date" % args.out)
        return 0
    with open(args.out, "w") as f:
        f.write(text)
    print("wrote %s" % args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
