#include "service/log.h"

#include "gtest/gtest.h"

namespace content {
namespace {

const absl::Time kNoon = absl::FromUnixMillis(1764158400123);  // 2025-11-26

TEST(FormatLogLineTest, PlainIsLogfmtWithQuotedValuesWhereNeeded) {
  EXPECT_EQ(FormatLogLine(LogFormat::kPlain, kNoon, "info", "listening",
                          {{"address", "127.0.0.1:50051"},
                           {"error", "no \"space\" left"},
                           {"empty", ""}}),
            "time=2025-11-26T12:00:00.123Z level=info event=listening "
            "address=127.0.0.1:50051 error=\"no \\\"space\\\" left\" "
            "empty=\"\"\n");
}

TEST(FormatLogLineTest, JsonIsOneObjectPerLineWithEscapes) {
  EXPECT_EQ(FormatLogLine(LogFormat::kJson, kNoon, "error", "start_failed",
                          {{"error", "bad\n\"path\"\\\x01"}}),
            "{\"time\":\"2025-11-26T12:00:00.123Z\",\"level\":\"error\","
            "\"event\":\"start_failed\",\"error\":\"bad\\n\\\"path\\\"\\\\"
            "\\u0001\"}\n");
}

}  // namespace
}  // namespace content
