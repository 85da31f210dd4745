//===- Passes.h - Ingot conversion passes -----------------------*- C++ -*-===//
#ifndef INGOT_COMPILER_CONVERSION_PASSES_H
#define INGOT_COMPILER_CONVERSION_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir::ingot {

#define GEN_PASS_DECL
#include "compiler/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "compiler/Conversion/Passes.h.inc"

} // namespace mlir::ingot

#endif // INGOT_COMPILER_CONVERSION_PASSES_H
