//===- verifier.cpp - Complete verification of module files -----*- C++ -*-===//
//
// Checks a module file before anything else reads it: the FlatBuffer
// structure (flatbuffers::Verifier), the identifier and version, and then
// every offset, index and size the host program interpreter and the devices
// use, so that no later code needs a bounds check.
//
//===----------------------------------------------------------------------===//

#include "runtime/module/module.h"

#include <cstring>
#include <set>
#include <vector>

namespace ingot::runtime {

namespace {

using namespace ingot::schema;

/// Largest number of workgroups one dispatch may have.
constexpr uint64_t kMaxWorkgroupCount = uint64_t(1) << 32;
/// Largest batch tile (rows per run of a batched function).
constexpr uint32_t kMaxBatchTile = 1u << 20;
/// Largest number of bindings of one dispatch.
constexpr uint32_t kMaxBindings = 4096;
/// First word of every SPIR-V module (little-endian words).
constexpr uint32_t kSpirvMagic = 0x07230203;

/// Quotes `name` for messages, or describes the unnamed object.
std::string quoted(const flatbuffers::String *name) {
  if (!name || name->size() == 0)
    return "<unnamed>";
  return "'" + name->str() + "'";
}

/// Returns true if the elements of `vector` (may be NULL) are 8-byte
/// aligned. flatbuffers::Verifier only checks the 4-byte length prefix, and
/// the runtime reads int64 vectors in place.
bool isAligned(const flatbuffers::Vector<int64_t> *vector) {
  // FlatBuffers does not align empty vectors (rank-0 dims): nothing is read.
  return !vector || vector->size() == 0 ||
         reinterpret_cast<uintptr_t>(vector->data()) % alignof(int64_t) == 0;
}

/// Renders four identifier bytes printable.
std::string escapeIdentifier(const uint8_t *bytes) {
  std::string result;
  for (int i = 0; i < 4; ++i) {
    uint8_t c = bytes[i];
    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'')
      result += static_cast<char>(c);
    else
      result += formatString("\\x%02x", c);
  }
  return result;
}

class ModuleVerifier {
public:
  ModuleVerifier(const uint8_t *data, size_t size, const std::string &name)
      : data_(data), size_(size), name_(name) {}

  ingot_status_t verify();

private:
  ingot_status_t error(ingot_status_code_t code, const std::string &message) {
    return makeStatusString(code, name_ + ": " + message);
  }
  ingot_status_t invalid(const std::string &message) {
    return error(INGOT_STATUS_INVALID_ARGUMENT, message);
  }

  ingot_status_t verifySegment(const Segment *segment, const std::string &what);
  /// Which dims of a tensor type may be dynamic (-1).
  enum class DynamicDims { None, Any, BatchOnly };
  ingot_status_t verifyTensorType(const TensorType *type,
                                  const std::string &what, DynamicDims allowed);
  ingot_status_t verifyConstants();
  ingot_status_t verifyExecutables();
  ingot_status_t verifySpirv(const Executable *executable,
                             const std::string &what);
  ingot_status_t verifyFunction(const Function *function);
  /// Checks the size variants of function `index` (after every function's
  /// own checks); `owner` records which function lists each variant.
  ingot_status_t verifyVariants(uint32_t index, std::vector<int64_t> &owner);
  ingot_status_t verifyBuffers(const Function *function,
                               const std::string &what);
  ingot_status_t verifyCommands(const Function *function,
                                const std::string &what);

