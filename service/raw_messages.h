#ifndef CONTENT_SERVICE_RAW_MESSAGES_H_
#define CONTENT_SERVICE_RAW_MESSAGES_H_

// Protobuf wire bytes for the raw callback methods of ArticleServiceImpl,
// which send stored articles without parsing and serializing them again.

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/byte_buffer.h"

namespace content {

// Parses `bytes` into `request`; INVALID_ARGUMENT naming the request type if
// they are not one (malformed, or a string that is not UTF-8).
absl::Status ParseRequest(const grpc::ByteBuffer& bytes,
                          google::protobuf::Message* request);

// Appends field `field` holding `bytes` (a string, bytes or a serialized
// message) to the serialized message in `out`.
void AppendLengthDelimited(int field, absl::string_view bytes,
                           std::string* out);

// Appends varint field `field` holding `value` to `out`.
void AppendVarint(int field, uint64_t value, std::string* out);

// `bytes` as the response of a raw method.
grpc::ByteBuffer ToByteBuffer(const std::string& bytes);

}  // namespace content

#endif  // CONTENT_SERVICE_RAW_MESSAGES_H_
