//===- HostProgram.cpp - Host program of one function -----------*- C++ -*-===//
//
// Translates a host function (arith.constant, exec.dispatch, tensor views,
// func.return) into the buffers and commands of a schema Function, and packs
// its transient buffers into an arena.
//
//===----------------------------------------------------------------------===//

#include "compiler/ModuleWriter/ModulePlan.h"

#include "dialects/Exec/IR/ExecOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>

namespace mlir::ingot::detail {

using schema::BufferKind;
using schema::ElementType;

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

/// Largest tensor the writer accepts, in bytes (keeps arena and file offset
/// arithmetic far from overflow).
static constexpr uint64_t kMaxTensorBytes = uint64_t(1) << 48;

/// The schema element type of `type`, or nullopt.
static std::optional<ElementType> convertElementType(Type type) {
  if (type.isF32())
    return ElementType::f32;
  if (type.isF64())
    return ElementType::f64;
  if (type.isF16())
    return ElementType::f16;
  if (type.isBF16())
    return ElementType::bf16;
  auto intType = dyn_cast<IntegerType>(type);
  if (!intType)
    return std::nullopt;
  unsigned width = intType.getWidth();
  if (intType.isUnsigned()) {
    switch (width) {
    case 8:
      return ElementType::u8;
    case 16:
      return ElementType::u16;
    case 32:
      return ElementType::u32;
    case 64:
      return ElementType::u64;
    default:
      return std::nullopt;
    }
  }
  switch (width) {
  case 1:
    if (intType.isSignless())
      return ElementType::i1;
    return std::nullopt;
  case 8:
    return ElementType::i8;
  case 16:
    return ElementType::i16;
  case 32:
    return ElementType::i32;
  case 64:
    return ElementType::i64;
  default:
    return std::nullopt;
  }
}

uint64_t elementByteSize(ElementType type) {
  switch (type) {
  case ElementType::i1:
  case ElementType::i8:
  case ElementType::u8:
    return 1;
  case ElementType::f16:
  case ElementType::bf16:
  case ElementType::i16:
  case ElementType::u16:
    return 2;
  case ElementType::f32:
  case ElementType::i32:
  case ElementType::u32:
    return 4;
  case ElementType::f64:
  case ElementType::i64:
  case ElementType::u64:
    return 8;
  }
  return 0;
}

std::optional<uint64_t> tensorByteSize(const TensorTypePlan &type) {
  uint64_t bytes = elementByteSize(type.elementType);
  for (int64_t dim : type.dims) {
    if (dim < 0)
      return std::nullopt;
    if (dim != 0 && bytes > kMaxTensorBytes / uint64_t(dim))
      return std::nullopt;
    bytes *= uint64_t(dim);
  }
  if (bytes > kMaxTensorBytes)
    return std::nullopt;
  return bytes;
}

FailureOr<TensorTypePlan> convertTensorType(Type type, Location loc,
                                            const Twine &what,
                                            bool allowDynamic) {
  auto tensorType = dyn_cast<RankedTensorType>(type);
  if (!tensorType)
    return emitError(loc) << what << " has type " << type
                          << "; the module format holds ranked tensors only";
  std::optional<ElementType> element =
      convertElementType(tensorType.getElementType());
  if (!element)
    return emitError(loc) << what << " has element type "
                          << tensorType.getElementType()
                          << ", which the module format cannot express";
  if (tensorType.getRank() > kMaxRank)
    return emitError(loc) << what << " has rank " << tensorType.getRank()
                          << "; the module format allows at most " << kMaxRank;
  if (!tensorType.hasStaticShape() && !allowDynamic)
    return emitError(loc) << what << " has type " << type
                          << ": dynamic shapes are not supported by the "
                             "module writer yet";
  TensorTypePlan result;
  result.elementType = *element;
  for (int64_t dim : tensorType.getShape())
    result.dims.push_back(ShapedType::isDynamic(dim) ? -1 : dim);
  // Dynamic dims count as 1 for the size check.
  TensorTypePlan sized = result;
  for (int64_t &dim : sized.dims)
    dim = std::max<int64_t>(dim, 1);
  if (!tensorByteSize(sized))
    return emitError(loc) << what << " of type " << type
                          << " is too large for the module format";
  return result;
}

//===----------------------------------------------------------------------===//
// Arena
//===----------------------------------------------------------------------===//

std::vector<uint64_t> planArena(ArrayRef<TransientLifetime> transients,
                                uint64_t &arenaSize) {
  struct Placed {
    uint64_t offset;
    uint64_t size; // Aligned.
    unsigned end;
  };
  std::vector<uint64_t> offsets;
  offsets.reserve(transients.size());
  std::vector<Placed> live;
  arenaSize = 0;
  for (const TransientLifetime &transient : transients) {
    // Buffers whose last use is before this one's definition are dead; a
    // buffer last used by the defining command itself stays live, so a
    // dispatch never writes over its own inputs.
    llvm::erase_if(live, [&](const Placed &placed) {
      return placed.end < transient.start;
    });
    llvm::sort(live, [](const Placed &a, const Placed &b) {
      return a.offset < b.offset || (a.offset == b.offset && a.size < b.size);
    });
    uint64_t size = llvm::alignTo(transient.size, kAlignment);
    uint64_t candidate = 0;
    for (const Placed &placed : live) {
      if (candidate + size <= placed.offset)
        break;
      candidate = std::max(
          candidate, llvm::alignTo(placed.offset + placed.size, kAlignment));
    }
    offsets.push_back(candidate);
    live.push_back({candidate, size, transient.end});
    arenaSize = std::max(arenaSize, candidate + size);
  }
  return offsets;
}

//===----------------------------------------------------------------------===//
// Functions
//===----------------------------------------------------------------------===//

namespace {

/// Whether `op` is a view: its result is its first operand's buffer.
bool isView(Operation *op) {
  return isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp, tensor::ReshapeOp,
             tensor::CastOp>(op);
}

/// The value whose buffer `value` uses, looking through views.
Value rootOf(Value value) {
  while (Operation *op = value.getDefiningOp()) {
    if (!isView(op))
      break;
    value = op->getOperand(0);
  }
  return value;
}

/// Returns `type` with its element type made unsigned when `attrs` has the
/// `ingot.unsigned` attribute the importer puts on unsigned integer
/// parameters (the compiler's integer types are signless).
Type applySignedness(Type type, DictionaryAttr attrs) {
  auto tensorType = dyn_cast<RankedTensorType>(type);
  if (!attrs || !attrs.get("ingot.unsigned") || !tensorType)
    return type;
  auto intType = dyn_cast<IntegerType>(tensorType.getElementType());
  if (!intType || intType.getWidth() == 1)
    return type;
  return tensorType.clone(IntegerType::get(
      type.getContext(), intType.getWidth(), IntegerType::Unsigned));
}

/// The name in the `ingot.name` attribute, or `fallback`.
std::string nameOr(DictionaryAttr attrs, const Twine &fallback) {
  if (attrs)
    if (auto name = attrs.getAs<StringAttr>("ingot.name"))
      return name.str();
  return fallback.str();
}

/// Builds the host program of one function.
class FunctionPlanner {
public:
  FunctionPlanner(func::FuncOp func, ModuleState &state, FunctionPlan &out)
      : func(func), state(state), out(out) {}

