//===- Pipelines.h - Ingot's named compilation phases -----------*- C++ -*-===//
//
// The compiler is a sequence of named phases; each phase is a registered
// pass pipeline, so `ingot-opt --ingot-phase-<name>` reproduces one step and
// `ingot-compile --compile-to=<name>` stops after it.
//
//   input     what the importer (or the .mlir file) produced: graph dialect
//   graph     graph-level cleanups (canonicalize, CSE)
//   linalg    lowered to linalg/tensor/arith/math on tensors
//   dispatch  compute grouped into exec.executable + exec.dispatch
//   codegen   every kernel lowered per target: the LLVM dialect (CPU ABI)
//             in each executable, one spirv.module for Vulkan
//   module    kernels compiled into one exec.binary per target; ready to
//             write
//
//===----------------------------------------------------------------------===//
#ifndef INGOT_COMPILER_PIPELINES_PIPELINES_H
#define INGOT_COMPILER_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>

namespace mlir::ingot {

/// The phases, in order.
enum class Phase { Input, Graph, Linalg, Dispatch, Codegen, Module };

/// Parses a phase name; std::nullopt if unknown.
std::optional<Phase> parsePhase(llvm::StringRef name);

/// The name of `phase`.
llvm::StringRef stringifyPhase(Phase phase);

/// Comma-separated list of every phase name, for error messages.
std::string listPhases();

/// Target options that reach code generation.
struct TargetOptions {
  /// Compile the kernels for the CPU (LLVM, shared object).
  bool compileCpu = true;
  /// Compile the kernels for Vulkan (one SPIR-V module).
  bool compileVulkan = false;
  /// Named Vulkan target (--vulkan-target=).
  std::string vulkanTarget = "default";
  /// LLVM target triple; empty = the host's.
  std::string triple;
  /// CPU name or "host".
  std::string cpu = "host";
  /// Extra LLVM target features ("+avx2,-avx512f").
  std::string features;
};

/// Adds the passes that take a module from the end of phase `from` to the
/// end of phase `to` (`from` < `to`; `from == Input` means freshly imported).
void buildPhasePipeline(OpPassManager &pm, Phase from, Phase to,
                        const TargetOptions &target);

/// Registers `ingot-phase-<name>` pipelines (one phase each, with default
/// target options) and `ingot-compile-pipeline` (input to module).
void registerPhasePipelines();

} // namespace mlir::ingot

#endif // INGOT_COMPILER_PIPELINES_PIPELINES_H
