//===- vulkan_device.cpp - Vulkan device and host program loop --*- C++ -*-===//
//
// Runs a function's host program on a Vulkan device: the inputs, outputs
// and transient arena of an invocation live in one host-visible buffer (each
// at an offset aligned to minStorageBufferOffsetAlignment), the constants in
// the module's buffer (uploaded once). One command buffer records every
// command in order with a memory barrier between consecutive ones; the host
// waits on a fence and reads the outputs back.
//
//===----------------------------------------------------------------------===//

#include "runtime/api/objects.h"
#include "runtime/device/vulkan_executable.h"

#include <algorithm>
#include <cstring>

namespace ingot::runtime {

using namespace vulkan;

namespace {

/// A range of storage a binding or a copy covers.
struct Slice {
  /// Region index (inputs, then outputs, then the arena) or kConstants.
  uint32_t region;
  VkDeviceSize offset;
  VkDeviceSize range;
};
constexpr uint32_t kConstants = ~0u;

/// Size of a region holding `bytes`: bindings cover whole 4-byte words and
/// are never empty.
VkDeviceSize regionSize(VkDeviceSize bytes) {
  return std::max<VkDeviceSize>(alignUp(bytes, 4), 4);
}

class VulkanDevice final : public Device {
public:
  VulkanDevice(std::shared_ptr<VulkanContext> context)
      : context_(std::move(context)), name_(context_->physical().name()) {}
  ~VulkanDevice() override;

  /// Creates the command pool, command buffer and fence.
  ingot_status_t initialize();

  const char *name() const override { return name_.c_str(); }
  uint32_t threadCount() const override { return 0; }

  ingot_status_t run(ingot_module_t *module, const schema::Function *function,
                     ingot_tensor_t *const *inputs,
                     ingot_tensor_t *const *outputs) override;

private:
  /// Returns the module loaded on this device, loading it on first use.
  ingot_status_t getExecutable(ingot_module_t *module, VulkanExecutable *&out);
  /// Records the host program of `function` into commands_.
  void record(VulkanExecutable &executable, const schema::Function *function,
              const FunctionState &state, const std::vector<Slice> &slices,
              const std::vector<VkDeviceSize> &regionOffsets,
              VkDeviceSize scratchOffset);
  /// Returns the VkBuffer and absolute offset of `slice`.
  std::pair<VkBuffer, VkDeviceSize>
  locate(VulkanExecutable &executable, const Slice &slice,
         const std::vector<VkDeviceSize> &regionOffsets) const;

