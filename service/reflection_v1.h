#ifndef CONTENT_SERVICE_REFLECTION_V1_H_
#define CONTENT_SERVICE_REFLECTION_V1_H_

#include <string>
#include <vector>

#include "grpc/reflection/v1/reflection.grpc.pb.h"

namespace content {

// grpc.reflection.v1.ServerReflection, which gRPC 1.51 does not serve (its
// plugin serves only grpc.reflection.v1alpha, whose messages are the same);
// clients that speak v1 (buf curl, recent grpcurl) ask it first.
//
// Describes the files of the process's generated descriptor pool, which
// holds the services and the google.rpc error details (BadRequest,
// ResourceInfo) the server sends, so clients can resolve those by name
// (file_containing_symbol). Errors are ErrorResponse messages with
// NOT_FOUND (5) or INVALID_ARGUMENT (3), as the protocol defines.
//
// Thread-safe; uses the callback API, so an open stream costs no thread.
class ReflectionV1Service final
    : public grpc::reflection::v1::ServerReflection::CallbackService {
 public:
  // `services`: the full names list_services reports.
  explicit ReflectionV1Service(std::vector<std::string> services);

  grpc::ServerBidiReactor<grpc::reflection::v1::ServerReflectionRequest,
                          grpc::reflection::v1::ServerReflectionResponse>*
  ServerReflectionInfo(grpc::CallbackServerContext* context) override;

 private:
  class Stream;

  const std::vector<std::string> services_;
};

}  // namespace content

#endif  // CONTENT_SERVICE_REFLECTION_V1_H_
