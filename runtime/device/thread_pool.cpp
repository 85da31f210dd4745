//===- thread_pool.cpp - CPU device thread pool -----------------*- C++ -*-===//

#include "runtime/device/thread_pool.h"

#include <chrono>

namespace ingot::runtime {

namespace {

/// How long a thread spins for the next job (or for the workers to finish)
/// before it blocks on a condition variable.
constexpr std::chrono::microseconds kSpinTime{200};

/// Spins until `ready()` or kSpinTime passed; returns ready().
template <typename Ready> bool spinUntil(Ready ready) {
  auto deadline = std::chrono::steady_clock::now() + kSpinTime;
  for (unsigned i = 1;; ++i) {
    if (ready())
      return true;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
    if (i % 64 == 0 && std::chrono::steady_clock::now() > deadline)
      return ready();
  }
}

} // namespace

ThreadPool::ThreadPool(uint32_t threadCount)
    : threadCount_(threadCount ? threadCount : 1) {
  workers_.reserve(threadCount_ - 1);
  for (uint32_t i = 1; i < threadCount_; ++i)
    workers_.emplace_back([this] { workerLoop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_.store(true, std::memory_order_release);
  }
  wake_.notify_all();
  for (std::thread &worker : workers_)
    worker.join();
}

void ThreadPool::drain() {
  for (;;) {
    int64_t index = next_.fetch_add(1, std::memory_order_relaxed);
    if (index >= count_)
      return;
    fn_(context_, index);
  }
}

void ThreadPool::workerLoop() {
  uint64_t seen = 0;
  for (;;) {
    auto hasWork = [&] {
      return stopping_.load(std::memory_order_acquire) ||
             generation_.load(std::memory_order_acquire) != seen;
    };
    if (!spinUntil(hasWork)) {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, hasWork);
    }
    if (stopping_.load(std::memory_order_acquire))
      return;
    seen = generation_.load(std::memory_order_acquire);
    drain();
    if (activeWorkers_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      // Lock so the notification cannot slip between the submitter's check
      // and its wait.
      std::lock_guard<std::mutex> lock(mutex_);
      done_.notify_one();
    }
  }
}

void ThreadPool::parallelFor(int64_t count, TaskFn fn, void *context) {
  if (count <= 0)
    return;
  if (workers_.empty() || count == 1) {
    for (int64_t i = 0; i < count; ++i)
      fn(context, i);
    return;
  }
  std::lock_guard<std::mutex> submit(submitMutex_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    fn_ = fn;
    context_ = context;
    count_ = count;
    next_.store(0, std::memory_order_relaxed);
    activeWorkers_.store(static_cast<uint32_t>(workers_.size()),
                         std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
  }
  wake_.notify_all();
  drain();
  auto finished = [&] {
    return activeWorkers_.load(std::memory_order_acquire) == 0;
  };
  if (!spinUntil(finished)) {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, finished);
  }
}

} // namespace ingot::runtime
