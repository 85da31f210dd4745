//===- cpu_device.cpp - CPU device and host program loop --------*- C++ -*-===//
//
// Runs a function's host program on the host: allocates the transient arena,
// resolves every buffer to a host pointer and executes the commands in order,
// splitting each dispatch's workgroups across the device's thread pool.
//
//===----------------------------------------------------------------------===//

#include "runtime/api/objects.h"
#include "runtime/device/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <sched.h>
#include <string>
#include <thread>
#include <time.h>

namespace ingot::runtime {

namespace {

/// Arguments of one dispatch, shared by all its workgroups.
struct DispatchContext {
  CpuKernelFn kernel;
  void *const *bindings;
  const int64_t *pushConstants;
};

/// Runs the workgroups [begin, end) of a dispatch.
void runWorkgroups(void *context, int64_t begin, int64_t end) {
  auto *dispatch = static_cast<DispatchContext *>(context);
  for (int64_t id = begin; id < end; ++id)
    dispatch->kernel(dispatch->bindings, dispatch->pushConstants, id);
}

/// The calling thread's CPU time in nanoseconds.
int64_t threadCpuNanos() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

/// A dispatch whose workgroups also add up the CPU time they take.
struct ProfiledDispatchContext {
  DispatchContext dispatch;
  std::atomic<int64_t> cpuNanos{0};
};

/// runWorkgroups, timed on the CPU clock of the thread running them: unlike
/// the wall time of the dispatch, the sum leaves out time the threads spent
/// waiting, preempted or spinning.
void runProfiledWorkgroups(void *context, int64_t begin, int64_t end) {
  auto *profiled = static_cast<ProfiledDispatchContext *>(context);
  int64_t start = threadCpuNanos();
  runWorkgroups(&profiled->dispatch, begin, end);
  profiled->cpuNanos.fetch_add(threadCpuNanos() - start,
                               std::memory_order_relaxed);
}

/// Per-kernel dispatch times, collected when INGOT_PROFILE is set and
/// printed to stderr when the device goes away. With INGOT_PROFILE=cpu, also
/// the CPU time of the workgroups (one thread clock read, a system call,
/// per chunk of workgroups: it slows dispatches of many small chunks).
class DispatchProfile {
public:
  explicit DispatchProfile(bool cpuTime) : cpuTime_(cpuTime) {}

  /// Whether workgroups are timed on the CPU clock too.
  bool cpuTime() const { return cpuTime_; }

  void record(const std::string &kernel, int64_t workgroups, double ms,
              double cpuMs) {
    Entry &entry = entries_[kernel];
    entry.ms += ms;
    entry.cpuMs += cpuMs;
    entry.calls += 1;
    entry.workgroups = workgroups;
  }

  ~DispatchProfile() {
    if (entries_.empty())
      return;
    std::vector<std::pair<std::string, Entry>> sorted(entries_.begin(),
                                                      entries_.end());
    std::sort(sorted.begin(), sorted.end(), [](const auto &a, const auto &b) {
      return a.second.ms > b.second.ms;
    });
    double total = 0, totalCpu = 0;
    for (const auto &kv : sorted) {
      total += kv.second.ms;
      totalCpu += kv.second.cpuMs;
    }
    std::fprintf(stderr, "ingot profile: %zu kernels, %.3f ms in dispatches",
                 sorted.size(), total);
    if (cpuTime_)
      std::fprintf(stderr, ", %.3f ms CPU time in workgroups", totalCpu);
    std::fprintf(stderr, "\n%10s %6s %8s %10s %6s", "total_ms", "%", "calls",
                 "avg_us", "wgs");
    if (cpuTime_)
      std::fprintf(stderr, " %10s", "cpu_us");
    std::fprintf(stderr, "  kernel\n");
    for (const auto &[name, e] : sorted) {
      std::fprintf(stderr, "%10.3f %6.1f %8llu %10.2f %6lld", e.ms,
                   100.0 * e.ms / total, (unsigned long long)e.calls,
                   1000.0 * e.ms / e.calls, (long long)e.workgroups);
      if (cpuTime_)
        std::fprintf(stderr, " %10.2f", 1000.0 * e.cpuMs / e.calls);
      std::fprintf(stderr, "  %s\n", name.c_str());
    }
  }

private:
  struct Entry {
    double ms = 0;
    /// CPU time of the workgroups, all threads together.
    double cpuMs = 0;
    uint64_t calls = 0;
    int64_t workgroups = 0;
  };
  std::map<std::string, Entry> entries_;
  bool cpuTime_;
};

class CpuDevice final : public Device {
public:
  explicit CpuDevice(uint32_t threadCount) : pool_(threadCount) {
    if (const char *env = std::getenv("INGOT_PROFILE");
        env && *env && std::strcmp(env, "0"))
      profile_ = std::make_unique<DispatchProfile>(!std::strcmp(env, "cpu"));
  }

  const char *name() const override { return "cpu"; }
  uint32_t threadCount() const override { return pool_.threadCount(); }

  ingot_status_t run(ingot_module_t *module, const schema::Function *function,
                     ingot_tensor_t *const *inputs,
                     ingot_tensor_t *const *outputs) override;

private:
  /// Returns the module's CpuElf executable, loading it on first use.
  ingot_status_t getExecutable(ingot_module_t *module,
                               const CpuExecutable *&out);

