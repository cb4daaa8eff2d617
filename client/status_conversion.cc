#include "client/status_conversion.h"

#include "absl/strings/cord.h"
#include "google/rpc/status.pb.h"

namespace content {
namespace {

// Same convention as the server: the details as one google.rpc.Status.
constexpr char kRichStatusTypeUrl[] = "type.googleapis.com/google.rpc.Status";

}  // namespace

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status converted(static_cast<absl::StatusCode>(status.error_code()),
                         status.error_message());
  if (!status.error_details().empty()) {
    converted.SetPayload(kRichStatusTypeUrl,
                         absl::Cord(status.error_details()));
  }
  return converted;
}

std::vector<google::rpc::BadRequest::FieldViolation> FieldViolations(
    const absl::Status& status) {
  std::vector<google::rpc::BadRequest::FieldViolation> violations;
  absl::optional<absl::Cord> payload = status.GetPayload(kRichStatusTypeUrl);
  google::rpc::Status rich;
  if (!payload.has_value() || !rich.ParseFromString(std::string(*payload))) {
    return violations;
  }
  for (const google::protobuf::Any& detail : rich.details()) {
    google::rpc::BadRequest bad_request;
    if (detail.UnpackTo(&bad_request)) {
      violations.insert(violations.end(),
                        bad_request.field_violations().begin(),
                        bad_request.field_violations().end());
    }
  }
  return violations;
}

}  // namespace content
