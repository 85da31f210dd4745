//===- vulkan_executable.cpp - A module loaded on a Vulkan device -*- C++ -*-=//

#include "runtime/device/vulkan_executable.h"

#include "runtime/device/vulkan_target.h"

#include <algorithm>
#include <cstring>

namespace ingot::runtime::vulkan {

VulkanExecutable::~VulkanExecutable() {
  VulkanContext &c = *context_;
  for (FunctionState &function : functions_)
    if (function.pool)
      c.vkDestroyDescriptorPool(c.device(), function.pool, nullptr);
  for (KernelPipeline &kernel : kernels_) {
    if (kernel.pipeline)
      c.vkDestroyPipeline(c.device(), kernel.pipeline, nullptr);
    if (kernel.layout)
      c.vkDestroyPipelineLayout(c.device(), kernel.layout, nullptr);
    if (kernel.setLayout)
      c.vkDestroyDescriptorSetLayout(c.device(), kernel.setLayout, nullptr);
  }
  if (shader_)
    c.vkDestroyShaderModule(c.device(), shader_, nullptr);
  c.destroyHostBuffer(constants_);
}

ingot_status_t VulkanExecutable::load(std::shared_ptr<VulkanContext> context,
                                      const ModuleImage &image,
                                      std::unique_ptr<VulkanExecutable> &out) {
  const schema::Module *module = image.schema();
  const schema::Executable *executable = nullptr;
  std::string formats;
  for (uint32_t i = 0;
       module->executables() && i < module->executables()->size(); ++i) {
    const schema::Executable *candidate = module->executables()->Get(i);
    if (candidate->format() == schema::ExecutableFormat::SpirV) {
      executable = candidate;
      break;
    }
    formats += formats.empty() ? "" : ", ";
    formats += schema::EnumNameExecutableFormat(candidate->format());
  }
  // A module without kernels (only copies) needs no executable.
  bool hasKernels = module->kernels() && module->kernels()->size();
  if (!executable && hasKernels)
    return makeStatus(INGOT_STATUS_FAILED_PRECONDITION,
                      "%s: module has no SpirV executable; compile with "
                      "--target=vulkan (it has: %s)",
                      image.name().c_str(),
                      formats.empty() ? "none" : formats.c_str());
  if (executable)
    INGOT_RETURN_IF_ERROR(checkSpirvTarget(executable->spirv_target(),
                                           context->physical(), image.name()));
  std::unique_ptr<VulkanExecutable> result(
      new VulkanExecutable(std::move(context)));
  if (executable)
    INGOT_RETURN_IF_ERROR(result->createPipelines(image, executable));
  INGOT_RETURN_IF_ERROR(result->uploadConstants(image));
  INGOT_RETURN_IF_ERROR(result->createDescriptorSets(image));
  out = std::move(result);
  return nullptr;
}

ingot_status_t
VulkanExecutable::createPipelines(const ModuleImage &image,
                                  const schema::Executable *executable) {
  VulkanContext &c = *context_;
  const schema::Module *module = image.schema();
  const VkPhysicalDeviceLimits &limits = c.physical().properties.limits;
  std::string device =
      c.physical().name() + " (" + c.physical().description() + ")";
  const auto *entryPoints = executable->entry_points();
  uint32_t kernelCount = entryPoints ? entryPoints->size() : 0;
  kernels_.resize(kernelCount);

  // The layout of each kernel comes from its dispatches: the most bindings
  // and push constants any of them passes.
  std::vector<bool> dispatched(kernelCount, false);
  for (uint32_t f = 0; module->functions() && f < module->functions()->size();
       ++f) {
    const schema::Function *function = module->functions()->Get(f);
    const auto *commands = function->commands();
    for (uint32_t i = 0; commands && i < commands->size(); ++i) {
      if (function->commands_type()->Get(i) != schema::Command::Dispatch)
        continue;
      const auto *dispatch = commands->GetAs<schema::Dispatch>(i);
      KernelPipeline &kernel = kernels_[dispatch->kernel()];
      dispatched[dispatch->kernel()] = true;
      uint32_t bindings =
          dispatch->bindings() ? dispatch->bindings()->size() : 0;
      uint32_t pushBytes =
          8 *
          (dispatch->push_constants() ? dispatch->push_constants()->size() : 0);
      kernel.bindingCount = std::max(kernel.bindingCount, bindings);
      kernel.pushConstantBytes = std::max(kernel.pushConstantBytes, pushBytes);
    }
  }

  VkShaderModuleCreateInfo shaderInfo{};
  shaderInfo.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO;
  shaderInfo.codeSize = executable->data()->size();
  shaderInfo.pCode =
      reinterpret_cast<const uint32_t *>(image.segmentData(executable->data()));
  VkResult vr =
      c.vkCreateShaderModule(c.device(), &shaderInfo, nullptr, &shader_);
  if (vr != VK_SUCCESS)
    return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                      "%s: %s rejects the SpirV executable: "
                      "vkCreateShaderModule failed: %s",
                      image.name().c_str(), device.c_str(), resultName(vr));

