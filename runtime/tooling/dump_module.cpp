//===- dump_module.cpp - Human-readable dump of a module --------*- C++ -*-===//

#include "runtime/tooling/dump_module.h"

#include "runtime/api/objects.h"

#include <string>
#include <vector>

using namespace ingot::runtime;
namespace schema = ingot::schema;

namespace ingot::tooling {

namespace {

std::string text(const flatbuffers::String *string) {
  return string ? string->str() : std::string();
}

std::string typeText(const schema::TensorType *type) {
  const auto *dims = type->dims();
  return formatTensorType(
      static_cast<ingot_element_type_t>(type->element_type()),
      dims ? dims->data() : nullptr, dims ? dims->size() : 0);
}

std::string parameters(
    const flatbuffers::Vector<flatbuffers::Offset<schema::Parameter>> *params) {
  std::string result;
  for (uint32_t i = 0; params && i < params->size(); ++i) {
    const schema::Parameter *param = params->Get(i);
    if (param->check_message())
      continue; // Listed under "checks".
    result += result.empty() ? "" : ", ";
    if (param->name() && param->name()->size())
      result += param->name()->str() + ": ";
    result += typeText(param->type());
  }
  return result;
}

template <typename T>
std::string list(const flatbuffers::Vector<T> *values, const char *prefix,
                 const char *brackets = "()") {
  std::string result(1, brackets[0]);
  for (uint32_t i = 0; values && i < values->size(); ++i)
    result +=
        (i ? ", " : "") + std::string(prefix) + std::to_string(values->Get(i));
  return result + brackets[1];
}

/// Prints one function; every line starts with `indent`.
void dumpFunction(const schema::Module *module,
                  const schema::Function *function, FILE *out,
                  const std::string &indent = "  ") {
  const char *in = indent.c_str();
  std::fprintf(out, "%s%s(%s) -> (%s)\n", in, function->name()->c_str(),
               parameters(function->inputs()).c_str(),
               parameters(function->outputs()).c_str());
  if (function->batch_tile())
    std::fprintf(out,
                 "%s  batch tile: %u (runs once per %u rows of the "
                 "batch; buffer sizes are per tile)\n",
                 in, function->batch_tile(), function->batch_tile());
  if (hasVariants(function)) {
    // The host programs are the variants'.
    const auto *variants = function->variants();
    std::fprintf(out,
                 "%s  size variants: %u (the one compiled for the input "
                 "sizes runs)\n",
                 in, variants->size());
    for (uint32_t v = 0; v < variants->size(); ++v) {
      std::fprintf(out, "%s    variant %u = function %u:\n", in, v,
                   variants->Get(v));
      dumpFunction(module, module->functions()->Get(variants->Get(v)), out,
                   indent + "      ");
    }
    return;
  }
  // Check outputs, hidden from the signature the caller sees.
  const auto *outputs = function->outputs();
  std::vector<uint32_t> checks;
  for (uint32_t i = 0; outputs && i < outputs->size(); ++i)
    if (outputs->Get(i)->check_message())
      checks.push_back(i);
  if (!checks.empty()) {
    std::fprintf(out, "%s  checks: %zu\n", in, checks.size());
    for (uint32_t i : checks)
      std::fprintf(out, "%s    output %u: %s \"%s\"\n", in, i,
                   typeText(outputs->Get(i)->type()).c_str(),
                   outputs->Get(i)->check_message()->c_str());
  }
  const auto *buffers = function->buffers();
  std::fprintf(out, "%s  buffers: %u, arena: %llu bytes\n", in,
               buffers ? buffers->size() : 0,
               (unsigned long long)function->arena_size());
  for (uint32_t b = 0; buffers && b < buffers->size(); ++b) {
    const schema::Buffer *buffer = buffers->Get(b);
    std::string what;
    switch (buffer->kind()) {
    case schema::BufferKind::Input:
      what = "input " + std::to_string(buffer->index());
      break;
    case schema::BufferKind::Output:
      what = (function->outputs()->Get(buffer->index())->check_message()
                  ? "check output "
                  : "output ") +
             std::to_string(buffer->index());
      break;
    case schema::BufferKind::Constant:
      what = "constant " + std::to_string(buffer->index()) + " '" +
             text(module->constants()->Get(buffer->index())->name()) + "'";
      break;
    case schema::BufferKind::Transient:
      what = "transient at arena offset " + std::to_string(buffer->offset());
      break;
    }
    std::fprintf(out, "%s    %%%u = %s, %llu bytes\n", in, b, what.c_str(),
                 (unsigned long long)buffer->size());
  }
  const auto *commands = function->commands();
  std::fprintf(out, "%s  commands: %u\n", in, commands ? commands->size() : 0);
  for (uint32_t c = 0; commands && c < commands->size(); ++c) {
    if (function->commands_type()->Get(c) == schema::Command::Copy) {
      const auto *copy = commands->GetAs<schema::Copy>(c);
      std::fprintf(out, "%s    %u: copy %%%u -> %%%u, %llu bytes\n", in, c,
                   copy->source(), copy->target(),
                   (unsigned long long)copy->size());
      continue;
    }
    const auto *dispatch = commands->GetAs<schema::Dispatch>(c);
    std::fprintf(out, "%s    %u: dispatch kernel %u '%s' bindings%s", in, c,
                 dispatch->kernel(),
                 module->kernels()->Get(dispatch->kernel())->c_str(),
                 list(dispatch->bindings(), "%").c_str());
    if (dispatch->push_constants() && dispatch->push_constants()->size())
      std::fprintf(out, " push_constants%s",
                   list(dispatch->push_constants(), "").c_str());
    std::fprintf(out, "\n");
  }
}

/// Joins `names` with ", " ("none" if empty).
std::string
names(const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>
          *values) {
  std::string result;
  for (uint32_t i = 0; values && i < values->size(); ++i)
    result += (i ? ", " : "") + values->Get(i)->str();
  return result.empty() ? "none" : result;
}

void dumpSpirvTarget(const schema::SpirvTarget *target, FILE *out) {
  uint32_t spirv = target->spirv_version();
  uint32_t vulkan = target->vulkan_version();
  // VK_MAKE_API_VERSION(0, major, minor, 0): major at bit 22, minor at 12.
  std::fprintf(out,
               "    spirv target '%s': SPIR-V %u.%u, Vulkan %u.%u, max "
               "workgroup invocations %u\n"
               "      capabilities: %s\n"
               "      extensions: %s\n",
               text(target->name()).c_str(), (spirv >> 16) & 0xff,
               (spirv >> 8) & 0xff, (vulkan >> 22) & 0x7f,
               (vulkan >> 12) & 0x3ff, target->max_workgroup_invocations(),
               names(target->capabilities()).c_str(),
               names(target->extensions()).c_str());
}

} // namespace

void dumpModule(const ingot_module_t *handle, FILE *out) {
  const ModuleImage &image = *handle->image;
  const schema::Module *module = image.schema();
  std::fprintf(out, "module '%s': version %u, producer '%s', %zu bytes\n",
               text(module->name()).c_str(), module->version(),
               text(module->producer()).c_str(), image.size());

  // Exported functions; size variants under the function listing them.
  const auto *functions = module->functions();
  std::fprintf(out, "functions: %zu\n", handle->exported.size());
  for (uint32_t f : handle->exported)
    dumpFunction(module, functions->Get(f), out);

  const auto *kernels = module->kernels();
  std::fprintf(out, "kernels: %u\n", kernels ? kernels->size() : 0);
  for (uint32_t k = 0; kernels && k < kernels->size(); ++k)
    std::fprintf(out, "  %u: %s\n", k, kernels->Get(k)->c_str());

  const auto *executables = module->executables();
  std::fprintf(out, "executables: %u\n", executables ? executables->size() : 0);
  for (uint32_t e = 0; executables && e < executables->size(); ++e) {
    const schema::Executable *executable = executables->Get(e);
    std::fprintf(out, "  %u: %s, target '%s', %llu bytes at offset %llu\n", e,
                 schema::EnumNameExecutableFormat(executable->format()),
                 text(executable->target()).c_str(),
                 (unsigned long long)executable->data()->size(),
                 (unsigned long long)executable->data()->offset());
    if (const schema::SpirvTarget *target = executable->spirv_target())
      dumpSpirvTarget(target, out);
    const auto *entryPoints = executable->entry_points();
    for (uint32_t i = 0; entryPoints && i < entryPoints->size(); ++i) {
      const schema::EntryPoint *entry = entryPoints->Get(i);
      std::fprintf(out, "    %u: %s workgroups %s", i, entry->symbol()->c_str(),
                   list(entry->workgroup_count(), "", "[]").c_str());
      if (executable->format() == schema::ExecutableFormat::SpirV)
        std::fprintf(out, " workgroup_size %s",
                     list(entry->workgroup_size(), "", "[]").c_str());
      std::fprintf(out, "\n");
    }
  }

  const auto *constants = module->constants();
  std::fprintf(out, "constants: %u\n", constants ? constants->size() : 0);
  for (uint32_t c = 0; constants && c < constants->size(); ++c) {
    const schema::Constant *constant = constants->Get(c);
    std::fprintf(out, "  %u: '%s' %s, %llu bytes at offset %llu\n", c,
                 text(constant->name()).c_str(),
                 typeText(constant->type()).c_str(),
                 (unsigned long long)constant->data()->size(),
                 (unsigned long long)constant->data()->offset());
  }
}

} // namespace ingot::tooling
