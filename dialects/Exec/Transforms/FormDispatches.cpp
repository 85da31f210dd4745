//===- FormDispatches.cpp - outline compute into exec.dispatch --*- C++ -*-===//
//
// Dispatch formation: partitions the compute ops of each host function into
// groups (a root plus fused elementwise consumers) and outlines every group
// into an exec.executable called through exec.dispatch.
//
//===----------------------------------------------------------------------===//
#include "dialects/Exec/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "ingot-exec-form-dispatches"

namespace mlir::ingot::exec {
#define GEN_PASS_DEF_FORMDISPATCHESPASS
#include "dialects/Exec/Transforms/Passes.h.inc"
} // namespace mlir::ingot::exec

using namespace mlir;
using namespace mlir::ingot::exec;

namespace {

/// Constants up to this many bytes are cloned into kernels instead of being
/// passed as operands.
constexpr int64_t kMaxClonedConstantBytes = 64;

/// Returns true for ops that stay on the host as views of their operand.
bool isHostView(Operation *op) {
  return isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(op);
}

/// Returns true for ops that are cheap to duplicate into every kernel that
/// uses them instead of becoming a kernel operand.
bool isCloneable(Operation *op) {
  if (isa<tensor::EmptyOp>(op))
    return true;
  if (auto cst = dyn_cast<arith::ConstantOp>(op)) {
    auto type = dyn_cast<ShapedType>(cst.getType());
    if (!type)
      return true; // Scalars.
    return type.hasStaticShape() &&
           type.getNumElements() * type.getElementTypeBitWidth() / 8 <=
               kMaxClonedConstantBytes;
  }
  // Fills, and generics that only broadcast a scalar into their init (what
  // elementwise fusion makes of fills), recompute cheaply in every kernel.
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  bool isFillLike = isa_and_nonnull<linalg::FillOp>(op);
  if (auto generic = dyn_cast_or_null<linalg::GenericOp>(op)) {
    auto yield = cast<linalg::YieldOp>(generic.getBody()->getTerminator());
    isFillLike = generic.getNumDpsInputs() == 0 &&
                 llvm::all_of(yield.getOperands(), [&](Value v) {
                   return v.getParentRegion() != &generic.getRegion();
                 });
  }
  if (linalgOp && isFillLike && linalgOp.hasPureTensorSemantics()) {
    bool cloneable = true;
    op->walk([&](Operation *nested) {
      for (Value v : nested->getOperands()) {
        if (op->isAncestor(v.getParentRegion()->getParentOp()))
          continue;
        Operation *def = v.getDefiningOp();
        cloneable &= def && isCloneable(def);
      }
    });
    return cloneable;
  }
  return false;
}

/// Returns true for compute ops that run in a kernel.
bool isDispatchable(Operation *op) {
  if (isCloneable(op) || isHostView(op))
    return false;
  if (isa<linalg::LinalgOp>(op))
    return true;
  if (isa<tensor::TensorDialect>(op->getDialect()))
    return llvm::any_of(op->getResultTypes(),
                        [](Type t) { return isa<RankedTensorType>(t); });
  return false;
}

/// Returns true if `op` is an all-parallel elementwise linalg op that writes
/// its outputs with identity maps: it can be fused into the group that
/// produces one of its same-shaped inputs.
bool isFusableConsumer(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || !linalgOp.hasPureTensorSemantics())
    return false;
  if (linalgOp.getNumLoops() != linalgOp.getNumParallelLoops())
    return false;
  for (OpOperand &init : linalgOp.getDpsInitsMutable())
    if (!linalgOp.getMatchingIndexingMap(&init).isIdentity())
      return false;
  return isa<linalg::GenericOp>(op);
}

/// One group of ops that becomes one kernel.
struct DispatchGroup {
  SmallVector<Operation *> ops;
};

