#ifndef CONTENT_BENCH_LATENCY_LOG_H_
#define CONTENT_BENCH_LATENCY_LOG_H_

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace content::bench {

// Latencies of the calls of one run, from any thread, and the table row
// that summarises them.
class LatencyLog {
 public:
  void Record(absl::Duration latency, bool ok);

  // "| scenario | load | calls | errors | calls/s | p50 | p90 | p99 | p99.9 |
  // server CPU µs per call |", latencies in milliseconds, over `elapsed`;
  // `server_cpu_seconds` < 0 when unknown.
  std::string Row(const std::string& scenario, const std::string& mode,
                  absl::Duration elapsed, double server_cpu_seconds);

  static std::string Header();

 private:
  std::mutex mu_;
  std::vector<int64_t> nanos_;  // of successful calls
  int64_t errors_ = 0;
};

}  // namespace content::bench

#endif  // CONTENT_BENCH_LATENCY_LOG_H_
