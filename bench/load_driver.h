#ifndef CONTENT_BENCH_LOAD_DRIVER_H_
#define CONTENT_BENCH_LOAD_DRIVER_H_

#include <cstdint>
#include <functional>

#include "absl/time/time.h"
#include "bench/latency_log.h"

namespace content::bench {

// Starts call number `i` without blocking and calls `done(ok)` exactly once
// when it ends, from any thread.
using AsyncCall =
    std::function<void(uint64_t i, std::function<void(bool ok)> done)>;

// Closed loop: `concurrency` calls always in flight, each started as soon as
// the previous one of its slot ends, for `duration`. Returns the time taken.
absl::Duration RunClosedLoop(const AsyncCall& call, int concurrency,
                             absl::Duration duration, LatencyLog* log);

// Open loop: calls start on a fixed schedule of `rate` per second for
// `duration`, whatever the server's pace; each latency is measured from the
// call's scheduled start, so a stalled server is charged for every call it
// delayed (no coordinated omission). Returns the time taken.
absl::Duration RunOpenLoop(const AsyncCall& call, double rate,
                           absl::Duration duration, LatencyLog* log);

// `threads` threads each run blocking `call`s back to back for `duration`
// (for the store without gRPC). Returns the time taken.
absl::Duration RunThreads(const std::function<bool(uint64_t i)>& call,
                          int threads, absl::Duration duration,
                          LatencyLog* log);

// `threads` threads run blocking `call`s for i = 0 .. count - 1, each once
// (bulk loads). Returns how many returned false.
uint64_t RunEach(const std::function<bool(uint64_t i)>& call, int threads,
                 uint64_t count);

}  // namespace content::bench

#endif  // CONTENT_BENCH_LOAD_DRIVER_H_
