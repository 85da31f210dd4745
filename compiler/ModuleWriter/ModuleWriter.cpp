//===- ModuleWriter.cpp - Serializes a module to .ingot ---------*- C++ -*-===//
//
// Collects the kernels, executables and constants of a compiled module into
// a ModulePlan (host programs come from HostProgram.cpp), then writes the
// FlatBuffer followed by the data segments. Segment offsets are absolute file
// offsets stored inside the FlatBuffer, so it is built twice: once to learn
// its size, once with the real offsets.
//
//===----------------------------------------------------------------------===//

#include "compiler/ModuleWriter/ModuleWriter.h"

#include "compiler/ModuleWriter/ModulePlan.h"
#include "dialects/Exec/IR/ExecOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>

namespace mlir::ingot {

using namespace detail;

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

/// The name of a constant: its `ingot.name` attribute, its NameLoc, or
/// "constant_<index>".
static std::string constantName(arith::ConstantOp op, uint32_t index) {
  if (auto name = op->getAttrOfType<StringAttr>("ingot.name"))
    return name.str();
  if (auto loc = dyn_cast<NameLoc>(op.getLoc()))
    return loc.getName().str();
  return ("constant_" + Twine(index)).str();
}

FailureOr<uint32_t> ModuleState::internConstant(arith::ConstantOp op) {
  Attribute value = op.getValue();
  auto found = constantIndex.find(value);
  if (found != constantIndex.end())
    return found->second;

  uint32_t index = plan.constants.size();
  FailureOr<TensorTypePlan> type =
      convertTensorType(op.getType(), op.getLoc(), "constant");
  if (failed(type))
    return failure();
  uint64_t count = 1;
  for (int64_t dim : type->dims)
    count *= uint64_t(dim);
  uint64_t elementSize = elementByteSize(type->elementType);
  bool isBool = type->elementType == schema::ElementType::i1;

  SegmentPlan segment;
  if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    if (isBool) {
      // MLIR packs i1 as bits; the file holds one byte (0 or 1) each.
      if (dense.isSplat()) {
        plan.ownedBytes.emplace_back(1,
                                     char(dense.getSplatValue<bool>() ? 1 : 0));
        segment.repeat = count;
      } else {
        std::vector<char> &bytes = plan.ownedBytes.emplace_back();
        bytes.reserve(count);
        for (bool bit : dense.getValues<bool>())
          bytes.push_back(bit ? 1 : 0);
      }
      const std::vector<char> &bytes = plan.ownedBytes.back();
      segment.bytes = StringRef(bytes.data(), bytes.size());
    } else {
      ArrayRef<char> raw = dense.getRawData();
      segment.bytes = StringRef(raw.data(), raw.size());
      if (dense.isSplat() && count != 1)
        segment.repeat = count;
      if (segment.bytes.size() != (dense.isSplat() ? 1 : count) * elementSize)
        return op.emitOpError("has ")
               << raw.size() << " bytes of data for type " << op.getType();
    }
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return op.emitOpError("refers to resource '")
             << resource.getRawHandle().getKey() << "' that has no data";
    ArrayRef<char> raw = blob->getData();
    if (raw.size() != count * elementSize)
      return op.emitOpError("has a resource of ")
             << raw.size() << " bytes but its type " << op.getType()
             << " needs " << count * elementSize;
    if (isBool) {
      std::vector<char> &bytes = plan.ownedBytes.emplace_back();
      bytes.reserve(count);
      for (char c : raw)
        bytes.push_back(c != 0 ? 1 : 0);
      segment.bytes = StringRef(bytes.data(), bytes.size());
    } else {
      segment.bytes = StringRef(raw.data(), raw.size());
    }
  } else {
    return op.emitOpError("has a value the module writer cannot serialize ("
                          "expected dense elements or a dense resource)");
  }

  ConstantPlan constant;
  constant.name = constantName(op, index);
  constant.type = std::move(*type);
  constant.segment = plan.segments.size();
  plan.segments.push_back(segment);
  plan.constants.push_back(std::move(constant));
  constantIndex[value] = index;
  return index;
}

//===----------------------------------------------------------------------===//
// Kernels and executables
//===----------------------------------------------------------------------===//