  std::shared_ptr<VulkanContext> context_;
  std::string name_;
  /// Serializes invocations: they share the buffers below.
  std::mutex mutex_;
  VkCommandPool pool_ = VK_NULL_HANDLE;
  VkCommandBuffer commands_ = VK_NULL_HANDLE;
  VkFence fence_ = VK_NULL_HANDLE;
  /// Inputs, outputs, arena and copy scratch of the running invocation;
  /// grows as needed.
  HostBuffer io_;
};

VulkanDevice::~VulkanDevice() {
  VulkanContext &c = *context_;
  if (fence_)
    c.vkDestroyFence(c.device(), fence_, nullptr);
  if (pool_)
    c.vkDestroyCommandPool(c.device(), pool_, nullptr);
  c.destroyHostBuffer(io_);
}

ingot_status_t VulkanDevice::initialize() {
  VulkanContext &c = *context_;
  VkCommandPoolCreateInfo poolInfo{};
  poolInfo.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO;
  poolInfo.flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT;
  poolInfo.queueFamilyIndex = c.queueFamily();
  VkResult vr = c.vkCreateCommandPool(c.device(), &poolInfo, nullptr, &pool_);
  if (vr != VK_SUCCESS)
    return c.error("vkCreateCommandPool", vr);
  VkCommandBufferAllocateInfo allocate{};
  allocate.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO;
  allocate.commandPool = pool_;
  allocate.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  allocate.commandBufferCount = 1;
  vr = c.vkAllocateCommandBuffers(c.device(), &allocate, &commands_);
  if (vr != VK_SUCCESS)
    return c.error("vkAllocateCommandBuffers", vr);
  VkFenceCreateInfo fenceInfo{};
  fenceInfo.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO;
  vr = c.vkCreateFence(c.device(), &fenceInfo, nullptr, &fence_);
  if (vr != VK_SUCCESS)
    return c.error("vkCreateFence", vr);
  return nullptr;
}

ingot_status_t VulkanDevice::getExecutable(ingot_module_t *module,
                                           VulkanExecutable *&out) {
  std::lock_guard<std::mutex> lock(module->mutex);
  std::unique_ptr<DeviceModuleState> &state = module->deviceStates[id()];
  if (!state) {
    std::unique_ptr<VulkanExecutable> executable;
    ingot_status_t status =
        VulkanExecutable::load(context_, *module->image, executable);
    if (status) {
      module->deviceStates.erase(id());
      return status;
    }
    state = std::move(executable);
  }
  // The key is this device's id, so the state is the one it stored.
  out = static_cast<VulkanExecutable *>(state.get());
  return nullptr;
}

std::pair<VkBuffer, VkDeviceSize>
VulkanDevice::locate(VulkanExecutable &executable, const Slice &slice,
                     const std::vector<VkDeviceSize> &regionOffsets) const {
  if (slice.region == kConstants)
    return {executable.constants().buffer, slice.offset};
  return {io_.buffer, regionOffsets[slice.region] + slice.offset};
}

/// Records a barrier making shader and transfer writes visible to the
/// shader, transfer (or host, if `toHost`) reads and writes that follow.
static void barrier(VulkanContext &c, VkCommandBuffer commands, bool toHost) {
  VkMemoryBarrier memory{};
  memory.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER;
  memory.srcAccessMask =
      VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
  memory.dstAccessMask =
      toHost ? VK_ACCESS_HOST_READ_BIT
             : VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT |
                   VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
  VkPipelineStageFlags stages =
      VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
  c.vkCmdPipelineBarrier(commands, stages,
                         toHost ? VK_PIPELINE_STAGE_HOST_BIT : stages, 0, 1,
                         &memory, 0, nullptr, 0, nullptr);
}

void VulkanDevice::record(VulkanExecutable &executable,
                          const schema::Function *function,
                          const FunctionState &state,
                          const std::vector<Slice> &slices,
                          const std::vector<VkDeviceSize> &regionOffsets,
                          VkDeviceSize scratchOffset) {
  VulkanContext &c = *context_;
  const auto *commands = function->commands();
  uint32_t commandCount = commands ? commands->size() : 0;
  for (uint32_t i = 0; i < commandCount; ++i) {
    if (i)
      barrier(c, commands_, /*toHost=*/false);
    if (function->commands_type()->Get(i) == schema::Command::Dispatch) {
      const auto *dispatch = commands->GetAs<schema::Dispatch>(i);
      const KernelPipeline &kernel = executable.kernel(dispatch->kernel());
      c.vkCmdBindPipeline(commands_, VK_PIPELINE_BIND_POINT_COMPUTE,
                          kernel.pipeline);
      c.vkCmdBindDescriptorSets(commands_, VK_PIPELINE_BIND_POINT_COMPUTE,
                                kernel.layout, 0, 1, &state.sets[i], 0,
                                nullptr);
      const auto *pushConstants = dispatch->push_constants();
      if (pushConstants && pushConstants->size())
        c.vkCmdPushConstants(commands_, kernel.layout,
                             VK_SHADER_STAGE_COMPUTE_BIT, 0,
                             8 * pushConstants->size(), pushConstants->data());
      c.vkCmdDispatch(commands_, kernel.workgroupCount[0],
                      kernel.workgroupCount[1], kernel.workgroupCount[2]);
      continue;
    }
    const auto *copy = commands->GetAs<schema::Copy>(i);
    if (!copy->size())
      continue;
    const Slice &source = slices[copy->source()];
    const Slice &target = slices[copy->target()];
    auto [sourceBuffer, sourceOffset] =
        locate(executable, source, regionOffsets);
    auto [targetBuffer, targetOffset] =
        locate(executable, target, regionOffsets);
    if (sourceBuffer == targetBuffer && sourceOffset == targetOffset)
      continue;
    bool overlap = sourceBuffer == targetBuffer &&
                   sourceOffset < targetOffset + copy->size() &&
                   targetOffset < sourceOffset + copy->size();
    VkBufferCopy region{sourceOffset, targetOffset, copy->size()};
    if (!overlap) {
      c.vkCmdCopyBuffer(commands_, sourceBuffer, targetBuffer, 1, &region);
      continue;
    }
    // vkCmdCopyBuffer needs disjoint ranges: go through the scratch region.
    region.dstOffset = scratchOffset;
    c.vkCmdCopyBuffer(commands_, sourceBuffer, io_.buffer, 1, &region);
    barrier(c, commands_, /*toHost=*/false);
    region.srcOffset = scratchOffset;
    region.dstOffset = targetOffset;
    c.vkCmdCopyBuffer(commands_, io_.buffer, targetBuffer, 1, &region);
  }
  barrier(c, commands_, /*toHost=*/true);
}

ingot_status_t VulkanDevice::run(ingot_module_t *module,
                                 const schema::Function *function,
                                 ingot_tensor_t *const *inputs,
                                 ingot_tensor_t *const *outputs) {
  std::lock_guard<std::mutex> lock(mutex_);
  VulkanContext &c = *context_;
  VulkanExecutable *executable = nullptr;
  INGOT_RETURN_IF_ERROR(getExecutable(module, executable));
  const schema::Module *root = module->image->schema();
  uint32_t functionIndex = 0;
  while (root->functions()->Get(functionIndex) != function)
    ++functionIndex;
  const FunctionState &state = executable->function(functionIndex);
  uint32_t inputCount = function->inputs() ? function->inputs()->size() : 0;
  uint32_t outputCount = function->outputs() ? function->outputs()->size() : 0;
  uint32_t arenaRegion = inputCount + outputCount;
  const VkPhysicalDeviceLimits &limits = c.physical().properties.limits;

  // Where every buffer lives: a region (input, output, arena) of io_ or the
  // module's constants.
  const auto *buffers = function->buffers();
  uint32_t bufferCount = buffers ? buffers->size() : 0;
  std::vector<Slice> slices(bufferCount);
  for (uint32_t b = 0; b < bufferCount; ++b) {
    const schema::Buffer *buffer = buffers->Get(b);
    Slice &slice = slices[b];
    switch (buffer->kind()) {
    case schema::BufferKind::Input: {
      ingot_tensor_t *tensor = inputs[buffer->index()];
      if (buffer->size() > tensor->byteSize)
        return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                          "function '%s' input %u is %zu bytes but its "
                          "program reads %llu",
                          function->name()->c_str(), buffer->index(),
                          tensor->byteSize, (unsigned long long)buffer->size());
      slice = {buffer->index(), 0, regionSize(tensor->byteSize)};
      break;
    }
    case schema::BufferKind::Output:
      slice = {inputCount + buffer->index(), 0,
               regionSize(outputs[buffer->index()]->byteSize)};
      break;
    case schema::BufferKind::Constant: {
      const schema::Constant *constant =
          root->constants()->Get(buffer->index());
      slice = {kConstants, executable->constantOffset(buffer->index()),
               regionSize(constant->data()->size())};
      break;
    }
    case schema::BufferKind::Transient:
      slice = {arenaRegion, buffer->offset(), regionSize(buffer->size())};
      break;
    }
    if (slice.range > limits.maxStorageBufferRange)
      return makeStatus(INGOT_STATUS_RESOURCE_EXHAUSTED,
                        "function '%s' buffer %u is %llu bytes but %s binds "
                        "at most %u (maxStorageBufferRange)",
                        function->name()->c_str(), b,
                        (unsigned long long)slice.range, name_.c_str(),
                        limits.maxStorageBufferRange);
  }

