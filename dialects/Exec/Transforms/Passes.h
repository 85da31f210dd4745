//===- Passes.h - exec dialect passes ---------------------------*- C++ -*-===//
#ifndef INGOT_DIALECTS_EXEC_TRANSFORMS_PASSES_H
#define INGOT_DIALECTS_EXEC_TRANSFORMS_PASSES_H

#include "dialects/Exec/IR/ExecOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::ingot::exec {

#define GEN_PASS_DECL
#include "dialects/Exec/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/Exec/Transforms/Passes.h.inc"

} // namespace mlir::ingot::exec

#endif // INGOT_DIALECTS_EXEC_TRANSFORMS_PASSES_H