  const uint8_t *data_;
  size_t size_;
  const std::string &name_;
  const Module *module_ = nullptr;
  uint32_t kernelCount_ = 0;
  std::vector<uint64_t> constantSizes_;
};

ingot_status_t ModuleVerifier::verifySegment(const Segment *segment,
                                             const std::string &what) {
  if (!segment)
    return invalid(what + " has no data segment");
  uint64_t end;
  if (!checkedAdd(segment->offset(), segment->size(), end))
    return error(INGOT_STATUS_DATA_LOSS,
                 formatString("corrupted: %s segment (offset %llu, size %llu) "
                              "overflows",
                              what.c_str(),
                              (unsigned long long)segment->offset(),
                              (unsigned long long)segment->size()));
  if (segment->offset() % kSegmentAlignment != 0)
    return error(INGOT_STATUS_DATA_LOSS,
                 formatString("corrupted: %s segment offset %llu is not a "
                              "multiple of %llu",
                              what.c_str(),
                              (unsigned long long)segment->offset(),
                              (unsigned long long)kSegmentAlignment));
  if (end > size_)
    return error(INGOT_STATUS_DATA_LOSS,
                 formatString("truncated: file is %zu bytes but %s segment "
                              "ends at %llu",
                              size_, what.c_str(), (unsigned long long)end));
  return nullptr;
}

ingot_status_t ModuleVerifier::verifyTensorType(const TensorType *type,
                                                const std::string &what,
                                                DynamicDims allowed) {
  if (!type)
    return invalid(what + " has no type");
  if (!isValidElementType(static_cast<uint32_t>(type->element_type())))
    return invalid(formatString("%s has invalid element type %u", what.c_str(),
                                unsigned(type->element_type())));
  const auto *dims = type->dims();
  if (!isAligned(dims))
    return error(INGOT_STATUS_DATA_LOSS,
                 "corrupted: the dims of " + what + " are misaligned");
  size_t rank = dims ? dims->size() : 0;
  if (rank > INGOT_MAX_RANK)
    return invalid(formatString("%s has rank %zu (the maximum is %d)",
                                what.c_str(), rank, INGOT_MAX_RANK));
  bool dynamic = false;
  for (size_t i = 0; i < rank; ++i) {
    int64_t dim = dims->Get(i);
    if (dim < -1)
      return invalid(formatString("%s has invalid dim %lld at index %zu",
                                  what.c_str(), (long long)dim, i));
    if (dim == -1 && i > 0 && allowed == DynamicDims::BatchOnly)
      return error(INGOT_STATUS_UNIMPLEMENTED,
                   formatString("%s has dynamic dim %zu; in a function with "
                                "a batch tile only dim 0 may be dynamic",
                                what.c_str(), i));
    dynamic |= dim == -1;
  }
  if (dynamic && allowed == DynamicDims::None)
    return error(INGOT_STATUS_UNIMPLEMENTED,
                 what + " has a dynamic dim; it needs a static shape");
  uint64_t bytes;
  bool sized = allowed == DynamicDims::BatchOnly
                   ? tileByteSize(type, kMaxBatchTile, bytes)
                   : dynamic || staticByteSize(type, bytes);
  if (!sized)
    return invalid(what + " is too large (its byte size overflows)");
  return nullptr;
}

ingot_status_t ModuleVerifier::verifyConstants() {
  const auto *constants = module_->constants();
  if (!constants)
    return nullptr;
  for (uint32_t i = 0; i < constants->size(); ++i) {
    const Constant *constant = constants->Get(i);
    std::string what =
        formatString("constant %u %s", i, quoted(constant->name()).c_str());
    INGOT_RETURN_IF_ERROR(
        verifyTensorType(constant->type(), what, DynamicDims::None));
    INGOT_RETURN_IF_ERROR(verifySegment(constant->data(), what));
    uint64_t bytes = 0;
    staticByteSize(constant->type(), bytes);
    if (constant->data()->size() != bytes)
      return invalid(formatString(
          "%s of type %s needs %llu bytes but its segment has %llu",
          what.c_str(),
          formatTensorType(
              static_cast<ingot_element_type_t>(
                  constant->type()->element_type()),
              constant->type()->dims() ? constant->type()->dims()->data()
                                       : nullptr,
              constant->type()->dims() ? constant->type()->dims()->size() : 0)
              .c_str(),
          (unsigned long long)bytes,
          (unsigned long long)constant->data()->size()));
    constantSizes_.push_back(bytes);
  }
  return nullptr;
}

ingot_status_t ModuleVerifier::verifySpirv(const Executable *executable,
                                           const std::string &what) {
  if (!executable->spirv_target())
    return invalid(what + " has no spirv_target (the SPIR-V target "
                          "environment is required)");
  uint64_t size = executable->data()->size();
  if (size % 4 != 0)
    return invalid(formatString("%s is %llu bytes, not a whole number of "
                                "32-bit SPIR-V words",
                                what.c_str(), (unsigned long long)size));
  uint32_t magic;
  std::memcpy(&magic, data_ + executable->data()->offset(), sizeof(magic));
  if (magic != kSpirvMagic)
    return invalid(formatString("%s does not start with the SPIR-V magic "
                                "number 0x%08x (found 0x%08x)",
                                what.c_str(), kSpirvMagic, magic));
  return nullptr;
}

ingot_status_t ModuleVerifier::verifyExecutables() {
  const auto *executables = module_->executables();
  if (!executables)
    return nullptr;
  for (uint32_t i = 0; i < executables->size(); ++i) {
    const Executable *executable = executables->Get(i);
    std::string what = formatString("executable %u", i);
    if (executable->format() != ExecutableFormat::CpuElf &&
        executable->format() != ExecutableFormat::SpirV)
      return invalid(formatString("%s has unknown format %u", what.c_str(),
                                  unsigned(executable->format())));
    what +=
        formatString(" (%s)", EnumNameExecutableFormat(executable->format()));
    INGOT_RETURN_IF_ERROR(verifySegment(executable->data(), what));
    if (executable->data()->size() == 0)
      return invalid(what + " is empty");
    if (executable->format() == ExecutableFormat::SpirV)
      INGOT_RETURN_IF_ERROR(verifySpirv(executable, what));
    const auto *entryPoints = executable->entry_points();
    uint32_t count = entryPoints ? entryPoints->size() : 0;
    if (count != kernelCount_)
      return invalid(formatString("%s has %u entry points but the module has "
                                  "%u kernels",
                                  what.c_str(), count, kernelCount_));
    for (uint32_t k = 0; k < count; ++k) {
      const EntryPoint *entry = entryPoints->Get(k);
      std::string entryWhat =
          formatString("%s entry point %u", what.c_str(), k);
      if (entry->symbol()->size() == 0)
        return invalid(entryWhat + " has an empty symbol");
      if (std::strlen(entry->symbol()->c_str()) != entry->symbol()->size())
        return invalid(entryWhat + " symbol contains a NUL byte");
      const auto *grid = entry->workgroup_count();
      if (!grid || grid->size() != 3)
        return invalid(entryWhat + " ('" + entry->symbol()->str() +
                       "') needs a workgroup count [x, y, z]");
      uint64_t total = 1;
      for (uint32_t d = 0; d < 3; ++d) {
        if (grid->Get(d) == 0)
          return invalid(entryWhat + " ('" + entry->symbol()->str() +
                         "') has a zero workgroup count");
        total *= grid->Get(d);
        if (total > kMaxWorkgroupCount)
          return invalid(formatString("%s ('%s') has more than %llu workgroups",
                                      entryWhat.c_str(),
                                      entry->symbol()->c_str(),
                                      (unsigned long long)kMaxWorkgroupCount));
      }
      const auto *local = entry->workgroup_size();
      if (local) {
        if (local->size() != 3)
          return invalid(entryWhat + " workgroup size must be [x, y, z]");
        for (uint32_t d = 0; d < 3; ++d)
          if (local->Get(d) == 0)
            return invalid(entryWhat + " has a zero workgroup size");
      }
    }
  }
  return nullptr;
}

ingot_status_t ModuleVerifier::verifyBuffers(const Function *function,
                                             const std::string &what) {
  const auto *buffers = function->buffers();
  if (!buffers)
    return nullptr;
  uint32_t inputCount = function->inputs() ? function->inputs()->size() : 0;
  uint32_t outputCount = function->outputs() ? function->outputs()->size() : 0;
  for (uint32_t b = 0; b < buffers->size(); ++b) {
    const Buffer *buffer = buffers->Get(b);
    std::string bufferWhat = formatString("%s buffer %u", what.c_str(), b);
    uint32_t index = buffer->index();
    uint64_t limit = 0;
    switch (buffer->kind()) {
    case BufferKind::Input: {
      if (index >= inputCount)
        return invalid(formatString("%s refers to input %u but the function "
                                    "has %u inputs",
                                    bufferWhat.c_str(), index, inputCount));
      // Batched inputs hold one tile; other dynamic inputs are checked
      // against the tensor at invocation.
      if (!tileByteSize(function->inputs()->Get(index)->type(),
                        function->batch_tile(), limit))
        continue;
      break;
    }
    case BufferKind::Output:
      if (index >= outputCount)
        return invalid(formatString("%s refers to output %u but the function "
                                    "has %u outputs",
                                    bufferWhat.c_str(), index, outputCount));
      tileByteSize(function->outputs()->Get(index)->type(),
                   function->batch_tile(), limit);
      break;
    case BufferKind::Constant:
      if (index >= constantSizes_.size())
        return invalid(formatString("%s refers to constant %u but the module "
                                    "has %zu constants",
                                    bufferWhat.c_str(), index,
                                    constantSizes_.size()));
      limit = constantSizes_[index];
      break;
    case BufferKind::Transient: {
      uint64_t end;
      if (buffer->offset() % kBufferAlignment != 0)
        return invalid(formatString("%s arena offset %llu is not a multiple "
                                    "of %zu",
                                    bufferWhat.c_str(),
                                    (unsigned long long)buffer->offset(),
                                    kBufferAlignment));
      if (!checkedAdd(buffer->offset(), buffer->size(), end) ||
          end > function->arena_size())
        return invalid(formatString(
            "%s (arena offset %llu, size %llu) ends beyond the arena of %llu "
            "bytes",
            bufferWhat.c_str(), (unsigned long long)buffer->offset(),
            (unsigned long long)buffer->size(),
            (unsigned long long)function->arena_size()));
      continue;
    }
    default:
      return invalid(formatString("%s has unknown kind %u", bufferWhat.c_str(),
                                  unsigned(buffer->kind())));
    }
    if (buffer->size() > limit)
      return invalid(formatString(
          "%s (%s %u) is %llu bytes but its storage "
          "has %llu",
          bufferWhat.c_str(), EnumNameBufferKind(buffer->kind()), index,
          (unsigned long long)buffer->size(), (unsigned long long)limit));
  }
  return nullptr;
}

ingot_status_t ModuleVerifier::verifyCommands(const Function *function,
                                              const std::string &what) {
  const auto *types = function->commands_type();
  const auto *commands = function->commands();
  if (!commands)
    return nullptr;
  const auto *buffers = function->buffers();
  uint32_t bufferCount = buffers ? buffers->size() : 0;
  for (uint32_t c = 0; c < commands->size(); ++c) {
    std::string commandWhat = formatString("%s command %u", what.c_str(), c);
    switch (types->Get(c)) {
    case Command::Dispatch: {
      const auto *dispatch = commands->GetAs<Dispatch>(c);
      if (dispatch->kernel() >= kernelCount_)
        return invalid(formatString("%s dispatches kernel %u but the module "
                                    "has %u kernels",
                                    commandWhat.c_str(), dispatch->kernel(),
                                    kernelCount_));
      if (!isAligned(dispatch->push_constants()))
        return error(INGOT_STATUS_DATA_LOSS,
                     "corrupted: the push constants of " + commandWhat +
                         " are misaligned");
      const auto *bindings = dispatch->bindings();
      if (bindings && bindings->size() > kMaxBindings)
        return invalid(formatString("%s has %u bindings (the maximum is %u)",
                                    commandWhat.c_str(), bindings->size(),
                                    kMaxBindings));
      for (uint32_t i = 0; bindings && i < bindings->size(); ++i)
        if (bindings->Get(i) >= bufferCount)
          return invalid(formatString("%s binding %u refers to buffer %u but "
                                      "the function has %u buffers",
                                      commandWhat.c_str(), i, bindings->Get(i),
                                      bufferCount));
      break;
    }
    case Command::Copy: {
      const auto *copy = commands->GetAs<Copy>(c);
      if (copy->source() >= bufferCount || copy->target() >= bufferCount)
        return invalid(formatString("%s copies buffer %u to buffer %u but the "
                                    "function has %u buffers",
                                    commandWhat.c_str(), copy->source(),
                                    copy->target(), bufferCount));
      const Buffer *source = buffers->Get(copy->source());
      const Buffer *target = buffers->Get(copy->target());
      if (target->kind() == BufferKind::Input ||
          target->kind() == BufferKind::Constant)
        return invalid(formatString("%s writes to read-only buffer %u (%s)",
                                    commandWhat.c_str(), copy->target(),
                                    EnumNameBufferKind(target->kind())));
      if (copy->size() > source->size() || copy->size() > target->size())
        return invalid(
            formatString("%s copies %llu bytes but buffer %u has "
                         "%llu and buffer %u has %llu",
                         commandWhat.c_str(), (unsigned long long)copy->size(),
                         copy->source(), (unsigned long long)source->size(),
                         copy->target(), (unsigned long long)target->size()));
      break;
    }
    default:
      return invalid(formatString("%s has unknown type %u", commandWhat.c_str(),
                                  unsigned(types->Get(c))));
    }
  }
  return nullptr;
}

ingot_status_t ModuleVerifier::verifyFunction(const Function *function) {
  std::string what = "function " + quoted(function->name());
  if (function->name()->size() == 0)
    return invalid("a function has an empty name");
  uint32_t tile = function->batch_tile();
  if (tile > kMaxBatchTile)
    return invalid(formatString("%s has batch tile %u (the maximum is %u)",
                                what.c_str(), tile, kMaxBatchTile));
  bool variants = hasVariants(function);
  if (variants && module_->version() < 2)
    return invalid(formatString("%s has size variants, which need module "
                                "version 2 (the file says %u)",
                                what.c_str(), module_->version()));
  if (variants && function->outputs())
    for (uint32_t i = 0; i < function->outputs()->size(); ++i)
      if (function->outputs()->Get(i)->check_message())
        return invalid(formatString("%s has size variants and check output "
                                    "%u; checks belong to the variants",
                                    what.c_str(), i));
  if (variants && ((function->buffers() && function->buffers()->size()) ||
                   (function->commands() && function->commands()->size()) ||
                   function->arena_size()))
    return invalid(what + " has size variants and a host program; a "
                          "function with variants has no buffers or commands");
  bool batchedInput = false;
  for (int outputs = 0; outputs < 2; ++outputs) {
    const auto *params = outputs ? function->outputs() : function->inputs();
    for (uint32_t i = 0; params && i < params->size(); ++i) {
      const Parameter *param = params->Get(i);
      std::string paramWhat = formatString("%s %s %u %s", what.c_str(),
                                           outputs ? "output" : "input", i,
                                           quoted(param->name()).c_str());
      // Size variants: -1 in any dim (the variants are static there).
      DynamicDims allowed = variants  ? DynamicDims::Any
                            : tile    ? DynamicDims::BatchOnly
                            : outputs ? DynamicDims::None
                                      : DynamicDims::Any;
      INGOT_RETURN_IF_ERROR(
          verifyTensorType(param->type(), paramWhat, allowed));
      batchedInput |= !outputs && isBatchedParameter(param->type(), tile);
      if (!param->check_message())
        continue;
      // Check outputs: rank-0 integers the runtime reads after the run.
      if (!outputs)
        return invalid(paramWhat + " has a check message; only outputs can "
                                   "be checks");
      if (module_->version() < kCheckOutputsVersion)
        return invalid(formatString("%s is a check output, which needs "
                                    "module version %u (the module is "
                                    "version %u)",
                                    paramWhat.c_str(), kCheckOutputsVersion,
                                    module_->version()));
      auto type =
          static_cast<ingot_element_type_t>(param->type()->element_type());
      const auto *dims = param->type()->dims();
      size_t rank = dims ? dims->size() : 0;
      if (isFloatElementType(type) || rank != 0)
        return invalid(formatString(
            "%s is a check output but has type %s (expected a rank-0 "
            "integer)",
            paramWhat.c_str(),
            formatTensorType(type, dims ? dims->data() : nullptr, rank)
                .c_str()));
    }
  }
  if (tile && !batchedInput)
    return invalid(formatString("%s has batch tile %u but no batched input "
                                "(dim 0 = -1) to take the batch size from",
                                what.c_str(), tile));
  INGOT_RETURN_IF_ERROR(verifyBuffers(function, what));
  return verifyCommands(function, what);
}

ingot_status_t ModuleVerifier::verifyVariants(uint32_t index,
                                              std::vector<int64_t> &owner) {
  const auto *functions = module_->functions();
  const Function *function = functions->Get(index);
  if (!hasVariants(function))
    return nullptr;
  std::string what = "function " + quoted(function->name());
  const auto *variants = function->variants();
  for (uint32_t v = 0; v < variants->size(); ++v) {
    uint32_t target = variants->Get(v);
    std::string variantWhat = formatString("%s variant %u", what.c_str(), v);
    if (target >= functions->size())
      return invalid(formatString("%s is function %u but the module has %u "
                                  "functions",
                                  variantWhat.c_str(), target,
                                  functions->size()));
    const Function *variant = functions->Get(target);
    variantWhat += " (" + quoted(variant->name()) + ")";
    if (target == index || hasVariants(variant))
      return invalid(variantWhat + " has size variants itself; variants "
                                   "cannot nest");
    if (owner[target] >= 0)
      return invalid(formatString(
          "%s is also a variant of function %s", variantWhat.c_str(),
          quoted(functions->Get(owner[target])->name()).c_str()));
    owner[target] = index;
    if (variant->batch_tile() != function->batch_tile())
      return invalid(formatString("%s has batch tile %u but the function %u",
                                  variantWhat.c_str(), variant->batch_tile(),
                                  function->batch_tile()));
    for (int outputs = 0; outputs < 2; ++outputs) {
      // Check outputs are each variant's own; the caller-visible outputs
      // must agree.
      auto visible =
          [](const flatbuffers::Vector<flatbuffers::Offset<Parameter>> *list) {
            std::vector<const Parameter *> result;
            for (uint32_t i = 0; list && i < list->size(); ++i)
              if (!list->Get(i)->check_message())
                result.push_back(list->Get(i));
            return result;
          };
      std::vector<const Parameter *> params =
          visible(outputs ? function->outputs() : function->inputs());
      std::vector<const Parameter *> others =
          visible(outputs ? variant->outputs() : variant->inputs());
      const char *kind = outputs ? "output" : "input";
      uint32_t count = params.size();
      if (others.size() != count)
        return invalid(formatString("%s has %zu %ss but the function has %u",
                                    variantWhat.c_str(), others.size(), kind,
                                    count));
      for (uint32_t i = 0; i < count; ++i) {
        const TensorType *type = params[i]->type();
        const TensorType *other = others[i]->type();
        uint32_t rank = type->dims() ? type->dims()->size() : 0;
        if (type->element_type() != other->element_type() ||
            (other->dims() ? other->dims()->size() : 0) != rank)
          return invalid(formatString("%s %s %u has another element type or "
                                      "rank than the function's",
                                      variantWhat.c_str(), kind, i));
        for (uint32_t d = 0; d < rank; ++d) {
          int64_t dim = type->dims()->Get(d), otherDim = other->dims()->Get(d);
          // -1 in the function: the variant is static there, or both are
          // the batch. Elsewhere the dims agree.
          bool batch =
              d == 0 && isBatchedParameter(other, variant->batch_tile());
          // Whether dim 0 is the batch must not differ between variants:
          // the runtime takes the varied dims from the first one.
          if (d == 0 && v > 0 && dim == -1 && !outputs) {
            const Parameter *firstParam =
                functions->Get(variants->Get(0))->inputs()->Get(i);
            if (batch !=
                isBatchedParameter(firstParam->type(), variant->batch_tile()))
              return invalid(formatString(
                  "%s input %u dim 0 is %s but variant 0's is %s",
                  variantWhat.c_str(), i, batch ? "the batch" : "static",
                  batch ? "static" : "the batch"));
          }
          bool ok = dim == -1 ? otherDim >= 0 || batch : otherDim == dim;
          if (!ok && dim == -1)
            return invalid(formatString(
                "%s %s %u dim %u is dynamic; variants are static in the "
                "function's dynamic dims",
                variantWhat.c_str(), kind, i, d));
          if (!ok)
            return invalid(formatString(
                "%s %s %u dim %u is %lld but the function's is %lld",
                variantWhat.c_str(), kind, i, d, (long long)otherDim,
                (long long)dim));
        }
      }
    }
    // Two variants for the same sizes would make the choice ambiguous.
    for (uint32_t w = 0; w < v; ++w) {
      const Function *earlier = functions->Get(variants->Get(w));
      bool same = true;
      for (uint32_t i = 0;
           same && variant->inputs() && i < variant->inputs()->size(); ++i) {
        const auto *a = variant->inputs()->Get(i)->type()->dims();
        const auto *b = earlier->inputs()->Get(i)->type()->dims();
        for (uint32_t d = 0; same && a && d < a->size(); ++d)
          same = a->Get(d) == b->Get(d);
      }
      if (same)
        return invalid(formatString("%s has the same input sizes as variant "
                                    "%u",
                                    variantWhat.c_str(), w));
    }
  }
  return nullptr;
}

ingot_status_t ModuleVerifier::verify() {
  if (size_ < 8)
    return invalid(formatString("not an Ingot module: file is %zu bytes, too "
                                "small for a module header",
                                size_));
  if (!flatbuffers::BufferHasIdentifier(data_, ModuleIdentifier()))
    return invalid(formatString("not an Ingot module (identifier '%s', "
                                "expected '%s')",
                                escapeIdentifier(data_ + 4).c_str(),
                                ModuleIdentifier()));
  size_t verifySize = size_;
  if (verifySize >= FLATBUFFERS_MAX_BUFFER_SIZE)
    verifySize = FLATBUFFERS_MAX_BUFFER_SIZE - 1;
  flatbuffers::Verifier verifier(data_, verifySize, /*max_depth=*/64,
                                 /*max_tables=*/1u << 24);
  if (!VerifyModuleBuffer(verifier))
    return error(INGOT_STATUS_DATA_LOSS,
                 formatString("corrupted or truncated module: the FlatBuffer "
                              "structure is invalid (file is %zu bytes)",
                              size_));
  module_ = GetModule(data_);
  if (module_->version() < kMinModuleVersion ||
      module_->version() > kModuleVersion)
    return error(INGOT_STATUS_UNIMPLEMENTED,
                 formatString("unsupported module version %u (this runtime "
                              "reads %u to %u)",
                              module_->version(), kMinModuleVersion,
                              kModuleVersion));
  kernelCount_ = module_->kernels() ? module_->kernels()->size() : 0;
  INGOT_RETURN_IF_ERROR(verifyConstants());
  INGOT_RETURN_IF_ERROR(verifyExecutables());
  std::set<std::string> names;
  const auto *functions = module_->functions();
  for (uint32_t f = 0; functions && f < functions->size(); ++f) {
    const Function *function = functions->Get(f);
    INGOT_RETURN_IF_ERROR(verifyFunction(function));
    if (!names.insert(function->name()->str()).second)
      return invalid("duplicate function " + quoted(function->name()));
  }
  std::vector<int64_t> owner(functions ? functions->size() : 0, -1);
  for (uint32_t f = 0; functions && f < functions->size(); ++f)
    INGOT_RETURN_IF_ERROR(verifyVariants(f, owner));
  return nullptr;
}

} // namespace