/// Builds a short, readable name for the kernel of `group`.
std::string kernelName(func::FuncOp func, unsigned index,
                       const DispatchGroup &group) {
  Operation *root = group.ops.front();
  // Prefer the first named (non-generic) op, e.g. "matmul".
  for (Operation *op : group.ops)
    if (!isa<linalg::GenericOp>(op)) {
      root = op;
      break;
    }
  std::string opName = root->getName().stripDialect().str();
  for (char &c : opName)
    if (!isalnum(static_cast<unsigned char>(c)))
      c = '_';
  return (func.getSymName() + "_dispatch_" + Twine(index) + "_" + opName).str();
}

struct FormDispatchesPass
    : public mlir::ingot::exec::impl::FormDispatchesPassBase<
          FormDispatchesPass> {
  void runOnOperation() override;

  LogicalResult formInFunction(func::FuncOp func, unsigned &counter);
  void outlineGroup(func::FuncOp func, const DispatchGroup &group,
                    StringRef name);
};

LogicalResult FormDispatchesPass::formInFunction(func::FuncOp func,
                                                 unsigned &counter) {
  if (func.isExternal())
    return success();
  // Dynamic dims need shape computations on the host, which the host program
  // cannot express yet: say so in terms of the model's inputs and outputs.
  FunctionType type = func.getFunctionType();
  auto checkStatic = [&](Type t, StringRef kind, unsigned index,
                         DictionaryAttr attrs) -> LogicalResult {
    auto shaped = dyn_cast<ShapedType>(t);
    if (!shaped || shaped.hasStaticShape())
      return success();
    std::string name;
    if (attrs)
      if (auto n = attrs.getAs<StringAttr>("ingot.name"))
        name = (" '" + n.getValue() + "'").str();
    return func.emitOpError("dynamic shapes are not supported yet: ")
           << kind << " " << index << name << " has type " << t
           << "; export the model with static shapes";
  };
  for (unsigned i = 0; i < type.getNumInputs(); ++i)
    if (failed(
            checkStatic(type.getInput(i), "input", i, func.getArgAttrDict(i))))
      return failure();
  for (unsigned i = 0; i < type.getNumResults(); ++i)
    if (failed(checkStatic(type.getResult(i), "output", i,
                           func.getResultAttrDict(i))))
      return failure();
  // 1. Assign ops to groups in program order.
  SmallVector<DispatchGroup> groups;
  DenseMap<Operation *, unsigned> groupOf;
  for (Operation &op : func.getBody().getOps()) {
    if (!isDispatchable(&op))
      continue;
    std::optional<unsigned> fuseInto;
    if (isFusableConsumer(&op)) {
      auto linalgOp = cast<linalg::LinalgOp>(&op);
      auto resultType = cast<ShapedType>(op.getResult(0).getType());
      for (OpOperand *input : linalgOp.getDpsInputOperands()) {
        Operation *producer = input->get().getDefiningOp();
        if (!producer || !groupOf.count(producer))
          continue;
        if (!input->get().hasOneUse())
          continue;
        if (cast<ShapedType>(input->get().getType()).getShape() !=
            resultType.getShape())
          continue;
        if (!linalgOp.getMatchingIndexingMap(input).isIdentity())
          continue;
        // The producer must be the last op of its group so far: fusing
        // keeps groups contiguous chains.
        unsigned g = groupOf[producer];
        if (groups[g].ops.back() != producer)
          continue;
        fuseInto = g;
        break;
      }
    }
    if (fuseInto) {
      groups[*fuseInto].ops.push_back(&op);
      groupOf[&op] = *fuseInto;
    } else {
      groupOf[&op] = groups.size();
      groups.push_back(DispatchGroup{{&op}});
    }
  }

  // 2. Outline each group.
  for (const DispatchGroup &group : groups)
    outlineGroup(func, group, kernelName(func, counter++, group));

  // 3. Every op left on the host must be something the host program can run.
  WalkResult result = func.walk([&](Operation *op) {
    if (op == func || isa<func::ReturnOp, DispatchOp, arith::ConstantOp>(op) ||
        isHostView(op) || isCloneable(op))
      return WalkResult::advance();
    op->emitOpError("cannot be placed in a dispatch or run by the host");
    return WalkResult::interrupt();
  });
  return failure(result.wasInterrupted());
}

