//===- ingot-opt.cpp - Ingot's mlir-opt -------------------------*- C++ -*-===//
//
// mlir-opt with exactly Ingot's dialects, passes and pipelines registered.
//
//===----------------------------------------------------------------------===//
#include "compiler/Registration/Registration.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::ingot::registerAllDialects(registry);
  mlir::ingot::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Ingot optimizer driver\n", registry));
}