bool isBatchedParameter(const schema::TensorType *type, uint32_t batchTile) {
  const auto *dims = type->dims();
  return batchTile > 0 && dims && dims->size() > 0 && dims->Get(0) == -1;
}

bool tileByteSize(const schema::TensorType *type, uint32_t batchTile,
                  uint64_t &out) {
  if (!isBatchedParameter(type, batchTile))
    return staticByteSize(type, out);
  const auto *dims = type->dims();
  std::vector<int64_t> tileDims(dims->begin(), dims->end());
  tileDims[0] = batchTile;
  uint64_t count;
  if (!elementCount(tileDims.data(), tileDims.size(), count))
    return false;
  return checkedMul(count,
                    ingot_element_type_size(static_cast<ingot_element_type_t>(
                        type->element_type())),
                    out);
}

bool staticByteSize(const schema::TensorType *type, uint64_t &out) {
  const auto *dims = type->dims();
  uint64_t count;
  if (!elementCount(dims ? dims->data() : nullptr, dims ? dims->size() : 0,
                    count))
    return false;
  return checkedMul(count,
                    ingot_element_type_size(static_cast<ingot_element_type_t>(
                        type->element_type())),
                    out);
}

ingot_status_t verifyModule(const uint8_t *data, size_t size,
                            const std::string &name) {
  return ModuleVerifier(data, size, name).verify();
}

} // namespace ingot::runtime