  for (uint32_t k = 0; k < kernelCount; ++k) {
    if (!dispatched[k])
      continue;
    KernelPipeline &kernel = kernels_[k];
    const schema::EntryPoint *entry = entryPoints->Get(k);
    std::string what = image.name() + ": kernel " + std::to_string(k) + " '" +
                       entry->symbol()->str() + "'";
    const auto *grid = entry->workgroup_count();
    for (uint32_t d = 0; d < 3; ++d) {
      kernel.workgroupCount[d] = grid->Get(d);
      if (grid->Get(d) > limits.maxComputeWorkGroupCount[d])
        return makeStatus(INGOT_STATUS_FAILED_PRECONDITION,
                          "%s has %u workgroups in dimension %c but %s allows "
                          "%u (maxComputeWorkGroupCount)",
                          what.c_str(), grid->Get(d), "xyz"[d], device.c_str(),
                          limits.maxComputeWorkGroupCount[d]);
    }
    if (const auto *local = entry->workgroup_size()) {
      uint64_t invocations = 1;
      for (uint32_t d = 0; d < 3; ++d) {
        invocations *= local->Get(d);
        if (local->Get(d) > limits.maxComputeWorkGroupSize[d])
          return makeStatus(INGOT_STATUS_FAILED_PRECONDITION,
                            "%s has workgroup size %u in dimension %c but %s "
                            "allows %u (maxComputeWorkGroupSize)",
                            what.c_str(), local->Get(d), "xyz"[d],
                            device.c_str(), limits.maxComputeWorkGroupSize[d]);
      }
      if (invocations > limits.maxComputeWorkGroupInvocations)
        return makeStatus(INGOT_STATUS_FAILED_PRECONDITION,
                          "%s has workgroups of %llu invocations but %s "
                          "allows %u (maxComputeWorkGroupInvocations)",
                          what.c_str(), (unsigned long long)invocations,
                          device.c_str(),
                          limits.maxComputeWorkGroupInvocations);
    }
    if (kernel.bindingCount > limits.maxPerStageDescriptorStorageBuffers)
      return makeStatus(INGOT_STATUS_FAILED_PRECONDITION,
                        "%s binds %u storage buffers but %s allows %u "
                        "(maxPerStageDescriptorStorageBuffers)",
                        what.c_str(), kernel.bindingCount, device.c_str(),
                        limits.maxPerStageDescriptorStorageBuffers);
    if (kernel.pushConstantBytes > 128 ||
        kernel.pushConstantBytes > limits.maxPushConstantsSize)
      return makeStatus(INGOT_STATUS_FAILED_PRECONDITION,
                        "%s takes %u push constants but the Vulkan ABI "
                        "allows 16 and %s %u bytes (maxPushConstantsSize)",
                        what.c_str(), kernel.pushConstantBytes / 8,
                        device.c_str(), limits.maxPushConstantsSize);

    std::vector<VkDescriptorSetLayoutBinding> bindings(kernel.bindingCount);
    for (uint32_t i = 0; i < kernel.bindingCount; ++i) {
      bindings[i] = {};
      bindings[i].binding = i;
      bindings[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
      bindings[i].descriptorCount = 1;
      bindings[i].stageFlags = VK_SHADER_STAGE_COMPUTE_BIT;
    }
    VkDescriptorSetLayoutCreateInfo setInfo{};
    setInfo.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO;
    setInfo.bindingCount = kernel.bindingCount;
    setInfo.pBindings = bindings.data();
    vr = c.vkCreateDescriptorSetLayout(c.device(), &setInfo, nullptr,
                                       &kernel.setLayout);
    if (vr != VK_SUCCESS)
      return c.error("vkCreateDescriptorSetLayout", vr);
    VkPushConstantRange range{};
    range.stageFlags = VK_SHADER_STAGE_COMPUTE_BIT;
    range.offset = 0;
    range.size = kernel.pushConstantBytes;
    VkPipelineLayoutCreateInfo layoutInfo{};
    layoutInfo.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO;
    layoutInfo.setLayoutCount = 1;
    layoutInfo.pSetLayouts = &kernel.setLayout;
    layoutInfo.pushConstantRangeCount = kernel.pushConstantBytes ? 1 : 0;
    layoutInfo.pPushConstantRanges = &range;
    vr = c.vkCreatePipelineLayout(c.device(), &layoutInfo, nullptr,
                                  &kernel.layout);
    if (vr != VK_SUCCESS)
      return c.error("vkCreatePipelineLayout", vr);
    VkComputePipelineCreateInfo pipelineInfo{};
    pipelineInfo.sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO;
    pipelineInfo.stage.sType =
        VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
    pipelineInfo.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
    pipelineInfo.stage.module = shader_;
    pipelineInfo.stage.pName = entry->symbol()->c_str();
    pipelineInfo.layout = kernel.layout;
    vr = c.vkCreateComputePipelines(c.device(), VK_NULL_HANDLE, 1,
                                    &pipelineInfo, nullptr, &kernel.pipeline);
    if (vr != VK_SUCCESS)
      return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                        "%s: %s cannot create the compute pipeline of entry "
                        "point '%s': %s",
                        what.c_str(), device.c_str(), entry->symbol()->c_str(),
                        resultName(vr));
  }
  return nullptr;
}

