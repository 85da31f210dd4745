//===- Registration.h - register Ingot dialects and passes -----*- C++ -*-===//
//
// One place that registers exactly the dialects and passes Ingot uses (ours
// and the upstream ones our pipelines run), for ingot-opt and the compiler.
//
//===----------------------------------------------------------------------===//
#ifndef INGOT_COMPILER_REGISTRATION_REGISTRATION_H
#define INGOT_COMPILER_REGISTRATION_REGISTRATION_H

namespace mlir {
class DialectRegistry;
namespace ingot {

/// Adds every dialect (and interface extension) Ingot's pipelines touch.
void registerAllDialects(DialectRegistry &registry);

/// Registers Ingot's passes and pipelines and the upstream passes they use,
/// so `ingot-opt` can reproduce any compile step by step.
void registerAllPasses();

} // namespace ingot
} // namespace mlir

#endif // INGOT_COMPILER_REGISTRATION_REGISTRATION_H
