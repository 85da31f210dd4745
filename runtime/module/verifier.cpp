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

namespace ingot::runtime {

namespace {

using namespace ingot::schema;

/// Largest number of workgroups one dispatch may have.
constexpr uint64_t kMaxWorkgroupCount = uint64_t(1) << 32;
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
  ingot_status_t verifyTensorType(const TensorType *type,
                                  const std::string &what, bool requireStatic);
  ingot_status_t verifyConstants();
  ingot_status_t verifyExecutables();
  ingot_status_t verifySpirv(const Executable *executable,
                             const std::string &what);
  ingot_status_t verifyFunction(const Function *function);
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
                                                bool requireStatic) {
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
    dynamic |= dim == -1;
  }
  if (dynamic && requireStatic)
    return error(INGOT_STATUS_UNIMPLEMENTED,
                 what + " has a dynamic dim; it needs a static shape");
  uint64_t bytes;
  if (!dynamic && !staticByteSize(type, bytes))
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
    INGOT_RETURN_IF_ERROR(verifyTensorType(constant->type(), what, true));
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
      if (!staticByteSize(function->inputs()->Get(index)->type(), limit))
        continue; // Dynamic input: checked against the tensor at invoke.
      break;
    }
    case BufferKind::Output:
      if (index >= outputCount)
        return invalid(formatString("%s refers to output %u but the function "
                                    "has %u outputs",
                                    bufferWhat.c_str(), index, outputCount));
      staticByteSize(function->outputs()->Get(index)->type(), limit);
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
  for (int outputs = 0; outputs < 2; ++outputs) {
    const auto *params = outputs ? function->outputs() : function->inputs();
    for (uint32_t i = 0; params && i < params->size(); ++i) {
      const Parameter *param = params->Get(i);
      std::string paramWhat = formatString("%s %s %u %s", what.c_str(),
                                           outputs ? "output" : "input", i,
                                           quoted(param->name()).c_str());
      INGOT_RETURN_IF_ERROR(
          verifyTensorType(param->type(), paramWhat, outputs != 0));
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
  INGOT_RETURN_IF_ERROR(verifyBuffers(function, what));
  return verifyCommands(function, what);
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
  return nullptr;
}

} // namespace

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
