#include "tools/contentctl/cli_output.h"

#include "client/status_conversion.h"

namespace content {

int ReportFailure(const absl::Status& status, std::ostream& err) {
  err << "contentctl: " << absl::StatusCodeToString(status.code());
  const auto violations = FieldViolations(status);
  if (violations.empty()) err << ": " << status.message();
  err << "\n";
  for (const auto& violation : violations) {
    err << "  " << violation.field() << ": " << violation.description() << "\n";
  }
  return kExitFailed;
}

}  // namespace content
