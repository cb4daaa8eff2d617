#include "service/rich_status.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace content {
namespace {

// The details travel inside `status` as one payload: a google.rpc.Status
// (code and message unset) under its own type URL.
constexpr char kRichStatusTypeUrl[] = "type.googleapis.com/google.rpc.Status";

google::rpc::Status DetailsOf(const absl::Status& status) {
  google::rpc::Status rich;
  if (absl::optional<absl::Cord> payload =
          status.GetPayload(kRichStatusTypeUrl)) {
    rich.ParseFromString(std::string(*payload));
  }
  return rich;
}

void AddDetail(const google::protobuf::Message& detail, absl::Status* status) {
  google::rpc::Status rich = DetailsOf(*status);
  rich.add_details()->PackFrom(detail);
  status->SetPayload(kRichStatusTypeUrl, absl::Cord(rich.SerializeAsString()));
}

}  // namespace

std::string DescribeViolations(const std::vector<FieldViolation>& violations) {
  return absl::StrJoin(violations, "; ",
                       [](std::string* out, const FieldViolation& v) {
                         absl::StrAppend(out, v.field, ": ", v.description);
                       });
}

absl::Status InvalidArgument(const std::vector<FieldViolation>& violations) {
  google::rpc::BadRequest bad_request;
  for (const FieldViolation& violation : violations) {
    google::rpc::BadRequest::FieldViolation* detail =
        bad_request.add_field_violations();
    detail->set_field(violation.field);
    detail->set_description(violation.description);
  }
  absl::Status status =
      absl::InvalidArgumentError(DescribeViolations(violations));
  AddDetail(bad_request, &status);
  return status;
}

absl::Status ArticlesNotFound(const std::vector<std::string>& urls) {
  absl::Status status = absl::NotFoundError(
      absl::StrCat("no article for ", absl::StrJoin(urls, ", ")));
  for (const std::string& url : urls) {
    google::rpc::ResourceInfo info;
    info.set_resource_type("content.v1.Article");
    info.set_resource_name(url);
    info.set_description("no article is stored under this URL");
    AddDetail(info, &status);
  }
  return status;
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  google::rpc::Status rich = DetailsOf(status);
  rich.set_code(static_cast<int>(status.code()));
  rich.set_message(std::string(status.message()));
  // absl and gRPC share canonical code numbers.
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()),
                      rich.details_size() > 0 ? rich.SerializeAsString() : "");
}

}  // namespace content
