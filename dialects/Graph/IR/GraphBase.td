//===- GraphBase.td - graph dialect definition -------------*- tablegen -*-===//
//
// The graph dialect models an imported model at the level of ONNX operators:
// value semantics on ranked tensors, numpy broadcasting, attributes resolved
// by the importer.
//
//===----------------------------------------------------------------------===//
#ifndef INGOT_DIALECTS_GRAPH_IR_GRAPHBASE_TD
#define INGOT_DIALECTS_GRAPH_IR_GRAPHBASE_TD

include "mlir/IR/OpBase.td"

def Graph_Dialect : Dialect {
  let name = "graph";
  let cppNamespace = "::mlir::ingot::graph";
  let summary = "Model graphs at the level of ONNX operators";
  let description = [{
    The graph dialect is what the ONNX importer produces: one op per ONNX
    operator on ranked tensors (dimensions may be dynamic, `?`), with ONNX
    semantics (numpy broadcasting for elementwise ops and matmul). Opset
    differences and inputs that must be constant (e.g. Reshape's shape) are
    resolved by the importer, so ops carry plain attributes.
  }];
  let hasConstantMaterializer = 1;
}

class Graph_Op<string mnemonic, list<Trait> traits = []>
    : Op<Graph_Dialect, mnemonic, traits>;

#endif // INGOT_DIALECTS_GRAPH_IR_GRAPHBASE_TD