void FormDispatchesPass::outlineGroup(func::FuncOp func,
                                      const DispatchGroup &group,
                                      StringRef name) {
  llvm::SmallPtrSet<Operation *, 8> inGroup(group.ops.begin(), group.ops.end());
  // Values the group reads from outside: cloneable producers are copied in
  // (transitively), everything else becomes a kernel argument.
  llvm::SetVector<Value> arguments;
  llvm::SetVector<Operation *> clones;
  std::function<void(Value)> capture;
  // Visits the values `op` (and the ops in its regions) reads from outside.
  auto captureOperandsOf = [&](Operation *op) {
    op->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands())
        if (!op->isAncestor(operand.getParentRegion()->getParentOp()))
          capture(operand);
    });
  };
  capture = [&](Value v) {
    Operation *def = v.getDefiningOp();
    if (def && inGroup.contains(def))
      return;
    if (def && isCloneable(def)) {
      captureOperandsOf(def);
      clones.insert(def);
      return;
    }
    arguments.insert(v);
  };
  for (Operation *op : group.ops)
    captureOperandsOf(op);
  // Results used outside the group become kernel results.
  SmallVector<Value> results;
  for (Operation *op : group.ops)
    for (Value result : op->getResults())
      if (llvm::any_of(result.getUsers(), [&](Operation *user) {
            return !inGroup.contains(user);
          }))
        results.push_back(result);

  // Build the executable with its kernel before the host function.
  MLIRContext *ctx = func.getContext();
  OpBuilder builder(func);
  Location loc = group.ops.back()->getLoc();
  auto executable = builder.create<ExecutableOp>(loc, name);
  builder.setInsertionPointToStart(&executable.getBody().front());
  auto module = builder.create<ModuleOp>(loc);
  builder.setInsertionPointToStart(module.getBody());
  SmallVector<Type> argTypes, resultTypes;
  for (Value v : arguments)
    argTypes.push_back(v.getType());
  for (Value v : results)
    resultTypes.push_back(v.getType());
  auto kernel = builder.create<func::FuncOp>(
      loc, name, FunctionType::get(ctx, argTypes, resultTypes));
  Block *entry = kernel.addEntryBlock();
  builder.setInsertionPointToStart(entry);
  IRMapping mapping;
  for (auto [v, arg] : llvm::zip(arguments, entry->getArguments()))
    mapping.map(v, arg);
  // Clones first, in their host order (SetVector insertion order follows
  // the capture recursion: operands before users).
  for (Operation *op : clones)
    builder.clone(*op, mapping);
  for (Operation *op : group.ops)
    builder.clone(*op, mapping);
  SmallVector<Value> mappedResults;
  for (Value v : results)
    mappedResults.push_back(mapping.lookup(v));
  builder.create<func::ReturnOp>(loc, mappedResults);

  // Replace the group with a dispatch at the position of its last op.
  builder.setInsertionPoint(group.ops.back());
  auto dispatch = builder.create<DispatchOp>(loc, resultTypes,
                                             FlatSymbolRefAttr::get(ctx, name),
                                             arguments.getArrayRef());
  for (auto [v, replacement] : llvm::zip(results, dispatch.getResults()))
    v.replaceAllUsesWith(replacement);
  for (Operation *op : llvm::reverse(group.ops))
    op->erase();
  // Cloneable producers that no longer have users on the host go away.
  for (Operation *op : llvm::reverse(clones))
    if (op->use_empty())
      op->erase();
}

void FormDispatchesPass::runOnOperation() {
  ModuleOp module = getOperation();
  unsigned counter = 0;
  SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
  for (func::FuncOp func : funcs)
    if (failed(formInFunction(func, counter)))
      return signalPassFailure();
}

} // namespace