  // Lay the regions out in io_, then scratch for overlapping copies.
  VkDeviceSize alignment = c.bindingAlignment();
  std::vector<VkDeviceSize> regionOffsets(arenaRegion + 1);
  VkDeviceSize total = 0;
  for (uint32_t r = 0; r <= arenaRegion; ++r) {
    total = alignUp(total, alignment);
    regionOffsets[r] = total;
    if (r < inputCount)
      total += regionSize(inputs[r]->byteSize);
    else if (r < arenaRegion)
      total += regionSize(outputs[r - inputCount]->byteSize);
    else
      total += alignUp(function->arena_size(), 4) + 4;
  }
  VkDeviceSize scratchSize = 0;
  const auto *commands = function->commands();
  for (uint32_t i = 0; commands && i < commands->size(); ++i)
    if (function->commands_type()->Get(i) == schema::Command::Copy) {
      const auto *copy = commands->GetAs<schema::Copy>(i);
      if (slices[copy->source()].region == slices[copy->target()].region)
        scratchSize = std::max<VkDeviceSize>(scratchSize, copy->size());
    }
  VkDeviceSize scratchOffset = alignUp(total, alignment);
  total = scratchOffset + scratchSize;
  if (io_.size < total) {
    c.destroyHostBuffer(io_);
    INGOT_RETURN_IF_ERROR(c.createHostBuffer(total, io_));
  }

