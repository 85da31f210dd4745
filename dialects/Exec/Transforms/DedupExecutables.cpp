//===- DedupExecutables.cpp - Merge identical exec.executables --*- C++ -*-===//
//
// Executable deduplication: kernels that differ only in their name (the
// steps of an unrolled recurrence, repeated layers) are compiled once. The
// first executable of each class of identical ones stays; the dispatches of
// the others call it and the others are erased.
//
//===----------------------------------------------------------------------===//
#include "dialects/Exec/Transforms/Passes.h"

#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::ingot::exec {
#define GEN_PASS_DEF_DEDUPEXECUTABLESPASS
#include "dialects/Exec/Transforms/Passes.h.inc"
} // namespace mlir::ingot::exec

using namespace mlir;
using namespace mlir::ingot::exec;

namespace {

/// The name every executable and its kernel take while being compared.
constexpr llvm::StringLiteral kPlaceholder = "__ingot_dedup_kernel";

/// Returns the text of `executable` with its name and its kernel's name
/// replaced by a placeholder: two executables with the same text compile
/// to the same code. Returns an empty string for an executable without a
/// kernel (it is left alone).
std::string getKey(ExecutableOp executable) {
  func::FuncOp kernel = executable.getKernel();
  if (!kernel)
    return "";
  StringAttr name = executable.getSymNameAttr();
  auto placeholder = StringAttr::get(executable.getContext(), kPlaceholder);
  executable.setSymNameAttr(placeholder);
  kernel.setSymNameAttr(placeholder);
  std::string key;
  llvm::raw_string_ostream os(key);
  executable->print(os, OpPrintingFlags().useLocalScope());
  executable.setSymNameAttr(name);
  kernel.setSymNameAttr(name);
  return key;
}

struct DedupExecutablesPass
    : public mlir::ingot::exec::impl::DedupExecutablesPassBase<
          DedupExecutablesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    // The users of every symbol, found in one walk (a walk per duplicate
    // would be quadratic in the number of kernels).
    SymbolTableCollection symbolTables;
    SymbolUserMap users(symbolTables, module);
    llvm::StringMap<ExecutableOp> canonical;
    SmallVector<ExecutableOp> duplicates;
    for (ExecutableOp executable : module.getOps<ExecutableOp>()) {
      std::string key = getKey(executable);
      if (key.empty())
        continue;
      auto [it, inserted] = canonical.try_emplace(key, executable);
      if (inserted)
        continue;
      users.replaceAllUsesWith(executable, it->second.getSymNameAttr());
      duplicates.push_back(executable);
    }
    for (ExecutableOp executable : duplicates)
      executable.erase();
  }
};

} // namespace
