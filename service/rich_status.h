#ifndef CONTENT_SERVICE_RICH_STATUS_H_
#define CONTENT_SERVICE_RICH_STATUS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace content {

// What is wrong with one request field. `field` is a path such as
// "article.related[2].web_url".
struct FieldViolation {
  std::string field;
  std::string description;
};

// "field: description; field: description", the message of InvalidArgument.
std::string DescribeViolations(const std::vector<FieldViolation>& violations);

// INVALID_ARGUMENT carrying a google.rpc.BadRequest detail with `violations`;
// the message lists them too, for clients that do not read details.
absl::Status InvalidArgument(const std::vector<FieldViolation>& violations);

// NOT_FOUND carrying one google.rpc.ResourceInfo detail per URL in `urls`.
absl::Status ArticlesNotFound(const std::vector<std::string>& urls);

// The one conversion from absl::Status to grpc::Status: same code and
// message, and the details added above travel as a google.rpc.Status in the
// grpc-status-details-bin trailer.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace content

#endif  // CONTENT_SERVICE_RICH_STATUS_H_
