//===- ModuleWriter.h - Serializes a module to .ingot -----------*- C++ -*-===//
//
// The last step of the compiler: turns the host functions, the exec.binary ops
// and the constants of a compiled module into an .ingot file (the FlatBuffer
// of runtime/schema/module.fbs followed by 64-byte-aligned data segments).
// See docs/design/module-format.md.
//
//===----------------------------------------------------------------------===//

#ifndef INGOT_COMPILER_MODULEWRITER_MODULEWRITER_H
#define INGOT_COMPILER_MODULEWRITER_MODULEWRITER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace mlir::ingot {

/// Options of writeModule.
struct ModuleWriterOptions {
  /// Module.producer: the tool and version that wrote the file.
  std::string producer = "ingot";
  /// Module.name; when empty, the module's symbol name, else "module".
  std::string moduleName;
};

/// Serializes `module` (host functions + exec.binary ops + constants) to the
/// .ingot format. Emits diagnostics on the offending op and fails on anything
/// the host program cannot express; nothing is written to `os` then.
///
/// Every public func.func at the top level becomes a schema Function; its
/// body may hold only arith.constant, exec.dispatch, views (tensor.
/// collapse_shape, expand_shape, reshape, cast) and func.return. The output
/// is deterministic: the same module gives the same bytes.
LogicalResult writeModule(ModuleOp module, llvm::raw_ostream &os,
                          const ModuleWriterOptions &options = {});

} // namespace mlir::ingot

#endif // INGOT_COMPILER_MODULEWRITER_MODULEWRITER_H
