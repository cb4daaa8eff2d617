#include "service/rpc_metrics.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace content {
namespace {

using ::testing::HasSubstr;

TEST(RpcMetricsTest, RendersCountsCumulativeBucketsAndInFlight) {
  RpcMetrics metrics;
  metrics.CallStarted("/m/Get");
  metrics.CallStarted("/m/Get");
  metrics.CallStarted("/m/Get");
  metrics.CallFinished("/m/Get", grpc::StatusCode::OK, absl::Microseconds(300));
  metrics.CallFinished("/m/Get", grpc::StatusCode::NOT_FOUND,
                       absl::Milliseconds(20));
  std::string out;
  metrics.Render(&out);
  EXPECT_THAT(out, HasSubstr("content_rpc_requests_total{method=\"/m/Get\","
                             "code=\"OK\"} 1\n"));
  EXPECT_THAT(out, HasSubstr("content_rpc_requests_total{method=\"/m/Get\","
                             "code=\"NOT_FOUND\"} 1\n"));
  EXPECT_THAT(out, HasSubstr("content_rpc_duration_seconds_bucket{method=\"/m/"
                             "Get\",le=\"0.0005\"} 1\n"));
  EXPECT_THAT(out, HasSubstr("content_rpc_duration_seconds_bucket{method=\"/m/"
                             "Get\",le=\"0.01\"} 1\n"));
  EXPECT_THAT(out, HasSubstr("content_rpc_duration_seconds_bucket{method=\"/m/"
                             "Get\",le=\"0.025\"} 2\n"));
  EXPECT_THAT(out, HasSubstr("content_rpc_duration_seconds_bucket{method=\"/m/"
                             "Get\",le=\"+Inf\"} 2\n"));
  EXPECT_THAT(out, HasSubstr("content_rpc_duration_seconds_sum{method=\"/m/"
                             "Get\"} 0.020300\n"));
  EXPECT_THAT(out, HasSubstr("content_rpc_in_flight{method=\"/m/Get\"} 1\n"));
}

}  // namespace
}  // namespace content
