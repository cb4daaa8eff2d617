#ifndef CONTENT_TOOLS_CONTENTCTL_CLI_OUTPUT_H_
#define CONTENT_TOOLS_CONTENTCTL_CLI_OUTPUT_H_

#include <ostream>

#include "absl/status/status.h"

namespace content {

// contentctl's exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // the server or a file said no
inline constexpr int kExitUsage = 2;

// Prints a failed call on `err` (the status code and message, or each field
// violation on its own line) and returns kExitFailed.
int ReportFailure(const absl::Status& status, std::ostream& err);

}  // namespace content

#endif  // CONTENT_TOOLS_CONTENTCTL_CLI_OUTPUT_H_
