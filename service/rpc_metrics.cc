#include "service/rpc_metrics.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace content {

void RpcMetrics::CallStarted(const std::string& method) {
  absl::MutexLock lock(&mu_);
  ++methods_[method].in_flight;
}

void RpcMetrics::CallFinished(const std::string& method, grpc::StatusCode code,
                              absl::Duration latency) {
  const double seconds = absl::ToDoubleSeconds(latency);
  absl::MutexLock lock(&mu_);
  MethodFigures& figures = methods_[method];
  --figures.in_flight;
  ++figures.calls_by_code[static_cast<int>(code)];
  ++figures.count;
  figures.seconds += seconds;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++figures.buckets[i];
      break;
    }
  }
}

void RpcMetrics::Render(std::string* out) const {
  absl::MutexLock lock(&mu_);
  out->append(
      "# HELP content_rpc_requests_total RPCs finished, by method and status "
      "code.\n# TYPE content_rpc_requests_total counter\n");
  for (const auto& [method, figures] : methods_) {
    for (const auto& [code, calls] : figures.calls_by_code) {
      absl::StrAppend(
          out, "content_rpc_requests_total{method=\"", method, "\",code=\"",
          absl::StatusCodeToString(static_cast<absl::StatusCode>(code)), "\"} ",
          calls, "\n");
    }
  }
  out->append(
      "# HELP content_rpc_duration_seconds Time from the start of an RPC to "
      "its status.\n# TYPE content_rpc_duration_seconds histogram\n");
  for (const auto& [method, figures] : methods_) {
    int64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += figures.buckets[i];
      absl::StrAppendFormat(
          out,
          "content_rpc_duration_seconds_bucket{method=\"%s\",le=\"%g\"} %d\n",
          method, kBuckets[i], cumulative);
    }
    absl::StrAppend(out, "content_rpc_duration_seconds_bucket{method=\"",
                    method, "\",le=\"+Inf\"} ", figures.count, "\n");
    absl::StrAppendFormat(
        out, "content_rpc_duration_seconds_sum{method=\"%s\"} %.6f\n", method,
        figures.seconds);
    absl::StrAppend(out, "content_rpc_duration_seconds_count{method=\"", method,
                    "\"} ", figures.count, "\n");
  }
  out->append(
      "# HELP content_rpc_in_flight RPCs started and not yet finished.\n"
      "# TYPE content_rpc_in_flight gauge\n");
  for (const auto& [method, figures] : methods_) {
    absl::StrAppend(out, "content_rpc_in_flight{method=\"", method, "\"} ",
                    figures.in_flight, "\n");
  }
}

}  // namespace content
