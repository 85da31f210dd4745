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
  shares_ = std::make_unique<Share[]>(threadCount_);
  for (uint32_t i = 1; i < threadCount_; ++i)
    workers_.emplace_back([this, i] { workerLoop(i); });
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

bool ThreadPool::claim(Share &share, bool front, int64_t want, int64_t &begin,
                       int64_t &end) {
  uint64_t range = share.range.load(std::memory_order_relaxed);
  for (;;) {
    int64_t lo = static_cast<int64_t>(range & 0xffffffffu);
    int64_t hi = static_cast<int64_t>(range >> 32);
    if (lo >= hi)
      return false;
    int64_t take = std::min(want, hi - lo);
    if (front) {
      begin = lo;
      end = lo + take;
      lo = end;
    } else {
      begin = hi - take;
      end = hi;
      hi = begin;
    }
    uint64_t next = static_cast<uint64_t>(hi) << 32 | static_cast<uint64_t>(lo);
    if (share.range.compare_exchange_weak(range, next,
                                          std::memory_order_relaxed))
      return true;
  }
}

void ThreadPool::drain(Job &job, uint32_t self) {
  int64_t cap =
      std::max<int64_t>(job.count / (kMaxChunkShare * threadCount_), 1);
  for (uint32_t k = 0; k < threadCount_; ++k) {
    Share &share = shares_[(self + k) % threadCount_];
    bool own = k == 0;
    for (;;) {
      // A 1 / kChunksPerThread share of what is left of this share (1 /
      // (kChunksPerThread * threads) of the job at first), capped, at least
      // one item.
      uint64_t range = share.range.load(std::memory_order_relaxed);
      int64_t left = static_cast<int64_t>(range >> 32) -
                     static_cast<int64_t>(range & 0xffffffffu);
      int64_t want = std::clamp<int64_t>(left / kChunksPerThread, 1, cap);
      int64_t begin, end;
      if (!claim(share, own, want, begin, end))
        break;
      job.fn(job.context, begin, end);
      int64_t ran = end - begin;
      if (job.done.fetch_add(ran, std::memory_order_acq_rel) + ran ==
          job.count) {
        // Lock so the notification cannot slip between the submitter's
        // check and its wait.
        std::lock_guard<std::mutex> lock(mutex_);
        done_.notify_one();
      }
    }
  }
}

void ThreadPool::workerLoop(uint32_t self) {
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
    drain(*job, self);
    // The last access to the job.
    job->refs.fetch_sub(1, std::memory_order_release);
  }
}

void ThreadPool::parallelFor(int64_t count, TaskFn fn, void *context) {
  if (count <= 0)
    return;
  // Shares count items in 32 bits: more than 2^32 workgroups (which no
  // kernel has) run inline.
  if (workers_.empty() || count == 1 ||
      count > static_cast<int64_t>(UINT32_MAX)) {
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
    for (uint32_t t = 0; t < threadCount_; ++t) {
      uint64_t lo = static_cast<uint64_t>(count * t / threadCount_);
      uint64_t hi = static_cast<uint64_t>(count * (t + 1) / threadCount_);
      shares_[t].range.store(hi << 32 | lo, std::memory_order_relaxed);
    }
    current_ = &job;
    generation_.fetch_add(1, std::memory_order_release);
  }
  wake_.notify_all();
  drain(job, 0);
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
