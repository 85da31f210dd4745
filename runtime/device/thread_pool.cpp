//===- thread_pool.cpp - CPU device thread pool -----------------*- C++ -*-===//

#include "runtime/device/thread_pool.h"

namespace ingot::runtime {

ThreadPool::ThreadPool(uint32_t threadCount)
    : threadCount_(threadCount ? threadCount : 1) {
  workers_.reserve(threadCount_ - 1);
  for (uint32_t i = 1; i < threadCount_; ++i)
    workers_.emplace_back([this] { workerLoop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
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
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_)
        return;
      seen = generation_;
    }
    drain();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (--activeWorkers_ == 0)
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
    activeWorkers_ = static_cast<uint32_t>(workers_.size());
    ++generation_;
  }
  wake_.notify_all();
  drain();
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [&] { return activeWorkers_ == 0; });
}

} // namespace ingot::runtime
