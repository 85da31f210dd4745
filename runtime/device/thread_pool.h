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
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace ingot::runtime {

/// Runs `[0, count)` work items across a fixed set of threads.
class ThreadPool {
public:
  /// Work callback: `fn(context, begin, end)` runs the items [begin, end).
  using TaskFn = void (*)(void *context, int64_t begin, int64_t end);

  /// Creates a pool running work on `threadCount` threads (>= 1), the caller
  /// included.
  explicit ThreadPool(uint32_t threadCount);
  ~ThreadPool();
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  /// Returns the number of threads work runs on, the caller included.
  uint32_t threadCount() const { return threadCount_; }

  /// Calls `fn(context, begin, end)` on disjoint ranges covering [0, count),
  /// concurrently on the pool's threads and the caller, and returns once all
  /// calls finished. Calls from several threads are serialized.
  void parallelFor(int64_t count, TaskFn fn, void *context);

private:
  /// One thread's share of a job: the items [lo, hi) packed in one word
  /// (lo in the low half). Its owner claims from the front, other threads
  /// steal from the back. Each share has a cache line of its own.
  struct alignas(64) Share {
    std::atomic<uint64_t> range{0};
  };

  /// One parallelFor call. It lives on the submitter's stack; workers only
  /// touch it (and the shares) while they hold a reference (`refs`), taken
  /// under `mutex_` while the job is current.
  struct Job {
    TaskFn fn;
    void *context;
    int64_t count;
    /// Items finished, on a cache line of its own.
    alignas(64) std::atomic<int64_t> done{0};
    /// Workers inside the job.
    alignas(64) std::atomic<uint32_t> refs{0};
  };

  /// Runs worker `self`'s loop (the submitter is thread 0).
  void workerLoop(uint32_t self);
  /// Takes and runs items of `job` until none are left; notifies the
  /// submitter when it finishes the last one. Thread `self` first runs its
  /// own share, a contiguous 1 / threads of the items, so that consecutive
  /// dispatches over the same data (a layer and the next) give each thread
  /// the rows its cache already holds; then it steals from the back of the
  /// other shares, so a thread that is late (preempted, or still waking up)
  /// holds back nothing. Claims take a share of what is left (guided), capped
  /// at a small share of the whole job: few atomic operations for dispatches
  /// of thousands of tiny workgroups, and single items near the end so the
  /// threads finish together.
  void drain(Job &job, uint32_t self);
  /// Claims up to `want` items from the front (owner) or back (thief) of
  /// `share`; returns false when it is empty.
  static bool claim(Share &share, bool front, int64_t want, int64_t &begin,
                    int64_t &end);

  uint32_t threadCount_;
  std::vector<std::thread> workers_;
  /// Serializes parallelFor calls.
  std::mutex submitMutex_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  /// Incremented for every job. Workers and the submitting thread spin
  /// briefly before sleeping, so back-to-back dispatches do not pay a futex
  /// wake-up each; a dispatch never waits for a worker that has not woken up
  /// yet (on a busy machine that can take milliseconds): the submitter runs
  /// the items itself and closes the job.
  std::atomic<uint64_t> generation_{0};
  std::atomic<bool> stopping_{false};
  /// The job workers may join (under mutex_), or null.
  Job *current_ = nullptr;
  /// The shares of the current job, one per thread (reset before a job is
  /// published; touched only by threads holding a reference to it).
  std::unique_ptr<Share[]> shares_;
};

} // namespace ingot::runtime

#endif // INGOT_RUNTIME_DEVICE_THREAD_POOL_H
