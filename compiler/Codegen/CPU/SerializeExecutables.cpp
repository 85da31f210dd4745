//===- SerializeExecutables.cpp - LLVM kernels to a shared object ---------===//
//
// Translates the LLVM-dialect kernels of every exec.executable into one LLVM
// module, optimizes it at O3 for the target CPU, emits an object file in
// memory and links it with lld (in process) into a shared object, stored in
// an exec.binary op.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/CPU/Passes.h"

#include "lld/Common/Driver.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include <mutex>

#define DEBUG_TYPE "ingot-cpu-serialize-executables"

LLD_HAS_DRIVER(elf)

namespace mlir::ingot::cpu {
#define GEN_PASS_DEF_SERIALIZEEXECUTABLESPASS
#include "compiler/Codegen/CPU/Passes.h.inc"
} // namespace mlir::ingot::cpu

using namespace mlir;
using namespace mlir::ingot;
using namespace mlir::ingot::cpu;

namespace {

/// Creates the TargetMachine for `triple`/`cpu`/`features` (`host` CPU means
/// this machine's CPU and features).
std::unique_ptr<llvm::TargetMachine> createTargetMachine(std::string triple,
                                                         std::string cpu,
                                                         std::string features,
                                                         std::string &error) {
  static std::once_flag initFlag;
  std::call_once(initFlag, [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
  });
  if (triple.empty())
    triple = llvm::sys::getDefaultTargetTriple();
  if (cpu.empty() || cpu == "host") {
    cpu = llvm::sys::getHostCPUName().str();
    llvm::SubtargetFeatures hostFeatures;
    for (auto &feature : llvm::sys::getHostCPUFeatures())
      hostFeatures.AddFeature(feature.first(), feature.second);
    std::string extra = features;
    features = hostFeatures.getString();
    if (!extra.empty())
      features += "," + extra;
  }
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  llvm::TargetOptions options;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpu, features, options, llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    error = "cannot create a target machine for " + triple + " / " + cpu;
  return machine;
}

/// Runs the LLVM O3 module pipeline on `module`.
void optimizeModule(llvm::Module &module, llvm::TargetMachine &machine) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PipelineTuningOptions tuning;
  tuning.LoopVectorization = true;
  tuning.SLPVectorization = true;
  llvm::PassBuilder builder(&machine, tuning);
  builder.registerModuleAnalyses(mam);
  builder.registerCGSCCAnalyses(cgam);
  builder.registerFunctionAnalyses(fam);
  builder.registerLoopAnalyses(lam);
  builder.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager mpm =
      builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3);
  mpm.run(module, mam);
}

/// Links `object` into a shared object with lld, through a private
/// temporary directory (lld reads and writes files).
LogicalResult linkSharedObject(StringRef object, std::string &sharedObject,
                               std::string &error) {
  SmallString<128> dir;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("ingot-link", dir)) {
    error = "cannot create a temporary directory: " + ec.message();
    return failure();
  }
  SmallString<128> objPath(dir), soPath(dir);
  llvm::sys::path::append(objPath, "kernels.o");
  llvm::sys::path::append(soPath, "kernels.so");
  auto cleanup = llvm::make_scope_exit([&] {
    llvm::sys::fs::remove(objPath);
    llvm::sys::fs::remove(soPath);
    llvm::sys::fs::remove(dir);
  });
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(objPath, ec, llvm::sys::fs::OF_None);
    if (ec) {
      error = "cannot write " + objPath.str().str() + ": " + ec.message();
      return failure();
    }
    os << object;
  }
  std::string outputs;
  llvm::raw_string_ostream diag(outputs);
  const char *args[] = {
      "ld.lld", "-shared",     "-o",  soPath.c_str(),  "--build-id=none",
      "-z",     "noexecstack", "-O2", "--gc-sections", objPath.c_str()};
  static std::mutex lldMutex; // lld is not reentrant.
  std::lock_guard<std::mutex> lock(lldMutex);
  lld::Result result =
      lld::lldMain(args, diag, diag, {{lld::Gnu, &lld::elf::link}});
  if (result.retCode != 0) {
    error = "lld failed: " + outputs;
    return failure();
  }
  auto buffer = llvm::MemoryBuffer::getFile(soPath);
  if (!buffer) {
    error = "cannot read the linked shared object";
    return failure();
  }
  sharedObject = (*buffer)->getBuffer().str();
  return success();
}

struct SerializeExecutablesPass
    : public mlir::ingot::cpu::impl::SerializeExecutablesPassBase<
          SerializeExecutablesPass> {
  using SerializeExecutablesPassBase::SerializeExecutablesPassBase;

  void runOnOperation() override;
};

