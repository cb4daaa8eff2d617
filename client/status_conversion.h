#ifndef CONTENT_CLIENT_STATUS_CONVERSION_H_
#define CONTENT_CLIENT_STATUS_CONVERSION_H_

#include <vector>

#include "absl/status/status.h"
#include "google/rpc/error_details.pb.h"
#include "grpcpp/support/status.h"

namespace content {

// The one conversion from grpc::Status to absl::Status: same code and
// message; the google.rpc.Status details the server sent, if any, ride along
// as a payload for the accessors below.
absl::Status FromGrpcStatus(const grpc::Status& status);

// The field violations of every google.rpc.BadRequest detail in `status`.
std::vector<google::rpc::BadRequest::FieldViolation> FieldViolations(
    const absl::Status& status);

}  // namespace content

#endif  // CONTENT_CLIENT_STATUS_CONVERSION_H_