  LogicalResult run();

private:
  /// Converts the signature; `addBuffers` also gives every input a buffer.
  LogicalResult planInputs(bool addBuffers);
  /// Marks the batched parameters of a function with ingot.batch_tile.
  LogicalResult planBatch();
  LogicalResult planDispatch(exec::DispatchOp dispatch);
  LogicalResult planReturn(func::ReturnOp ret);
  /// The buffer holding `value` (through views); constants get theirs on
  /// first use. Emits an error at `user` if `value` has none.
  FailureOr<uint32_t> bufferOf(Value value, Operation *user);
  uint32_t addBuffer(BufferKind kind, uint32_t index, uint64_t size);
  void recordUse(uint32_t buffer);

  func::FuncOp func;
  ModuleState &state;
  FunctionPlan &out;
  /// Buffer of every root value.
  llvm::DenseMap<Value, uint32_t> buffers;
  /// Buffer of every module constant used, by constant index.
  llvm::DenseMap<uint32_t, uint32_t> constantBuffers;
  /// Dispatch results returned directly: root value -> output index.
  llvm::DenseMap<Value, uint32_t> claimedOutputs;
  /// Lifetime of each transient buffer, by buffer index.
  llvm::DenseMap<uint32_t, TransientLifetime> transients;
  /// Transient buffers in order of definition.
  SmallVector<uint32_t> transientOrder;
};

} // namespace

uint32_t FunctionPlanner::addBuffer(BufferKind kind, uint32_t index,
                                    uint64_t size) {
  BufferPlan buffer;
  buffer.kind = kind;
  buffer.index = index;
  buffer.size = size;
  out.buffers.push_back(buffer);
  return out.buffers.size() - 1;
}

void FunctionPlanner::recordUse(uint32_t buffer) {
  auto it = transients.find(buffer);
  if (it != transients.end())
    it->second.end = out.commands.size();
}

FailureOr<uint32_t> FunctionPlanner::bufferOf(Value value, Operation *user) {
  Value root = rootOf(value);
  auto it = buffers.find(root);
  if (it != buffers.end())
    return it->second;
  auto constant = root.getDefiningOp<arith::ConstantOp>();
  if (!constant)
    return user->emitOpError("uses a value that has no buffer in the host "
                             "program");
  FailureOr<uint32_t> index = state.internConstant(constant);
  if (failed(index))
    return failure();
  // Constants with identical values share one buffer.
  auto [known, inserted] = constantBuffers.try_emplace(*index, 0);
  if (inserted) {
    const ConstantPlan &plan = state.plan.constants[*index];
    known->second = addBuffer(BufferKind::Constant, *index,
                              state.plan.segments[plan.segment].size());
  }
  buffers[root] = known->second;
  return known->second;
}

LogicalResult FunctionPlanner::planBatch() {
  auto tile = func->getAttrOfType<IntegerAttr>("ingot.batch_tile");
  if (!tile)
    return success();
  if (tile.getInt() <= 0 || tile.getInt() > UINT32_MAX)
    return func.emitOpError("has an invalid ingot.batch_tile ")
           << tile.getInt();
  out.batchTile = tile.getInt();
  bool anyInput = false;
  for (int outputs = 0; outputs < 2; ++outputs) {
    std::vector<ParameterPlan> &params = outputs ? out.outputs : out.inputs;
    for (auto [i, param] : llvm::enumerate(params)) {
      DictionaryAttr attrs =
          outputs ? func.getResultAttrDict(i) : func.getArgAttrDict(i);
      if (!attrs || !attrs.get("ingot.batched"))
        continue;
      if (param.type.dims.empty() || param.type.dims[0] != tile.getInt())
        return func.emitOpError()
               << (outputs ? "output #" : "input #") << i << " '" << param.name
               << "' is batched but its dim 0 is not the tile ("
               << tile.getInt() << " rows)";
      param.batched = true;
      anyInput |= !outputs;
    }
  }
  if (!anyInput)
    return func.emitOpError("has ingot.batch_tile but no batched input");
  return success();
}

LogicalResult FunctionPlanner::planInputs(bool addBuffers) {
  FunctionType type = func.getFunctionType();
  for (auto [i, argType] : llvm::enumerate(type.getInputs())) {
    ParameterPlan param;
    param.name = nameOr(func.getArgAttrDict(i), "input_" + Twine(i));
    FailureOr<TensorTypePlan> tensorType = convertTensorType(
        applySignedness(argType, func.getArgAttrDict(i)),
        addBuffers ? func.getArgument(i).getLoc() : func.getLoc(),
        "input #" + Twine(i) + " '" + param.name + "'", !addBuffers);
    if (failed(tensorType))
      return failure();
    param.type = std::move(*tensorType);
    if (addBuffers)
      buffers[func.getArgument(i)] =
          addBuffer(BufferKind::Input, i, *tensorByteSize(param.type));
    out.inputs.push_back(std::move(param));
  }
  for (auto [i, resultType] : llvm::enumerate(type.getResults())) {
    ParameterPlan param;
    param.name = nameOr(func.getResultAttrDict(i), "output_" + Twine(i));
    FailureOr<TensorTypePlan> tensorType = convertTensorType(
        applySignedness(resultType, func.getResultAttrDict(i)), func.getLoc(),
        "output #" + Twine(i) + " '" + param.name + "'", !addBuffers);
    if (failed(tensorType))
      return failure();
    param.type = std::move(*tensorType);
    if (DictionaryAttr attrs = func.getResultAttrDict(i))
      if (auto check = attrs.getAs<StringAttr>("ingot.check")) {
        auto checkType = dyn_cast<RankedTensorType>(resultType);
        if (!checkType || checkType.getRank() != 0 ||
            !isa<IntegerType>(checkType.getElementType()))
          return func.emitOpError("result #")
                 << i << " is a check (ingot.check) of type " << resultType
                 << "; checks must be rank-0 integer tensors";
        param.checkMessage = check.str();
      }
    out.outputs.push_back(std::move(param));
  }
  return success();
}

LogicalResult FunctionPlanner::planDispatch(exec::DispatchOp dispatch) {
  CommandPlan command;
  command.kind = schema::Command::Dispatch;
  auto kernel = state.kernelIndex.find(dispatch.getKernel());
  if (kernel == state.kernelIndex.end())
    return dispatch.emitOpError("dispatches an unknown kernel");
  command.kernel = kernel->second;
  for (Value operand : dispatch.getArguments()) {
    FailureOr<uint32_t> buffer = bufferOf(operand, dispatch);
    if (failed(buffer))
      return failure();
    recordUse(*buffer);
    command.bindings.push_back(*buffer);
  }
  unsigned commandIndex = out.commands.size();
  for (OpResult result : dispatch->getResults()) {
    FailureOr<TensorTypePlan> type =
        convertTensorType(result.getType(), dispatch.getLoc(),
                          "result #" + Twine(result.getResultNumber()) +
                              " of kernel '" + dispatch.getKernel() + "'");
    if (failed(type))
      return failure();
    uint64_t size = *tensorByteSize(*type);
    uint32_t buffer;
    auto claimed = claimedOutputs.find(result);
    if (claimed != claimedOutputs.end()) {
      buffer = addBuffer(BufferKind::Output, claimed->second, size);
    } else {
      buffer = addBuffer(BufferKind::Transient, 0, size);
      transients[buffer] = {commandIndex, commandIndex, size};
      transientOrder.push_back(buffer);
    }
    buffers[result] = buffer;
    command.bindings.push_back(buffer);
  }
  out.commands.push_back(std::move(command));
  return success();
}

LogicalResult FunctionPlanner::planReturn(func::ReturnOp ret) {
  for (auto [i, operand] : llvm::enumerate(ret.getOperands())) {
    auto claimed = claimedOutputs.find(rootOf(operand));
    if (claimed != claimedOutputs.end() && claimed->second == i)
      continue;
    // Not the output buffer itself: a fresh output filled by a copy.
    FailureOr<uint32_t> source = bufferOf(operand, ret);
    if (failed(source))
      return failure();
    uint64_t size = *tensorByteSize(out.outputs[i].type);
    if (out.buffers[*source].size != size)
      return ret.emitOpError("returns ")
             << out.buffers[*source].size << " bytes as output #" << i << " of "
             << size << " bytes";
    recordUse(*source);
    CommandPlan copy;
    copy.kind = schema::Command::Copy;
    copy.source = *source;
    copy.target = addBuffer(BufferKind::Output, i, size);
    copy.size = size;
    out.commands.push_back(std::move(copy));
  }
  return success();
}

LogicalResult FunctionPlanner::run() {
  out.name = func.getSymName().str();
  // Size variants: the signature only; the variants hold the programs.
  if (func.isExternal())
    return failure(failed(planInputs(/*addBuffers=*/false)) ||
                   failed(planBatch()));
  if (!func.getBody().hasOneBlock())
    return func.emitOpError("has control flow, which the host program cannot "
                            "express");
  Block &block = func.getBody().front();
  auto ret = block.empty() ? nullptr : dyn_cast<func::ReturnOp>(block.back());
  if (!ret)
    return func.emitOpError("does not end in func.return");
  if (failed(planInputs(/*addBuffers=*/true)) || failed(planBatch()))
    return failure();
  if (ret.getNumOperands() != out.outputs.size())
    return ret.emitOpError("returns ")
           << ret.getNumOperands() << " values but the function has "
           << out.outputs.size() << " results";

  // Dispatch results returned (through views) become output buffers; each
  // only for the first result that returns it.
  for (auto [i, operand] : llvm::enumerate(ret.getOperands())) {
    Value root = rootOf(operand);
    auto result = dyn_cast<OpResult>(root);
    if (!result || !isa<exec::DispatchOp>(result.getOwner()) ||
        claimedOutputs.count(root))
      continue;
    // Views keep the element count; a mismatch means no direct output.
    auto rootType = dyn_cast<RankedTensorType>(root.getType());
    auto outType = dyn_cast<RankedTensorType>(operand.getType());
    if (!rootType || !outType || !rootType.hasStaticShape() ||
        !outType.hasStaticShape() ||
        rootType.getNumElements() != outType.getNumElements() ||
        rootType.getElementType() != outType.getElementType())
      continue;
    claimedOutputs[root] = i;
  }

  for (Operation &op : block.without_terminator()) {
    if (auto dispatch = dyn_cast<exec::DispatchOp>(op)) {
      if (failed(planDispatch(dispatch)))
        return failure();
      continue;
    }
    if (isa<arith::ConstantOp>(op) || isView(&op))
      continue; // Buffers are assigned at use.
    return op.emitOpError("cannot be run by the host program");
  }
  if (failed(planReturn(ret)))
    return failure();

  SmallVector<TransientLifetime> lifetimes;
  for (uint32_t buffer : transientOrder)
    lifetimes.push_back(transients[buffer]);
  std::vector<uint64_t> offsets = planArena(lifetimes, out.arenaSize);
  for (auto [buffer, offset] : llvm::zip_equal(transientOrder, offsets))
    out.buffers[buffer].offset = offset;
  return success();
}

LogicalResult planFunction(func::FuncOp func, ModuleState &state,
                           FunctionPlan &out) {
  return FunctionPlanner(func, state, out).run();
}

} // namespace mlir::ingot::detail