ingot_status_t VulkanExecutable::uploadConstants(const ModuleImage &image) {
  VulkanContext &c = *context_;
  const auto *constants = image.schema()->constants();
  uint32_t count = constants ? constants->size() : 0;
  VkDeviceSize total = 0;
  for (uint32_t i = 0; i < count; ++i) {
    total = alignUp(total, c.bindingAlignment());
    constantOffsets_.push_back(total);
    // Bindings cover the bytes rounded up to 4 (the ABI), at least 4.
    total += std::max<VkDeviceSize>(
        alignUp(constants->Get(i)->data()->size(), 4), 4);
  }
  if (!count)
    return nullptr;
  INGOT_RETURN_IF_ERROR(c.createHostBuffer(total, constants_));
  std::memset(constants_.mapped, 0, constants_.size);
  for (uint32_t i = 0; i < count; ++i) {
    const schema::Segment *segment = constants->Get(i)->data();
    std::memcpy(constants_.mapped + constantOffsets_[i],
                image.segmentData(segment), segment->size());
  }
  return c.flush(constants_);
}

ingot_status_t
VulkanExecutable::createDescriptorSets(const ModuleImage &image) {
  VulkanContext &c = *context_;
  const schema::Module *module = image.schema();
  uint32_t functionCount =
      module->functions() ? module->functions()->size() : 0;
  functions_.resize(functionCount);
  VkDeviceSize alignment =
      c.physical().properties.limits.minStorageBufferOffsetAlignment;
  for (uint32_t f = 0; f < functionCount; ++f) {
    const schema::Function *function = module->functions()->Get(f);
    const auto *commands = function->commands();
    uint32_t commandCount = commands ? commands->size() : 0;
    FunctionState &state = functions_[f];
    state.sets.assign(commandCount, VK_NULL_HANDLE);
    uint32_t dispatches = 0, descriptors = 0;
    for (uint32_t i = 0; i < commandCount; ++i) {
      if (function->commands_type()->Get(i) != schema::Command::Dispatch)
        continue;
      const auto *dispatch = commands->GetAs<schema::Dispatch>(i);
      ++dispatches;
      descriptors += kernels_[dispatch->kernel()].bindingCount;
      // Transients are bound at their arena offset (a multiple of 64): on a
      // device that needs more, the module cannot run.
      for (uint32_t b = 0;
           dispatch->bindings() && b < dispatch->bindings()->size(); ++b) {
        const schema::Buffer *buffer =
            function->buffers()->Get(dispatch->bindings()->Get(b));
        if (buffer->kind() == schema::BufferKind::Transient &&
            buffer->offset() % alignment != 0)
          return makeStatus(
              INGOT_STATUS_FAILED_PRECONDITION,
              "%s: function '%s' command %u binds a transient at arena "
              "offset %llu, which is not a multiple of the %llu bytes %s "
              "needs (minStorageBufferOffsetAlignment)",
              image.name().c_str(), function->name()->c_str(), i,
              (unsigned long long)buffer->offset(),
              (unsigned long long)alignment, c.physical().name().c_str());
      }
    }
    if (!dispatches)
      continue;
    VkDescriptorPoolSize size{};
    size.type = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
    size.descriptorCount = std::max(descriptors, 1u);
    VkDescriptorPoolCreateInfo poolInfo{};
    poolInfo.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO;
    poolInfo.maxSets = dispatches;
    poolInfo.poolSizeCount = 1;
    poolInfo.pPoolSizes = &size;
    VkResult vr =
        c.vkCreateDescriptorPool(c.device(), &poolInfo, nullptr, &state.pool);
    if (vr != VK_SUCCESS)
      return c.error("vkCreateDescriptorPool", vr);
    for (uint32_t i = 0; i < commandCount; ++i) {
      if (function->commands_type()->Get(i) != schema::Command::Dispatch)
        continue;
      const auto *dispatch = commands->GetAs<schema::Dispatch>(i);
      VkDescriptorSetAllocateInfo allocate{};
      allocate.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO;
      allocate.descriptorPool = state.pool;
      allocate.descriptorSetCount = 1;
      allocate.pSetLayouts = &kernels_[dispatch->kernel()].setLayout;
      vr = c.vkAllocateDescriptorSets(c.device(), &allocate, &state.sets[i]);
      if (vr != VK_SUCCESS)
        return c.error("vkAllocateDescriptorSets", vr);
    }
  }
  return nullptr;
}

} // namespace ingot::runtime::vulkan