/// Converts a 3-D workgroup count or size to the schema's uint32 values.
static LogicalResult convertGrid(exec::BinaryOp binary, StringRef kernel,
                                 StringRef what, ArrayRef<int64_t> values,
                                 SmallVectorImpl<uint32_t> &out) {
  if (values.size() != 3)
    return binary.emitOpError("entry point for kernel '")
           << kernel << "' needs a 3-D " << what;
  for (int64_t value : values) {
    if (value < 1 || value > int64_t(UINT32_MAX))
      return binary.emitOpError("entry point for kernel '")
             << kernel << "' has " << what << " " << value
             << " outside [1, 2^32)";
    out.push_back(uint32_t(value));
  }
  return success();
}

/// Adds the executable of `binary`, with entry points in kernel order.
static LogicalResult planExecutable(exec::BinaryOp binary, ModulePlan &plan) {
  ExecutablePlan executable;
  StringRef format = binary.getFormat();
  if (format == "cpu-elf")
    executable.format = schema::ExecutableFormat::CpuElf;
  else if (format == "spirv")
    executable.format = schema::ExecutableFormat::SpirV;
  else
    return binary.emitOpError("has format '")
           << format << "', which the module file cannot hold (expected "
           << "'cpu-elf' or 'spirv')";
  if (binary.getData().empty())
    return binary.emitOpError("has no data");
  executable.target = binary.getTarget().str();
  if (executable.format == schema::ExecutableFormat::SpirV) {
    // The verifier checked the target_config of spirv binaries.
    DictionaryAttr config = binary.getTargetConfigAttr();
    SpirvTargetPlan target;
    target.name = config.getAs<StringAttr>("name").str();
    target.spirvVersion =
        config.getAs<IntegerAttr>("spirv_version").getValue().getZExtValue();
    target.vulkanVersion =
        config.getAs<IntegerAttr>("vulkan_version").getValue().getZExtValue();
    target.maxWorkgroupInvocations =
        config.getAs<IntegerAttr>("max_workgroup_invocations")
            .getValue()
            .getZExtValue();
    for (Attribute cap : config.getAs<ArrayAttr>("capabilities"))
      target.capabilities.push_back(cast<StringAttr>(cap).str());
    for (Attribute ext : config.getAs<ArrayAttr>("extensions"))
      target.extensions.push_back(cast<StringAttr>(ext).str());
    executable.spirvTarget = std::move(target);
  }

  llvm::StringMap<exec::EntryPointAttr> byKernel;
  for (Attribute attr : binary.getEntryPoints()) {
    auto entry = dyn_cast<exec::EntryPointAttr>(attr);
    if (!entry)
      return binary.emitOpError("has an entry point that is not an "
                                "#exec.entry_point");
    if (!byKernel.try_emplace(entry.getKernel().getValue(), entry).second)
      return binary.emitOpError("has two entry points for kernel '")
             << entry.getKernel().getValue() << "'";
  }
  for (const std::string &kernel : plan.kernels) {
    auto it = byKernel.find(kernel);
    if (it == byKernel.end())
      return binary.emitOpError("has no entry point for kernel '")
             << kernel << "'";
    exec::EntryPointAttr entry = it->second;
    EntryPointPlan entryPoint;
    entryPoint.symbol = entry.getSymbol().str();
    if (entryPoint.symbol.empty() ||
        entryPoint.symbol.find('\0') != std::string::npos)
      return binary.emitOpError("entry point for kernel '")
             << kernel << "' has an invalid symbol";
    if (failed(convertGrid(binary, kernel, "workgroup_count",
                           entry.getWorkgroupCount(),
                           entryPoint.workgroupCount)) ||
        failed(convertGrid(binary, kernel, "workgroup_size",
                           entry.getWorkgroupSize(), entryPoint.workgroupSize)))
      return failure();
    executable.entryPoints.push_back(std::move(entryPoint));
  }

  SegmentPlan segment;
  segment.bytes = binary.getData();
  executable.segment = plan.segments.size();
  plan.segments.push_back(segment);
  plan.executables.push_back(std::move(executable));
  return success();
}

//===----------------------------------------------------------------------===//
// Size variants
//===----------------------------------------------------------------------===//

