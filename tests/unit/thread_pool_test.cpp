//===- thread_pool_test.cpp - CPU device thread pool tests ------*- C++ -*-===//

#include "runtime/device/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <gtest/gtest.h>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace {

using ingot::runtime::ThreadPool;

TEST(ThreadPool, RunsEveryItemExactlyOnce) {
  for (uint32_t threads : {1u, 2u, 4u}) {
    ThreadPool pool(threads);
    EXPECT_EQ(pool.threadCount(), threads);
    for (int64_t count : {0, 1, 2, 3, 17, 1000}) {
      for (int round = 0; round < 5; ++round) {
        std::vector<std::atomic<int>> hits(count);
        pool.parallelFor(
            count,
            [](void *context, int64_t begin, int64_t end) {
              for (int64_t index = begin; index < end; ++index)
                (*static_cast<std::vector<std::atomic<int>> *>(
                    context))[index]++;
            },
            &hits);
        for (int64_t i = 0; i < count; ++i)
          ASSERT_EQ(hits[i].load(), 1) << "item " << i << " of " << count;
      }
    }
  }
}

/// Many small jobs back to back, with pauses that let the workers fall
/// asleep, on more threads than cores: workers wake late, find a job closed
/// or a newer one, and must never run an item of a job that has returned
/// (each job's state lives on the caller's stack).
TEST(ThreadPool, LateWorkersNeverTouchFinishedJobs) {
  ThreadPool pool(6);
  for (int round = 0; round < 3000; ++round) {
    int64_t count = 2 + round % 5;
    std::vector<std::atomic<int>> hits(count);
    pool.parallelFor(
        count,
        [](void *context, int64_t begin, int64_t end) {
          for (int64_t index = begin; index < end; ++index)
            (*static_cast<std::vector<std::atomic<int>> *>(context))[index]++;
        },
        &hits);
    for (int64_t i = 0; i < count; ++i)
      ASSERT_EQ(hits[i].load(), 1) << "round " << round << " item " << i;
    if (round % 100 == 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

/// Ranges handed to the callback of the chunking test.
struct Ranges {
  std::mutex mutex;
  std::vector<std::pair<int64_t, int64_t>> ranges;
};

/// Thousands of tiny items (an im2col copy of many rows) are claimed in
/// chunks: a handful of calls, not one per item, and they tile [0, count).
TEST(ThreadPool, ClaimsTinyItemsInChunks) {
  for (uint32_t threads : {2u, 4u}) {
    ThreadPool pool(threads);
    const int64_t count = 100000;
    Ranges state;
    pool.parallelFor(
        count,
        [](void *context, int64_t begin, int64_t end) {
          auto *state = static_cast<Ranges *>(context);
          std::lock_guard<std::mutex> lock(state->mutex);
          state->ranges.emplace_back(begin, end);
        },
        &state);
    std::sort(state.ranges.begin(), state.ranges.end());
    int64_t next = 0;
    for (auto [begin, end] : state.ranges) {
      ASSERT_EQ(begin, next);
      ASSERT_LT(begin, end);
      next = end;
    }
    EXPECT_EQ(next, count);
    // Guided, capped at 1 / (16 * threads) of all: about 16 * threads
    // claims at the cap, then 2 * threads * ln(count / 8) as shares shrink;
    // one per item would be 100000.
    EXPECT_LT(state.ranges.size(), 250u) << threads << " threads";
  }
}

/// Counts the calling thread in `arrived` and waits until `expected` threads
/// have arrived; returns false (and sets `timedOut`) after 20 s.
bool arriveAndWait(std::atomic<int> &arrived, int expected,
                   std::atomic<bool> &timedOut) {
  arrived++;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (arrived.load() < expected) {
    if (std::chrono::steady_clock::now() > deadline) {
      timedOut = true;
      return false;
    }
    std::this_thread::yield();
  }
  return true;
}

/// Shared state of the concurrency test.
struct Rendezvous {
  std::atomic<int> arrived{0};
  std::atomic<bool> timedOut{false};
  std::mutex mutex;
  std::set<std::thread::id> threads;
};

TEST(ThreadPool, UsesSeveralThreadsConcurrently) {
  // Each of the two items waits until both are running: only succeeds if
  // the pool really runs them on two threads at once.
  ThreadPool pool(2);
  Rendezvous state;
  pool.parallelFor(
      2,
      [](void *context, int64_t, int64_t) {
        auto *state = static_cast<Rendezvous *>(context);
        {
          std::lock_guard<std::mutex> lock(state->mutex);
          state->threads.insert(std::this_thread::get_id());
        }
        arriveAndWait(state->arrived, 2, state->timedOut);
      },
      &state);
  EXPECT_FALSE(state.timedOut.load());
  EXPECT_EQ(state.threads.size(), 2u);
}

/// Shared state of the affinity test: which thread ran each item.
struct Owners {
  std::atomic<int> arrived{0};
  std::atomic<bool> timedOut{false};
  int expected = 0;
  std::mutex mutex;
  std::vector<std::thread::id> owner;
};

/// Each thread starts with its own contiguous share of the items, so the
/// same item lands on the same thread dispatch after dispatch (a layer's
/// rows stay in the cache of the core that wrote them). Every item waits
/// until all are running, so no thread can take a second one and the
/// assignment is deterministic.
TEST(ThreadPool, EachThreadRunsItsOwnShareFirst) {
  constexpr int threads = 4;
  ThreadPool pool(threads);
  std::vector<std::thread::id> first;
  for (int round = 0; round < 2; ++round) {
    Owners state;
    state.expected = threads;
    state.owner.resize(threads);
    pool.parallelFor(
        threads,
        [](void *context, int64_t begin, int64_t end) {
          auto *state = static_cast<Owners *>(context);
          for (int64_t i = begin; i < end; ++i) {
            {
              std::lock_guard<std::mutex> lock(state->mutex);
              state->owner[i] = std::this_thread::get_id();
            }
            if (!arriveAndWait(state->arrived, state->expected,
                               state->timedOut))
              return;
          }
        },
        &state);
    ASSERT_FALSE(state.timedOut.load());
    EXPECT_EQ(state.owner[0], std::this_thread::get_id());
    std::set<std::thread::id> distinct(state.owner.begin(), state.owner.end());
    EXPECT_EQ(distinct.size(), static_cast<size_t>(threads));
    if (round == 0)
      first = state.owner;
    else
      EXPECT_EQ(state.owner, first);
  }
}

TEST(ThreadPool, InlineWithOneThread) {
  ThreadPool pool(1);
  std::thread::id caller = std::this_thread::get_id();
  std::set<std::thread::id> seen;
  pool.parallelFor(
      10,
      [](void *context, int64_t, int64_t) {
        static_cast<std::set<std::thread::id> *>(context)->insert(
            std::this_thread::get_id());
      },
      &seen);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(*seen.begin(), caller);
}

} // namespace
