//===- Pipelines.cpp - Ingot's named compilation phases ---------*- C++ -*-===//
#include "compiler/Pipelines/Pipelines.h"

#include "compiler/Codegen/CPU/Passes.h"
#include "compiler/Codegen/SPIRV/Passes.h"
#include "compiler/Conversion/Passes.h"
#include "dialects/Exec/Transforms/Passes.h"
#include "dialects/Graph/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::ingot;

static constexpr Phase kAllPhases[] = {Phase::Input,   Phase::Graph,
                                       Phase::Linalg,  Phase::Dispatch,
                                       Phase::Codegen, Phase::Module};

std::optional<Phase> mlir::ingot::parsePhase(llvm::StringRef name) {
  for (Phase phase : kAllPhases)
    if (stringifyPhase(phase) == name)
      return phase;
  return std::nullopt;
}

llvm::StringRef mlir::ingot::stringifyPhase(Phase phase) {
  switch (phase) {
  case Phase::Input:
    return "input";
  case Phase::Graph:
    return "graph";
  case Phase::Linalg:
    return "linalg";
  case Phase::Dispatch:
    return "dispatch";
  case Phase::Codegen:
    return "codegen";
  case Phase::Module:
    return "module";
  }
  llvm_unreachable("unknown phase");
}

std::string mlir::ingot::listPhases() {
  std::string list;
  for (Phase phase : kAllPhases) {
    if (!list.empty())
      list += ", ";
    list += stringifyPhase(phase).str();
  }
  return list;
}

/// Adds the passes of the single phase `phase` (from the previous one).
static void buildOnePhase(OpPassManager &pm, Phase phase,
                          const TargetOptions &target) {
  switch (phase) {
  case Phase::Input:
    return;
  case Phase::Graph:
    // Constants first: batch_norm folding needs constant statistics and
    // weights, which exporters may compute (e.g. a transposed weight).
    pm.addNestedPass<func::FuncOp>(graph::createFoldConstantsPass());
    pm.addNestedPass<func::FuncOp>(graph::createFoldBatchNormPass());
    pm.addNestedPass<func::FuncOp>(graph::createSimplifyTransposesPass());
    pm.addNestedPass<func::FuncOp>(graph::createSimplifyReshapesPass());
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
    pm.addNestedPass<func::FuncOp>(graph::createDropSatisfiedChecksPass());
    return;
  case Phase::Linalg:
    pm.addPass(createConvertGraphToLinalgPass());
    pm.addPass(createCanonicalizerPass());
    // Before fusion: the layout transposes move through the elementwise ops
    // one by one (docs/design/cpu-kernels.md).
    pm.addNestedPass<func::FuncOp>(createConvertToChannelsLastPass());
    pm.addPass(createCanonicalizerPass());
    pm.addNestedPass<func::FuncOp>(exec::createFuseElementwiseOpsPass());
    pm.addPass(createCanonicalizerPass());
    // After fusion: the gather must not be fused into the contraction, and
    // the fused bias/activation consumers get collapsed with the conv.
    pm.addNestedPass<func::FuncOp>(createConvertConvToIm2ColPass());
    // After fusion too: the bias and activation fused into a matmul's
    // consumer move into the panel space with it.
    pm.addNestedPass<func::FuncOp>(createPackWeightsPass());
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
    return;
  case Phase::Dispatch:
    pm.addPass(exec::createFormDispatchesPass());
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
    // After canonicalization, which settles the kernels' contents.
    pm.addPass(exec::createDedupExecutablesPass());
    return;
  case Phase::Codegen:
    // SPIR-V first: it copies the tensor kernels that the CPU pipeline then
    // lowers in place.
    if (target.compileVulkan) {
      vk::SpirvPipelineOptions options;
      options.target = target.vulkanTarget;
      vk::buildSpirvKernelPipeline(pm, options);
    }
    // Kernels are independent: the pass manager compiles them in parallel.
    if (target.compileCpu)
      cpu::buildCpuKernelPipeline(
          pm.nest<exec::ExecutableOp>().nest<ModuleOp>());
    return;
  case Phase::Module: {
    if (target.compileCpu) {
      cpu::SerializeExecutablesPassOptions options;
      options.targetTriple = target.triple;
      options.targetCpu = target.cpu;
      options.targetFeatures = target.features;
      pm.addPass(cpu::createSerializeExecutablesPass(options));
    }
    // Also drops the executables no CPU binary consumed.
    if (target.compileVulkan)
      pm.addPass(vk::createSerializeExecutablesPass());
    return;
  }
  }
}

void mlir::ingot::buildPhasePipeline(OpPassManager &pm, Phase from, Phase to,
                                     const TargetOptions &target) {
  for (Phase phase : kAllPhases)
    if (phase > from && phase <= to)
      buildOnePhase(pm, phase, target);
}

void mlir::ingot::registerPhasePipelines() {
  for (Phase phase : kAllPhases) {
    if (phase == Phase::Input)
      continue;
    std::string name = ("ingot-phase-" + stringifyPhase(phase)).str();
    std::string description =
        ("Runs Ingot's `" + stringifyPhase(phase) + "` phase").str();
    PassPipelineRegistration<>(name, description, [phase](OpPassManager &pm) {
      buildOnePhase(pm, phase, TargetOptions());
    });
  }
  PassPipelineRegistration<>(
      "ingot-compile-pipeline", "Runs every phase from input to module",
      [](OpPassManager &pm) {
        buildPhasePipeline(pm, Phase::Input, Phase::Module, TargetOptions());
      });
}