/// The functions a size-variant declaration lists in `ingot.variants`, or an
/// error if one is not a function with a body in `module`.
static FailureOr<SmallVector<func::FuncOp>> getVariants(ModuleOp module,
                                                        func::FuncOp func) {
  auto list = func->getAttrOfType<ArrayAttr>("ingot.variants");
  if (!list || list.empty())
    return func.emitOpError("needs a non-empty ingot.variants list of "
                            "function symbols");
  SmallVector<func::FuncOp> variants;
  for (Attribute entry : list) {
    auto symbol = dyn_cast<FlatSymbolRefAttr>(entry);
    auto variant =
        symbol ? module.lookupSymbol<func::FuncOp>(symbol) : func::FuncOp();
    if (!variant || variant.isExternal() || !variant.isPublic())
      return func.emitOpError("lists variant ")
             << entry << ", which is not a public function with a body";
    variants.push_back(variant);
  }
  return variants;
}

/// Checks that every variant of `function` has its signature except in its
/// -1 dims, where variants are static (a batched dim 0 aside), and the same
/// batch tile.
static LogicalResult checkVariants(ModuleOp module,
                                   const FunctionPlan &function,
                                   const ModulePlan &plan) {
  for (uint32_t index : function.variants) {
    const FunctionPlan &variant = plan.functions[index];
    auto fail = [&]() {
      return module.emitError("size variant '")
             << variant.name << "' of '" << function.name << "': ";
    };
    if (variant.batchTile != function.batchTile)
      return fail() << "batch tile " << variant.batchTile << " differs from "
                    << function.batchTile;
    for (int outputs = 0; outputs < 2; ++outputs) {
      // Check outputs are each variant's own.
      auto visible = [](const std::vector<ParameterPlan> &list) {
        std::vector<ParameterPlan> result;
        llvm::copy_if(list, std::back_inserter(result),
                      [](const ParameterPlan &p) { return !p.checkMessage; });
        return result;
      };
      std::vector<ParameterPlan> params =
          visible(outputs ? function.outputs : function.inputs);
      std::vector<ParameterPlan> others =
          visible(outputs ? variant.outputs : variant.inputs);
      const char *kind = outputs ? "output" : "input";
      if (params.size() != others.size())
        return fail() << others.size() << " " << kind << "s instead of "
                      << params.size();
      for (auto [i, param, other] : llvm::enumerate(params, others)) {
        if (param.type.elementType != other.type.elementType ||
            param.type.dims.size() != other.type.dims.size() ||
            param.batched != other.batched)
          return fail() << kind << " #" << i << " '" << other.name
                        << "' differs in element type, rank or batch";
        for (auto [d, dim, otherDim] :
             llvm::enumerate(param.type.dims, other.type.dims)) {
          bool batchDim = d == 0 && param.batched;
          if (batchDim || (dim < 0 ? otherDim >= 0 : dim == otherDim))
            continue;
          return fail() << kind << " #" << i << " '" << other.name
                        << "' has dim " << d << " = " << otherDim
                        << " where the function has "
                        << (dim < 0 ? std::string("?") : std::to_string(dim));
        }
      }
    }
  }
  return success();
}