  for (uint32_t i = 0; i < inputCount; ++i)
    if (inputs[i]->byteSize)
      std::memcpy(io_.mapped + regionOffsets[i], inputs[i]->data,
                  inputs[i]->byteSize);
  for (uint32_t o = 0; o < outputCount; ++o)
    std::memset(io_.mapped + regionOffsets[inputCount + o], 0,
                outputs[o]->byteSize);
  INGOT_RETURN_IF_ERROR(c.flush(io_));

  // Point each dispatch's descriptor set at its buffers.
  std::vector<VkDescriptorBufferInfo> infos;
  std::vector<VkWriteDescriptorSet> writes;
  for (uint32_t i = 0; commands && i < commands->size(); ++i) {
    if (function->commands_type()->Get(i) != schema::Command::Dispatch)
      continue;
    const auto *bindings = commands->GetAs<schema::Dispatch>(i)->bindings();
    for (uint32_t j = 0; bindings && j < bindings->size(); ++j) {
      const Slice &slice = slices[bindings->Get(j)];
      auto [buffer, offset] = locate(*executable, slice, regionOffsets);
      infos.push_back({buffer, offset, slice.range});
      VkWriteDescriptorSet write{};
      write.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET;
      write.dstSet = state.sets[i];
      write.dstBinding = j;
      write.descriptorCount = 1;
      write.descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
      writes.push_back(write);
    }
  }
  for (size_t w = 0; w < writes.size(); ++w)
    writes[w].pBufferInfo = &infos[w];
  if (!writes.empty())
    c.vkUpdateDescriptorSets(c.device(), static_cast<uint32_t>(writes.size()),
                             writes.data(), 0, nullptr);

  VkResult vr = c.vkResetCommandPool(c.device(), pool_, 0);
  if (vr != VK_SUCCESS)
    return c.error("vkResetCommandPool", vr);
  VkCommandBufferBeginInfo begin{};
  begin.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO;
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  vr = c.vkBeginCommandBuffer(commands_, &begin);
  if (vr != VK_SUCCESS)
    return c.error("vkBeginCommandBuffer", vr);
  record(*executable, function, state, slices, regionOffsets, scratchOffset);
  vr = c.vkEndCommandBuffer(commands_);
  if (vr != VK_SUCCESS)
    return c.error("vkEndCommandBuffer", vr);
  VkSubmitInfo submit{};
  submit.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO;
  submit.commandBufferCount = 1;
  submit.pCommandBuffers = &commands_;
  vr = c.vkQueueSubmit(c.queue(), 1, &submit, fence_);
  if (vr != VK_SUCCESS)
    return c.error("vkQueueSubmit", vr);
  vr = c.vkWaitForFences(c.device(), 1, &fence_, VK_TRUE, UINT64_MAX);
  VkResult reset = c.vkResetFences(c.device(), 1, &fence_);
  if (vr != VK_SUCCESS)
    return annotateStatus(c.error("vkWaitForFences", vr),
                          "running function '" + function->name()->str() +
                              "': ");
  if (reset != VK_SUCCESS)
    return c.error("vkResetFences", reset);

