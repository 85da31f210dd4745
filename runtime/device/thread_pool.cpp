//===- thread_pool.cpp - CPU device thread pool -----------------*- C++ -*-===//

#include "runtime/device/thread_pool.h"

#include <algorithm>
#include <chrono>

namespace ingot::runtime {

namespace {

/// Chunks per thread and round of guided scheduling: each claim takes
/// 1 / (kChunksPerThread * threads) of the items left (at least one).
constexpr int64_t kChunksPerThread = 2;
/// A claim takes at most 1 / (kMaxChunkShare * threads) of all the items: a
/// thread preempted inside a chunk (on a busy machine) holds back little.
constexpr int64_t kMaxChunkShare = 16;

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

void ThreadPool::drain(Job &job) {
  int64_t begin = job.next.load(std::memory_order_relaxed);
  for (;;) {
    // Claim [begin, end): a 1 / (kChunksPerThread * threads) share of the
    // items left, at most 1 / (kMaxChunkShare * threads) of all, at least
    // one.
    int64_t end;
    do {
      if (begin >= job.count)
        return;
      int64_t share =
          std::min((job.count - begin) / (kChunksPerThread * threadCount_),
                   job.count / (kMaxChunkShare * threadCount_));
      end = begin + std::max<int64_t>(share, 1);
    } while (
        !job.next.compare_exchange_weak(begin, end, std::memory_order_relaxed));
    job.fn(job.context, begin, end);
    int64_t ran = end - begin;
    begin = job.next.load(std::memory_order_relaxed);
    if (job.done.fetch_add(ran, std::memory_order_acq_rel) + ran == job.count) {
      // Lock so the notification cannot slip between the submitter's check
      // and its wait.
      std::lock_guard<std::mutex> lock(mutex_);
      done_.notify_one();
    }
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
    Job *job = nullptr;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      seen = generation_.load(std::memory_order_acquire);
      job = current_;
      if (job)
        job->refs.fetch_add(1, std::memory_order_relaxed);
    }
    if (!job)
      continue; // Woke after the job was closed.
    drain(*job);
    // The last access to the job.
    job->refs.fetch_sub(1, std::memory_order_release);
  }
}

void ThreadPool::parallelFor(int64_t count, TaskFn fn, void *context) {
  if (count <= 0)
    return;
  if (workers_.empty() || count == 1) {
    fn(context, 0, count);
    return;
  }
  std::lock_guard<std::mutex> submit(submitMutex_);
  Job job;
  job.fn = fn;
  job.context = context;
  job.count = count;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    current_ = &job;
    generation_.fetch_add(1, std::memory_order_release);
  }
  wake_.notify_all();
  drain(job);
  auto finished = [&] {
    return job.done.load(std::memory_order_acquire) == count;
  };
  if (!spinUntil(finished)) {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, finished);
  }
  // Close the job: workers waking from now on skip it. Those inside it have
  // nothing left to claim and leave at once.
  {
    std::lock_guard<std::mutex> lock(mutex_);
    current_ = nullptr;
  }
  while (job.refs.load(std::memory_order_acquire) != 0)
    std::this_thread::yield();
}

} // namespace ingot::runtime
