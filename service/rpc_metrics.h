#ifndef CONTENT_SERVICE_RPC_METRICS_H_
#define CONTENT_SERVICE_RPC_METRICS_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/support/status.h"

namespace content {

// Per-method RPC figures in Prometheus form: calls by status code, latency
// histograms, calls in flight. Method names come from the server's own
// registered methods, so the label sets stay bounded. Thread-safe.
class RpcMetrics {
 public:
  // Upper bounds of the latency buckets, in seconds.
  static constexpr std::array<double, 14> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
      0.1,    0.25,  0.5,    1,     2.5,  5,     10};

  void CallStarted(const std::string& method);
  void CallFinished(const std::string& method, grpc::StatusCode code,
                    absl::Duration latency);

  // Appends the families content_rpc_requests_total,
  // content_rpc_duration_seconds and content_rpc_in_flight.
  void Render(std::string* out) const;

 private:
  struct MethodFigures {
    std::map<int, int64_t> calls_by_code;
    std::array<int64_t, kBuckets.size()> buckets{};  // not cumulative
    int64_t count = 0;
    double seconds = 0;
    int64_t in_flight = 0;
  };

  mutable absl::Mutex mu_;
  std::map<std::string, MethodFigures> methods_ ABSL_GUARDED_BY(mu_);
};

}  // namespace content

#endif  // CONTENT_SERVICE_RPC_METRICS_H_