  INGOT_RETURN_IF_ERROR(c.invalidate(io_));
  for (uint32_t o = 0; o < outputCount; ++o)
    if (outputs[o]->byteSize)
      std::memcpy(outputs[o]->data, io_.mapped + regionOffsets[inputCount + o],
                  outputs[o]->byteSize);
  return nullptr;
}

/// Parses "vulkan" (returns -1) or "vulkan://N" into `index`.
bool parseName(const std::string &name, int64_t &index) {
  if (name == "vulkan") {
    index = -1;
    return true;
  }
  const std::string prefix = "vulkan://";
  if (name.compare(0, prefix.size(), prefix) != 0 ||
      name.size() == prefix.size() || name.size() > prefix.size() + 6)
    return false;
  index = 0;
  for (size_t i = prefix.size(); i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9')
      return false;
    index = index * 10 + (name[i] - '0');
  }
  return true;
}

} // namespace

ingot_status_t createVulkanDevice(const std::string &name,
                                  std::unique_ptr<Device> &out) {
  int64_t index;
  if (!parseName(name, index))
    return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                      "invalid device name '%s': expected 'vulkan' or "
                      "'vulkan://N'",
                      name.c_str());
  std::shared_ptr<VulkanInstance> instance;
  INGOT_RETURN_IF_ERROR(VulkanInstance::create(instance));
  size_t count = instance->physicalDevices().size();
  if (count == 0)
    return makeStatus(INGOT_STATUS_UNAVAILABLE, "no Vulkan physical device");
  if (index >= static_cast<int64_t>(count))
    return makeStatus(INGOT_STATUS_NOT_FOUND, "%s: only %zu Vulkan device(s)",
                      name.c_str(), count);
  PhysicalDeviceInfo physical;
  if (index >= 0) {
    physical = queryPhysicalDevice(*instance, static_cast<uint32_t>(index));
  } else {
    std::string reasons;
    for (uint32_t i = 0; i < count; ++i) {
      physical = queryPhysicalDevice(*instance, i);
      std::string reason = physical.unsuitableReason();
      if (reason.empty())
        break;
      reasons += "; " + physical.name() + " (" + physical.description() +
                 "): " + reason;
      if (i + 1 == count)
        return makeStatus(INGOT_STATUS_UNAVAILABLE,
                          "no suitable Vulkan device%s", reasons.c_str());
    }
  }
  std::shared_ptr<VulkanContext> context;
  INGOT_RETURN_IF_ERROR(VulkanContext::create(instance, physical, context));
  auto device = std::make_unique<VulkanDevice>(std::move(context));
  INGOT_RETURN_IF_ERROR(device->initialize());
  out = std::move(device);
  return nullptr;
}

void listVulkanDevices(std::vector<DeviceInfo> &out) {
  std::shared_ptr<VulkanInstance> instance;
  if (ingot_status_t status = VulkanInstance::create(instance)) {
    out.push_back({"vulkan", ingot_status_message(status), false});
    ingot_status_free(status);
    return;
  }
  if (instance->physicalDevices().empty()) {
    out.push_back({"vulkan", "no Vulkan physical device", false});
    return;
  }
  for (uint32_t i = 0; i < instance->physicalDevices().size(); ++i) {
    PhysicalDeviceInfo physical = queryPhysicalDevice(*instance, i);
    std::string reason = physical.unsuitableReason();
    out.push_back({physical.name(),
                   physical.description() +
                       (reason.empty() ? "" : " (unusable: " + reason + ")"),
                   reason.empty()});
  }
}

} // namespace ingot::runtime
