//===- thread_pool.h - Workgroup thread pool of the CPU device --*- C++ -*-===//
//
// A fixed set of worker threads, created once per device, that run the
// workgroups of one dispatch at a time. The calling thread takes part, so a
// pool of N threads has N - 1 workers; a pool of one thread runs everything
// inline.
//
//===----------------------------------------------------------------------===//

#ifndef INGOT_RUNTIME_DEVICE_THREAD_POOL_H
#define INGOT_RUNTIME_DEVICE_THREAD_POOL_H

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace ingot::runtime {

/// Runs `[0, count)` work items across a fixed set of threads.
class ThreadPool {
public:
  /// Work item callback: `fn(context, index)`.
  using TaskFn = void (*)(void *context, int64_t index);

  /// Creates a pool running work on `threadCount` threads (>= 1), the caller
  /// included.
  explicit ThreadPool(uint32_t threadCount);
  ~ThreadPool();
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  /// Returns the number of threads work runs on, the caller included.
  uint32_t threadCount() const { return threadCount_; }

  /// Calls `fn(context, i)` for every i in [0, count), concurrently on the
  /// pool's threads and the caller, and returns once all calls finished.
  /// Calls from several threads are serialized.
  void parallelFor(int64_t count, TaskFn fn, void *context);

private:
  void workerLoop();
  /// Takes and runs items of the current job until none are left.
  void drain();

  uint32_t threadCount_;
  std::vector<std::thread> workers_;
  /// Serializes parallelFor calls.
  std::mutex submitMutex_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  /// Incremented for every job; workers run each generation once. Workers
  /// and the submitting thread spin briefly on these before sleeping, so
  /// back-to-back dispatches do not pay a futex wake-up each.
  std::atomic<uint64_t> generation_{0};
  std::atomic<bool> stopping_{false};
  /// Workers still inside the current job.
  std::atomic<uint32_t> activeWorkers_{0};

  TaskFn fn_ = nullptr;
  void *context_ = nullptr;
  int64_t count_ = 0;
  std::atomic<int64_t> next_{0};
};

} // namespace ingot::runtime

#endif // INGOT_RUNTIME_DEVICE_THREAD_POOL_H