  ThreadPool pool_;
  /// Set when INGOT_PROFILE is set: per-kernel times.
  std::unique_ptr<DispatchProfile> profile_;
};

ingot_status_t CpuDevice::getExecutable(ingot_module_t *module,
                                        const CpuExecutable *&out) {
  std::lock_guard<std::mutex> lock(module->mutex);
  if (!module->cpuExecutable)
    INGOT_RETURN_IF_ERROR(
        CpuExecutable::load(*module->image, module->cpuExecutable));
  out = module->cpuExecutable.get();
  return nullptr;
}

ingot_status_t CpuDevice::run(ingot_module_t *module,
                              const schema::Function *function,
                              ingot_tensor_t *const *inputs,
                              ingot_tensor_t *const *outputs) {
  const ModuleImage &image = *module->image;
  const schema::Module *root = image.schema();
  const auto *commands = function->commands();
  const auto *commandTypes = function->commands_type();
  const auto *buffers = function->buffers();
  uint32_t bufferCount = buffers ? buffers->size() : 0;

  const CpuExecutable *executable = nullptr;
  for (uint32_t c = 0; commands && c < commands->size(); ++c) {
    if (commandTypes->Get(c) == schema::Command::Dispatch) {
      INGOT_RETURN_IF_ERROR(getExecutable(module, executable));
      break;
    }
  }

  AlignedStorage arena;
  if (function->arena_size() > 0) {
    if (function->arena_size() > SIZE_MAX ||
        !(arena = alignedAllocate(function->arena_size(), false)))
      return makeStatus(INGOT_STATUS_RESOURCE_EXHAUSTED,
                        "cannot allocate the %llu-byte transient arena of "
                        "function '%s'",
                        (unsigned long long)function->arena_size(),
                        function->name()->c_str());
  }

  // Resolve every buffer to a host pointer. Inputs the caller did not align
  // to 64 bytes are copied, as the kernel ABI promises aligned buffers.
  std::vector<void *> pointers(bufferCount, nullptr);
  std::vector<AlignedStorage> inputCopies;
  for (uint32_t b = 0; b < bufferCount; ++b) {
    const schema::Buffer *buffer = buffers->Get(b);
    switch (buffer->kind()) {
    case schema::BufferKind::Input: {
      ingot_tensor_t *tensor = inputs[buffer->index()];
      if (buffer->size() > tensor->byteSize)
        return makeStatus(INGOT_STATUS_INVALID_ARGUMENT,
                          "function '%s' input %u is %zu bytes but its "
                          "program reads %llu",
                          function->name()->c_str(), buffer->index(),
                          tensor->byteSize, (unsigned long long)buffer->size());
      void *data = tensor->data;
      if (reinterpret_cast<uintptr_t>(data) % kBufferAlignment != 0) {
        AlignedStorage copy = alignedAllocate(tensor->byteSize, false);
        if (!copy)
          return makeStatus(INGOT_STATUS_RESOURCE_EXHAUSTED,
                            "cannot allocate %zu bytes to align input %u",
                            tensor->byteSize, buffer->index());
        std::memcpy(copy.get(), data, tensor->byteSize);
        data = copy.get();
        inputCopies.push_back(std::move(copy));
      }
      pointers[b] = data;
      break;
    }
    case schema::BufferKind::Output:
      pointers[b] = outputs[buffer->index()]->data;
      break;
    case schema::BufferKind::Constant:
      pointers[b] = const_cast<uint8_t *>(
          image.segmentData(root->constants()->Get(buffer->index())->data()));
      break;
    case schema::BufferKind::Transient:
      pointers[b] = static_cast<uint8_t *>(arena.get()) + buffer->offset();
      break;
    }
  }

  std::vector<void *> bindings;
  for (uint32_t c = 0; commands && c < commands->size(); ++c) {
    if (commandTypes->Get(c) == schema::Command::Copy) {
      const auto *copy = commands->GetAs<schema::Copy>(c);
      if (copy->size())
        std::memmove(pointers[copy->target()], pointers[copy->source()],
                     copy->size());
      continue;
    }
    const auto *dispatch = commands->GetAs<schema::Dispatch>(c);
    bindings.clear();
    for (uint32_t i = 0;
         dispatch->bindings() && i < dispatch->bindings()->size(); ++i)
      bindings.push_back(pointers[dispatch->bindings()->Get(i)]);
    const auto *pushConstants = dispatch->push_constants();
    DispatchContext context{
        executable->kernel(dispatch->kernel()), bindings.data(),
        pushConstants && pushConstants->size() ? pushConstants->data()
                                               : nullptr};
    int64_t workgroups = executable->workgroupCount(dispatch->kernel());
    if (!profile_) {
      pool_.parallelFor(workgroups, runWorkgroups, &context);
      continue;
    }
    ProfiledDispatchContext profiled;
    profiled.dispatch = context;
    auto start = std::chrono::steady_clock::now();
    if (profile_->cpuTime())
      pool_.parallelFor(workgroups, runProfiledWorkgroups, &profiled);
    else
      pool_.parallelFor(workgroups, runWorkgroups, &context);
    std::chrono::duration<double, std::milli> elapsed =
        std::chrono::steady_clock::now() - start;
    const auto *names = root->kernels();
    profile_->record(names && dispatch->kernel() < names->size()
                         ? names->Get(dispatch->kernel())->str()
                         : "kernel " + std::to_string(dispatch->kernel()),
                     workgroups, elapsed.count(),
                     profiled.cpuNanos.load(std::memory_order_relaxed) / 1e6);
  }
  return nullptr;
}

} // namespace

uint32_t defaultCpuThreadCount() {
  uint32_t threadCount;
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0)
    threadCount = static_cast<uint32_t>(CPU_COUNT(&set));
  else
    threadCount = std::thread::hardware_concurrency();
  return threadCount ? threadCount : 1;
}

std::unique_ptr<Device> createCpuDevice(uint32_t threadCount) {
  return std::make_unique<CpuDevice>(threadCount ? threadCount
                                                 : defaultCpuThreadCount());
}

} // namespace ingot::runtime
