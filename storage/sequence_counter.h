#ifndef CONTENT_STORAGE_SEQUENCE_COUNTER_H_
#define CONTENT_STORAGE_SEQUENCE_COUNTER_H_

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "absl/base/thread_annotations.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace content {

// A sequence that only grows, and waits for it: the engines' LastSequence
// and WaitForSequence. Thread-safe.
class SequenceCounter {
 public:
  explicit SequenceCounter(int64_t initial) : value_(initial) {}

  int64_t Load() {
    std::lock_guard<std::mutex> lock(mu_);
    return value_;
  }

  // Sets the sequence to `value` (never lower) and wakes the waiters.
  void Advance(int64_t value) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      value_ = std::max(value_, value);
    }
    changed_.notify_all();
  }

  // Waits until the sequence reaches `value` or `deadline` passes; returns
  // the sequence.
  int64_t WaitFor(int64_t value, absl::Time deadline) {
    // Far-future deadlines overflow the conversion to a chrono time point.
    deadline = std::min(deadline, absl::Now() + absl::Hours(24));
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait_until(lock, absl::ToChronoTime(deadline),
                        [this, value]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
                          return value_ >= value;
                        });
    return value_;
  }

 private:
  // std::mutex rather than absl::Mutex: ThreadSanitizer sees its
  // synchronisation (pthreads), not that of Debian's uninstrumented absl.
  std::mutex mu_;
  std::condition_variable changed_;
  int64_t value_ ABSL_GUARDED_BY(mu_);
};

}  // namespace content

#endif  // CONTENT_STORAGE_SEQUENCE_COUNTER_H_