void SerializeExecutablesPass::runOnOperation() {
  ModuleOp module = getOperation();
  MLIRContext *ctx = &getContext();
  SmallVector<exec::ExecutableOp> executables(
      module.getOps<exec::ExecutableOp>());
  if (executables.empty())
    return;

  // 1. One LLVM-dialect module with every kernel.
  OpBuilder builder(ctx);
  OwningOpRef<ModuleOp> kernels = ModuleOp::create(module.getLoc());
  builder.setInsertionPointToEnd(kernels->getBody());
  SmallVector<Attribute> entryPoints;
  llvm::StringSet<> declared;
  for (exec::ExecutableOp executable : executables) {
    ModuleOp inner = executable.getInnerModule();
    auto kernel =
        inner ? inner.lookupSymbol<LLVM::LLVMFuncOp>(executable.getSymName())
              : nullptr;
    if (!kernel) {
      executable.emitOpError("has no kernel lowered to the LLVM dialect; run "
                             "the CPU kernel pipeline first");
      return signalPassFailure();
    }
    auto count = kernel->getAttrOfType<DenseI64ArrayAttr>(kWorkgroupCountAttr);
    if (!count || count.size() != 3) {
      kernel.emitOpError("lacks its workgroup count");
      return signalPassFailure();
    }
    SmallVector<int64_t> one = {1, 1, 1};
    entryPoints.push_back(exec::EntryPointAttr::get(
        ctx, executable.getSymNameAttr(), executable.getSymNameAttr(),
        count.asArrayRef(), one));
    // Kernel-local symbols (constant globals, helpers) get the kernel's
    // name as prefix so kernels can share one module: two kernels may each
    // hold a constant global of the same name (e.g. @__constant_16xf32)
    // with different values. LLVM globals are public MLIR symbols whose
    // private or internal *linkage* makes them local.
    auto isLocal = [](Operation &op, SymbolOpInterface symbol) {
      if (auto global = dyn_cast<LLVM::GlobalOp>(op))
        return global.getLinkage() == LLVM::Linkage::Private ||
               global.getLinkage() == LLVM::Linkage::Internal;
      if (auto fn = dyn_cast<LLVM::LLVMFuncOp>(op))
        return !fn.isExternal() && (symbol.isPrivate() ||
                                    fn.getLinkage() == LLVM::Linkage::Private ||
                                    fn.getLinkage() == LLVM::Linkage::Internal);
      return symbol.isPrivate() && op.getNumRegions() != 0;
    };
    for (Operation &op : llvm::make_early_inc_range(inner.getOps())) {
      auto symbol = dyn_cast<SymbolOpInterface>(op);
      if (!symbol || !isLocal(op, symbol))
        continue;
      auto newName = builder.getStringAttr(executable.getSymName() + "__" +
                                           symbol.getName());
      if (failed(SymbolTable::replaceAllSymbolUses(&op, newName, inner))) {
        op.emitOpError("cannot rename private symbol");
        return signalPassFailure();
      }
      symbol.setName(newName);
    }
    for (Operation &op : inner.getBody()->getOperations()) {
      // Declarations (libm, memset...) may repeat across kernels.
      if (auto fn = dyn_cast<LLVM::LLVMFuncOp>(op))
        if (fn.isExternal() && !declared.insert(fn.getName()).second)
          continue;
      builder.clone(op);
    }
  }

  // 2. LLVM IR, optimized for the target.
  std::string error;
  std::unique_ptr<llvm::TargetMachine> machine =
      createTargetMachine(targetTriple, targetCpu, targetFeatures, error);
  if (!machine) {
    module.emitError("CPU target: ") << error;
    return signalPassFailure();
  }
  DialectRegistry registry;
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  ctx->appendDialectRegistry(registry);
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*kernels, llvmContext, "ingot_kernels");
  if (!llvmModule) {
    module.emitError("failed to translate kernels to LLVM IR");
    return signalPassFailure();
  }
  llvmModule->setDataLayout(machine->createDataLayout());
  llvmModule->setTargetTriple(machine->getTargetTriple().str());
  optimizeModule(*llvmModule, *machine);

  // 3. Object code in memory, then a shared object.
  SmallString<0> object;
  {
    llvm::raw_svector_ostream os(object);
    llvm::legacy::PassManager codegen;
    if (machine->addPassesToEmitFile(codegen, os, nullptr,
                                     llvm::CodeGenFileType::ObjectFile)) {
      module.emitError("the CPU target cannot emit object files");
      return signalPassFailure();
    }
    codegen.run(*llvmModule);
  }
  std::string sharedObject;
  if (failed(linkSharedObject(object, sharedObject, error))) {
    module.emitError("linking CPU kernels: ") << error;
    return signalPassFailure();
  }

  // 4. Replace the executables with the binary.
  builder.setInsertionPoint(executables.front());
  std::string target =
      machine->getTargetTriple().str() + ":" + machine->getTargetCPU().str();
  builder.create<exec::BinaryOp>(module.getLoc(), builder.getStringAttr("cpu"),
                                 builder.getStringAttr("cpu-elf"),
                                 builder.getStringAttr(target),
                                 builder.getArrayAttr(entryPoints),
                                 builder.getStringAttr(StringRef(sharedObject)),
                                 /*target_config=*/DictionaryAttr());
  if (!keepExecutables)
    for (exec::ExecutableOp executable : executables)
      executable.erase();
}

} // namespace
