//===- Passes.h - graph dialect passes --------------------------*- C++ -*-===//
#ifndef INGOT_DIALECTS_GRAPH_TRANSFORMS_PASSES_H
#define INGOT_DIALECTS_GRAPH_TRANSFORMS_PASSES_H

#include "dialects/Graph/IR/GraphOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::ingot::graph {

#define GEN_PASS_DECL
#include "dialects/Graph/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/Graph/Transforms/Passes.h.inc"

} // namespace mlir::ingot::graph

#endif // INGOT_DIALECTS_GRAPH_TRANSFORMS_PASSES_H