/// Translates `module` to a ModulePlan.
static LogicalResult planModule(ModuleOp module,
                                const ModuleWriterOptions &options,
                                ModulePlan &plan) {
  plan.producer = options.producer;
  plan.name = options.moduleName;
  if (plan.name.empty())
    plan.name = module.getSymName() ? module.getSymName()->str() : "module";

  // Exported functions in module order (size-variant declarations among
  // them), then the variants of each declaration.
  SmallVector<func::FuncOp> functions;
  SmallVector<exec::BinaryOp> binaries;
  SmallVector<func::FuncOp> variantOwners;
  for (Operation &op : module.getBody()->getOperations()) {
    if (auto func = dyn_cast<func::FuncOp>(op)) {
      if (func.isExternal() && func->hasAttr("ingot.variants")) {
        functions.push_back(func);
        variantOwners.push_back(func);
        continue;
      }
      if (!func.isPublic())
        continue;
      if (func.isExternal())
        return func.emitOpError("is a public declaration without a body; the "
                                "module file cannot hold it");
      functions.push_back(func);
    } else if (auto binary = dyn_cast<exec::BinaryOp>(op)) {
      binaries.push_back(binary);
    } else if (!isa<exec::ExecutableOp>(op)) {
      return op.emitOpError("cannot be written to a module file");
    }
  }
  // Each declaration's variants, looked up once; a function is listed by at
  // most one declaration.
  llvm::DenseMap<Operation *, SmallVector<func::FuncOp>> variantsOf;
  llvm::DenseSet<Operation *> listed;
  for (func::FuncOp func : variantOwners) {
    FailureOr<SmallVector<func::FuncOp>> variants = getVariants(module, func);
    if (failed(variants))
      return failure();
    for (func::FuncOp variant : *variants)
      if (!listed.insert(variant).second)
        return func.emitOpError("lists variant @")
               << variant.getSymName()
               << " that another function or this one already lists";
    variantsOf[func] = std::move(*variants);
  }
  SmallVector<func::FuncOp> exported;
  for (func::FuncOp func : functions)
    if (!listed.contains(func))
      exported.push_back(func);
  llvm::DenseMap<Operation *, unsigned> variantIndex;
  SmallVector<func::FuncOp> ordered(exported);
  for (func::FuncOp func : exported)
    for (func::FuncOp variant : variantsOf.lookup(func)) {
      variantIndex[variant] = ordered.size();
      ordered.push_back(variant);
    }
  functions = std::move(ordered);

  // Kernels in order of first use.
  ModuleState state(plan);
  exec::DispatchOp firstDispatch;
  for (func::FuncOp func : functions) {
    func.walk<WalkOrder::PreOrder>([&](exec::DispatchOp dispatch) {
      if (!firstDispatch)
        firstDispatch = dispatch;
      StringRef kernel = dispatch.getKernel();
      if (state.kernelIndex.try_emplace(kernel, plan.kernels.size()).second)
        plan.kernels.push_back(kernel.str());
    });
  }
  if (firstDispatch && binaries.empty())
    return firstDispatch.emitOpError("dispatches kernel '")
           << firstDispatch.getKernel()
           << "' but the module has no exec.binary; run code generation "
              "first";

  for (exec::BinaryOp binary : binaries)
    if (failed(planExecutable(binary, plan)))
      return failure();

  for (func::FuncOp func : functions) {
    FunctionPlan &function = plan.functions.emplace_back();
    if (failed(planFunction(func, state, function)))
      return failure();
    for (func::FuncOp variant : variantsOf.lookup(func))
      function.variants.push_back(variantIndex.lookup(variant));
  }
  for (const FunctionPlan &function : plan.functions)
    if (!function.variants.empty() &&
        failed(checkVariants(module, function, plan)))
      return failure();

  // Segment offsets relative to the end of the (padded) FlatBuffer.
  uint64_t cursor = 0;
  for (SegmentPlan &segment : plan.segments) {
    segment.offset = llvm::alignTo(cursor, kAlignment);
    cursor = segment.offset + segment.size();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Serialization
//===----------------------------------------------------------------------===//

namespace {

/// Builds the FlatBuffer of a plan with segments starting at file offset
/// `base`.
class FlatBufferEmitter {
public:
  FlatBufferEmitter(const ModulePlan &plan, uint64_t base,
                    flatbuffers::FlatBufferBuilder &fbb)
      : plan(plan), base(base), fbb(fbb) {}

  void emit();

private:
  using Offset = flatbuffers::uoffset_t;

  flatbuffers::Offset<schema::TensorType> type(const TensorTypePlan &type);
  schema::Segment segment(unsigned index) const {
    const SegmentPlan &s = plan.segments[index];
    return schema::Segment(base + s.offset, s.size());
  }
  flatbuffers::Offset<schema::Function> function(const FunctionPlan &function);
  flatbuffers::Offset<schema::Executable>
  executable(const ExecutablePlan &executable);

  const ModulePlan &plan;
  uint64_t base;
  flatbuffers::FlatBufferBuilder &fbb;
};

} // namespace

flatbuffers::Offset<schema::TensorType>
FlatBufferEmitter::type(const TensorTypePlan &type) {
  auto dims = fbb.CreateVector(type.dims.data(), type.dims.size());
  return schema::CreateTensorType(fbb, type.elementType, dims);
}

flatbuffers::Offset<schema::Function>
FlatBufferEmitter::function(const FunctionPlan &function) {
  auto parameters = [&](const std::vector<ParameterPlan> &params) {
    std::vector<flatbuffers::Offset<schema::Parameter>> offsets;
    for (const ParameterPlan &param : params) {
      auto name = fbb.CreateString(param.name);
      TensorTypePlan signature = param.type;
      if (param.batched)
        signature.dims[0] = -1;
      flatbuffers::Offset<flatbuffers::String> checkMessage;
      if (param.checkMessage)
        checkMessage = fbb.CreateString(*param.checkMessage);
      offsets.push_back(
          schema::CreateParameter(fbb, name, type(signature), checkMessage));
    }
    return fbb.CreateVector(offsets);
  };
  auto name = fbb.CreateString(function.name);
  auto inputs = parameters(function.inputs);
  auto outputs = parameters(function.outputs);

  std::vector<flatbuffers::Offset<schema::Buffer>> buffers;
  for (const BufferPlan &buffer : function.buffers)
    buffers.push_back(schema::CreateBuffer(fbb, buffer.kind, buffer.index,
                                           buffer.offset, buffer.size));
  auto bufferVector = fbb.CreateVector(buffers);

  std::vector<schema::Command> types;
  std::vector<flatbuffers::Offset<void>> commands;
  for (const CommandPlan &command : function.commands) {
    types.push_back(command.kind);
    if (command.kind == schema::Command::Dispatch) {
      auto bindings =
          fbb.CreateVector(command.bindings.data(), command.bindings.size());
      // No push constants yet. The field stays absent: FlatBuffers does not
      // align empty vectors, and the runtime wants int64 data 8-aligned.
      commands.push_back(
          schema::CreateDispatch(fbb, command.kernel, bindings).Union());
    } else {
      commands.push_back(
          schema::CreateCopy(fbb, command.source, command.target, command.size)
              .Union());
    }
  }
  auto typeVector = fbb.CreateVector(types);
  auto commandVector = fbb.CreateVector(commands);
  flatbuffers::Offset<flatbuffers::Vector<uint32_t>> variants = 0;
  if (!function.variants.empty())
    variants = fbb.CreateVector(function.variants);
  return schema::CreateFunction(fbb, name, inputs, outputs, bufferVector,
                                typeVector, commandVector, function.arenaSize,
                                function.batchTile, variants);
}

flatbuffers::Offset<schema::Executable>
FlatBufferEmitter::executable(const ExecutablePlan &executable) {
  std::vector<flatbuffers::Offset<schema::EntryPoint>> entryPoints;
  for (const EntryPointPlan &entry : executable.entryPoints) {
    auto symbol = fbb.CreateString(entry.symbol);
    auto count = fbb.CreateVector(entry.workgroupCount.data(),
                                  entry.workgroupCount.size());
    auto size = fbb.CreateVector(entry.workgroupSize.data(),
                                 entry.workgroupSize.size());
    entryPoints.push_back(schema::CreateEntryPoint(fbb, symbol, count, size));
  }
  auto entryVector = fbb.CreateVector(entryPoints);
  auto target = fbb.CreateString(executable.target);
  flatbuffers::Offset<schema::SpirvTarget> spirvTarget = 0;
  if (const std::optional<SpirvTargetPlan> &spirv = executable.spirvTarget) {
    auto name = fbb.CreateString(spirv->name);
    auto capabilities = fbb.CreateVectorOfStrings(spirv->capabilities);
    auto extensions = fbb.CreateVectorOfStrings(spirv->extensions);
    spirvTarget = schema::CreateSpirvTarget(
        fbb, name, spirv->spirvVersion, spirv->vulkanVersion, capabilities,
        extensions, spirv->maxWorkgroupInvocations);
  }
  schema::Segment data = segment(executable.segment);
  return schema::CreateExecutable(fbb, executable.format, target, entryVector,
                                  &data, spirvTarget);
}

void FlatBufferEmitter::emit() {
  std::vector<flatbuffers::Offset<schema::Function>> functions;
  for (const FunctionPlan &f : plan.functions)
    functions.push_back(function(f));
  auto functionVector = fbb.CreateVector(functions);

  std::vector<flatbuffers::Offset<flatbuffers::String>> kernels;
  for (const std::string &kernel : plan.kernels)
    kernels.push_back(fbb.CreateString(kernel));
  auto kernelVector = fbb.CreateVector(kernels);

  std::vector<flatbuffers::Offset<schema::Executable>> executables;
  for (const ExecutablePlan &e : plan.executables)
    executables.push_back(executable(e));
  auto executableVector = fbb.CreateVector(executables);

  std::vector<flatbuffers::Offset<schema::Constant>> constants;
  for (const ConstantPlan &constant : plan.constants) {
    auto name = fbb.CreateString(constant.name);
    auto constantType = type(constant.type);
    schema::Segment data = segment(constant.segment);
    constants.push_back(schema::CreateConstant(fbb, name, constantType, &data));
  }
  auto constantVector = fbb.CreateVector(constants);

  auto name = fbb.CreateString(plan.name);
  auto producer = fbb.CreateString(plan.producer);
  // Size variants and check outputs need a runtime that knows them.
  bool hasVariants = llvm::any_of(plan.functions, [](const FunctionPlan &f) {
    return !f.variants.empty();
  });
  bool hasChecks = llvm::any_of(plan.functions, [](const FunctionPlan &f) {
    return llvm::any_of(f.outputs, [](const ParameterPlan &output) {
      return output.checkMessage.has_value();
    });
  });
  uint32_t version =
      hasVariants || hasChecks ? kModuleVersion2 : kModuleVersion;
  auto root =
      schema::CreateModule(fbb, version, name, producer, functionVector,
                           kernelVector, executableVector, constantVector);
  schema::FinishModuleBuffer(fbb, root);
}

/// Writes `segment`'s bytes, repeating them as needed.
static void writeSegment(llvm::raw_ostream &os, const SegmentPlan &segment) {
  if (segment.repeat == 1 || segment.bytes.empty()) {
    os << segment.bytes;
    return;
  }
  // Splats: write chunks of the element repeated.
  constexpr uint64_t kChunkBytes = 64 * 1024;
  uint64_t perChunk = std::max<uint64_t>(1, kChunkBytes / segment.bytes.size());
  std::string chunk;
  for (uint64_t i = 0, e = std::min(perChunk, segment.repeat); i < e; ++i)
    chunk += segment.bytes;
  uint64_t remaining = segment.repeat;
  while (remaining) {
    uint64_t n = std::min(perChunk, remaining);
    os.write(chunk.data(), n * segment.bytes.size());
    remaining -= n;
  }
}

LogicalResult writeModule(ModuleOp module, llvm::raw_ostream &os,
                          const ModuleWriterOptions &options) {
  if (!llvm::sys::IsLittleEndianHost)
    return module.emitError("the module writer needs a little-endian host");

  ModulePlan plan;
  if (failed(planModule(module, options, plan)))
    return failure();

  // First build: learn the FlatBuffer's size. Second: real offsets. Segment
  // is a fixed-size struct, so both builds have the same size.
  flatbuffers::FlatBufferBuilder probe;
  FlatBufferEmitter(plan, 0, probe).emit();
  uint64_t base = llvm::alignTo(probe.GetSize(), kAlignment);
  flatbuffers::FlatBufferBuilder fbb;
  FlatBufferEmitter(plan, base, fbb).emit();
  if (fbb.GetSize() != probe.GetSize())
    return module.emitError("module writer: the FlatBuffer changed size "
                            "between builds (")
           << probe.GetSize() << " then " << fbb.GetSize() << " bytes)";

  os.write(reinterpret_cast<const char *>(fbb.GetBufferPointer()),
           fbb.GetSize());
  uint64_t position = fbb.GetSize();
  for (const SegmentPlan &segment : plan.segments) {
    uint64_t offset = base + segment.offset;
    os.write_zeros(offset - position);
    writeSegment(os, segment);
    position = offset + segment.size();
  }
  // Pad the file to a whole number of alignment units.
  os.write_zeros(llvm::alignTo(position, kAlignment) - position);
  return success();
}

} // namespace mlir::ingot
