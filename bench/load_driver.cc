#include "bench/load_driver.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/time/clock.h"

namespace content::bench {
namespace {

// Counts calls in flight and lets the caller wait for the last one.
class InFlight {
 public:
  void Add() {
    std::lock_guard<std::mutex> lock(mu_);
    ++count_;
  }
  void Done() {
    std::lock_guard<std::mutex> lock(mu_);
    if (--count_ == 0) zero_.notify_all();
  }
  // Waits at most `limit` for every call to end.
  void Wait(absl::Duration limit) {
    std::unique_lock<std::mutex> lock(mu_);
    zero_.wait_for(lock, absl::ToChronoSeconds(limit),
                   [this] { return count_ == 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable zero_;
  int64_t count_ = 0;
};

// Calls that take longer than this after the run are abandoned.
constexpr absl::Duration kDrainLimit = absl::Seconds(30);

}  // namespace

absl::Duration RunClosedLoop(const AsyncCall& call, int concurrency,
                             absl::Duration duration, LatencyLog* log) {
  const absl::Time start = absl::Now();
  const absl::Time end = start + duration;
  std::atomic<uint64_t> next{0};
  InFlight in_flight;
  // One slot: a call, and on its end the next, until `end`.
  std::function<void()> start_call = [&] {
    const absl::Time begun = absl::Now();
    call(next++, [&, begun](bool ok) {
      const absl::Time now = absl::Now();
      log->Record(now - begun, ok);
      if (now < end) {
        start_call();
      } else {
        in_flight.Done();
      }
    });
  };
  for (int i = 0; i < concurrency; ++i) {
    in_flight.Add();
    start_call();
  }
  in_flight.Wait(duration + kDrainLimit);
  return absl::Now() - start;
}

absl::Duration RunOpenLoop(const AsyncCall& call, double rate,
                           absl::Duration duration, LatencyLog* log) {
  const absl::Time start = absl::Now();
  const absl::Duration interval = absl::Seconds(1) / rate;
  const uint64_t calls =
      static_cast<uint64_t>(absl::ToDoubleSeconds(duration) * rate);
  InFlight in_flight;
  for (uint64_t i = 0; i < calls; ++i) {
    const absl::Time scheduled = start + interval * static_cast<double>(i);
    absl::SleepFor(scheduled - absl::Now());  // no-op when behind
    in_flight.Add();
    call(i, [&, scheduled](bool ok) {
      log->Record(absl::Now() - scheduled, ok);
      in_flight.Done();
    });
  }
  in_flight.Wait(kDrainLimit);
  return absl::Now() - start;
}

absl::Duration RunThreads(const std::function<bool(uint64_t i)>& call,
                          int threads, absl::Duration duration,
                          LatencyLog* log) {
  const absl::Time start = absl::Now();
  const absl::Time end = start + duration;
  std::atomic<uint64_t> next{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (absl::Time now = absl::Now(); now < end;) {
        const bool ok = call(next++);
        const absl::Time done = absl::Now();
        log->Record(done - now, ok);
        now = done;
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  return absl::Now() - start;
}

uint64_t RunEach(const std::function<bool(uint64_t i)>& call, int threads,
                 uint64_t count) {
  std::atomic<uint64_t> next{0};
  std::atomic<uint64_t> failed{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (uint64_t i = next++; i < count; i = next++) {
        if (!call(i)) ++failed;
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  return failed;
}

}  // namespace content::bench
