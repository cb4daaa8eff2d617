#include "bench/latency_log.h"

#include <algorithm>

#include "absl/strings/str_format.h"

namespace content::bench {

void LatencyLog::Record(absl::Duration latency, bool ok) {
  std::lock_guard<std::mutex> lock(mu_);
  if (ok) {
    nanos_.push_back(absl::ToInt64Nanoseconds(latency));
  } else {
    ++errors_;
  }
}

std::string LatencyLog::Header() {
  return "| scenario | load | calls | errors | calls/s | p50 ms | p90 ms | "
         "p99 ms | p99.9 ms | server CPU µs/call |\n"
         "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|";
}

std::string LatencyLog::Row(const std::string& scenario,
                            const std::string& mode, absl::Duration elapsed,
                            double server_cpu_seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  std::sort(nanos_.begin(), nanos_.end());
  const auto percentile = [this](double p) {
    if (nanos_.empty()) return 0.0;
    const size_t index =
        std::min(nanos_.size() - 1, static_cast<size_t>(p * nanos_.size()));
    return nanos_[index] / 1e6;
  };
  const std::string cpu =
      server_cpu_seconds < 0 || nanos_.empty()
          ? "-"
          : absl::StrFormat("%.1f", server_cpu_seconds * 1e6 / nanos_.size());
  return absl::StrFormat(
      "| %s | %s | %d | %d | %.0f | %.3f | %.3f | %.3f | %.3f | %s |", scenario,
      mode, nanos_.size(), errors_,
      nanos_.size() / absl::ToDoubleSeconds(elapsed), percentile(0.5),
      percentile(0.9), percentile(0.99), percentile(0.999), cpu);
}

}  // namespace content::bench
