//===- ExecOps.cpp - exec dialect ops ---------------------------*- C++ -*-===//
#include "dialects/Exec/IR/ExecOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::ingot::exec;

//===----------------------------------------------------------------------===//
// ExecutableOp
//===----------------------------------------------------------------------===//

void ExecutableOp::build(OpBuilder &builder, OperationState &state,
                         StringRef name) {
  state.addAttribute(SymbolTable::getSymbolAttrName(),
                     builder.getStringAttr(name));
  Region *body = state.addRegion();
  body->push_back(new Block());
}

ModuleOp ExecutableOp::getInnerModule() {
  if (getBody().empty())
    return nullptr;
  for (Operation &op : getBody().front())
    if (auto module = dyn_cast<ModuleOp>(op))
      return module;
  return nullptr;
}

func::FuncOp ExecutableOp::getKernel() {
  ModuleOp module = getInnerModule();
  if (!module)
    return nullptr;
  return module.lookupSymbol<func::FuncOp>(getSymName());
}

LogicalResult ExecutableOp::verify() {
  Block &block = getBody().front();
  if (!llvm::hasSingleElement(block) || !isa<ModuleOp>(block.front()))
    return emitOpError("expects a single builtin.module in its body");
  // Before code generation the kernel is a func.func; after it, whatever
  // the target lowered it to (llvm.func on the CPU).
  if (!getInnerModule().lookupSymbol(getSymName()))
    return emitOpError("expects its module to hold a function named @")
           << getSymName();
  return success();
}

//===----------------------------------------------------------------------===//
// DispatchOp
//===----------------------------------------------------------------------===//

LogicalResult DispatchOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto executable =
      symbolTable.lookupNearestSymbolFrom<ExecutableOp>(*this, getKernelAttr());
  if (!executable) {
    // After serialization only the binaries remain; the kernel is then
    // checked against their entry points by the module writer.
    return success();
  }
  // Only tensor kernels (before code generation) are checked against the
  // dispatch; lowered kernels follow the target's ABI.
  func::FuncOp kernel = executable.getKernel();
  if (!kernel)
    return success();
  FunctionType type = kernel.getFunctionType();
  bool isTensorKernel = llvm::all_of(
      llvm::concat<const Type>(type.getInputs(), type.getResults()),
      [](Type t) { return isa<RankedTensorType>(t); });
  if (isTensorKernel &&
      (!llvm::equal(type.getInputs(), getArguments().getTypes()) ||
       !llvm::equal(type.getResults(), getResults().getTypes())))
    return emitOpError("type mismatch with kernel @")
           << getKernel() << ": kernel has type " << type;
  return success();
}

//===----------------------------------------------------------------------===//
// BinaryOp
//===----------------------------------------------------------------------===//

LogicalResult BinaryOp::verify() {
  for (Attribute attr : getEntryPoints()) {
    auto entry = cast<EntryPointAttr>(attr);
    if (entry.getWorkgroupCount().size() != 3 ||
        entry.getWorkgroupSize().size() != 3)
      return emitOpError("entry point '")
             << entry.getKernel().getValue()
             << "' needs 3-D workgroup_count and workgroup_size";
    for (int64_t v : entry.getWorkgroupCount())
      if (v < 1)
        return emitOpError("entry point '") << entry.getKernel().getValue()
                                            << "' has an empty workgroup grid";
  }
  if (getFormat() == "spirv")
    return verifySpirvTargetConfig();
  return success();
}

LogicalResult BinaryOp::verifySpirvTargetConfig() {
  DictionaryAttr config = getTargetConfigAttr();
  if (!config)
    return emitOpError("in format 'spirv' needs a target_config with its "
                       "target environment");
  auto name = config.getAs<StringAttr>("name");
  if (!name)
    return emitOpError("target_config needs a string 'name'");
  for (StringRef key :
       {"spirv_version", "vulkan_version", "max_workgroup_invocations"})
    if (!config.getAs<IntegerAttr>(key))
      return emitOpError("target_config needs an integer '") << key << "'";
  for (StringRef key : {"capabilities", "extensions"}) {
    auto list = config.getAs<ArrayAttr>(key);
    if (!list ||
        !llvm::all_of(list, [](Attribute a) { return isa<StringAttr>(a); }))
      return emitOpError("target_config needs '")
             << key << "' as an array of strings";
  }
  int64_t maxInvocations =
      config.getAs<IntegerAttr>("max_workgroup_invocations").getInt();
  for (Attribute attr : getEntryPoints()) {
    auto entry = cast<EntryPointAttr>(attr);
    int64_t invocations = 1;
    for (int64_t v : entry.getWorkgroupSize())
      invocations *= v;
    if (invocations < 1 || invocations > maxInvocations)
      return emitOpError("entry point '")
             << entry.getKernel().getValue() << "' has " << invocations
             << " invocations per workgroup; the target allows 1 to "
             << maxInvocations;
    for (int64_t v : entry.getWorkgroupCount())
      if (v > 65535)
        return emitOpError("entry point '")
               << entry.getKernel().getValue()
               << "' has a workgroup count above 65535 in one dimension";
  }
  return success();
}

#define GET_OP_CLASSES
#include "dialects/Exec/IR/ExecOps.cpp.inc"
