//===- ModulePlan.h - Module writer's plan of a file ------------*- C++ -*-===//
//
// Internal to the module writer. Writing happens in two steps: the MLIR module
// is first translated to a ModulePlan (plain structs mirroring the schema, with
// segment offsets relative to the end of the FlatBuffer), then the plan is
// serialized. Splitting them lets the writer build the FlatBuffer twice (to
// learn its size, then with the real segment offsets) without touching the IR.
//
//===----------------------------------------------------------------------===//

#ifndef INGOT_COMPILER_MODULEWRITER_MODULEPLAN_H
#define INGOT_COMPILER_MODULEWRITER_MODULEPLAN_H

// The generated header has a `default:` in a switch covering its enum.
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wcovered-switch-default"
#endif
#include "runtime/schema/module_generated.h"
#if defined(__clang__)
#pragma clang diagnostic pop
#endif

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace mlir::ingot::detail {

/// The runtime's schema (flatc namespace `ingot.schema`).
namespace schema = ::ingot::schema;

/// Alignment of data segments in the file and of transient buffers in the
/// arena, in bytes.
constexpr uint64_t kAlignment = 64;

/// The format version this writer produces for modules without size
/// variants or check outputs (readable by every runtime).
constexpr uint32_t kModuleVersion = 1;
/// The format version of modules with size variants (Function.variants) or
/// check outputs (`Parameter.check_message`): older runtimes refuse them
/// instead of running an empty listing function or skipping the checks.
constexpr uint32_t kModuleVersion2 = 2;

/// Largest tensor rank the runtime accepts (INGOT_MAX_RANK).
constexpr int64_t kMaxRank = 16;

/// Bytes of one data segment: `bytes` written `repeat` times (splats are
/// stored as their element repeated).
struct SegmentPlan {
  StringRef bytes;
  uint64_t repeat = 1;
  /// Offset from the first byte after the padded FlatBuffer; 64-aligned.
  uint64_t offset = 0;

  uint64_t size() const { return bytes.size() * repeat; }
};

/// A schema TensorType.
struct TensorTypePlan {
  schema::ElementType elementType = schema::ElementType::f32;
  SmallVector<int64_t> dims;
};

/// A schema Parameter.
struct ParameterPlan {
  std::string name;
  /// The type in one tile (for batched parameters) or overall.
  TensorTypePlan type;
  /// Dim 0 is the dynamic batch (written as -1).
  bool batched = false;
  /// Outputs only: the message of a check output (the `ingot.check` result
  /// attribute), absent for ordinary outputs.
  std::optional<std::string> checkMessage;
};

/// A schema Buffer.
struct BufferPlan {
  schema::BufferKind kind = schema::BufferKind::Input;
  uint32_t index = 0;
  uint64_t offset = 0;
  uint64_t size = 0;
};

/// A schema Command: a Dispatch or a Copy.
struct CommandPlan {
  schema::Command kind = schema::Command::Dispatch;
  /// Dispatch: kernel index and buffer bindings (inputs, then outputs).
  uint32_t kernel = 0;
  SmallVector<uint32_t> bindings;
  /// Copy: source and target buffers and byte count.
  uint32_t source = 0;
  uint32_t target = 0;
  uint64_t size = 0;
};

/// A schema Function.
struct FunctionPlan {
  std::string name;
  std::vector<ParameterPlan> inputs;
  std::vector<ParameterPlan> outputs;
  std::vector<BufferPlan> buffers;
  std::vector<CommandPlan> commands;
  uint64_t arenaSize = 0;
  /// Rows per tile of a dynamic batch, or 0.
  uint32_t batchTile = 0;
  /// Size variants: indices in ModulePlan::functions (empty for none).
  std::vector<uint32_t> variants;
};

/// A schema EntryPoint.
struct EntryPointPlan {
  std::string symbol;
  SmallVector<uint32_t, 3> workgroupCount;
  SmallVector<uint32_t, 3> workgroupSize;
};

/// A schema Executable; its data is segment `segment`.
/// A schema SpirvTarget: what a Vulkan device must support.
struct SpirvTargetPlan {
  std::string name;
  uint32_t spirvVersion = 0;
  uint32_t vulkanVersion = 0;
  std::vector<std::string> capabilities;
  std::vector<std::string> extensions;
  uint32_t maxWorkgroupInvocations = 0;
};

struct ExecutablePlan {
  schema::ExecutableFormat format = schema::ExecutableFormat::CpuElf;
  std::string target;
  /// SpirV only: the target environment.
  std::optional<SpirvTargetPlan> spirvTarget;
  std::vector<EntryPointPlan> entryPoints;
  unsigned segment = 0;
};

/// A schema Constant; its data is segment `segment`.
struct ConstantPlan {
  std::string name;
  TensorTypePlan type;
  unsigned segment = 0;
};

/// Everything that goes into the file.
struct ModulePlan {
  std::string name;
  std::string producer;
  std::vector<FunctionPlan> functions;
  std::vector<std::string> kernels;
  std::vector<ExecutablePlan> executables;
  std::vector<ConstantPlan> constants;
  /// Data after the FlatBuffer, in file order.
  std::vector<SegmentPlan> segments;
  /// Storage for segment bytes that are not in the IR (expanded i1 data).
  std::deque<std::vector<char>> ownedBytes;
};

/// Module-wide state shared by the function planner: the kernel table and
/// the constants interned so far.
struct ModuleState {
  explicit ModuleState(ModulePlan &plan) : plan(plan) {}

  /// Returns the module Constant for `op`, adding it (and its data segment)
  /// on first use. Identical attribute values share one Constant.
  FailureOr<uint32_t> internConstant(arith::ConstantOp op);

  ModulePlan &plan;
  /// Index in plan.kernels of every dispatched kernel.
  llvm::StringMap<uint32_t> kernelIndex;
  /// Constant index by attribute value.
  llvm::DenseMap<Attribute, uint32_t> constantIndex;
};

/// Converts `type` to a schema TensorType. On failure emits an error at
/// `loc` about `what` (e.g. "input #0 'x'"). Requires a static shape unless
/// `allowDynamic` (dynamic dims become -1).
FailureOr<TensorTypePlan> convertTensorType(Type type, Location loc,
                                            const Twine &what,
                                            bool allowDynamic = false);

/// Bytes of one element of `type` in the file (i1 takes one byte).
uint64_t elementByteSize(schema::ElementType type);

/// Bytes of a static tensor of `type`, or nullopt if that overflows.
std::optional<uint64_t> tensorByteSize(const TensorTypePlan &type);

/// Translates `func` (a public function with a body) to its host program;
/// a declaration with size variants (`ingot.variants`) to its signature
/// only, with -1 in its dynamic dims.
LogicalResult planFunction(func::FuncOp func, ModuleState &state,
                           FunctionPlan &out);

/// One transient buffer to place in the arena: live from command `start` to
/// command `end` (inclusive), `size` bytes.
struct TransientLifetime {
  unsigned start = 0;
  unsigned end = 0;
  uint64_t size = 0;
};

/// Places `transients` (sorted by `start`) in an arena, first fit by offset,
/// reusing the space of buffers dead before a buffer's start. Returns the
/// 64-aligned offsets (one per transient) and sets `arenaSize`.
std::vector<uint64_t> planArena(ArrayRef<TransientLifetime> transients,
                                uint64_t &arenaSize);

} // namespace mlir::ingot::detail

#endif // INGOT_COMPILER_MODULEWRITER_MODULEPLAN_H
