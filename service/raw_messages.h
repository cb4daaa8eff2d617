#ifndef CONTENT_SERVICE_RAW_MESSAGES_H_
#define CONTENT_SERVICE_RAW_MESSAGES_H_

// Protobuf wire bytes for the raw callback methods of ArticleServiceImpl,
// which send stored articles without parsing and serializing them again.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "google/protobuf/wire_format_lite.h"
#include "grpcpp/support/byte_buffer.h"

namespace content {

// Parses `bytes` into `request`; INVALID_ARGUMENT naming the request type if
// they are not one (malformed, or a string that is not UTF-8).
absl::Status ParseRequest(const grpc::ByteBuffer& bytes,
                          google::protobuf::Message* request);

// Assembles a serialized message as a chain of slices: the small fields
// are written into a buffer, and the large ones (stored articles) are taken
// over and handed to gRPC as they are, never copied.
class RawMessageBuilder {
 public:
  // Appends field `field` holding `bytes` (a string, bytes or a serialized
  // message).
  void AddLengthDelimited(int field, std::string bytes);
  // Appends varint field `field` holding `value`.
  void AddVarint(int field, uint64_t value);
  // The message, as the response of a raw method.
  grpc::ByteBuffer Finish();

 private:
  void AddTag(int field,
              google::protobuf::internal::WireFormatLite::WireType wire_type);
  void AddVarintBytes(uint64_t value);
  // Ends the current buffer of small fields with a slice of it.
  void CloseBuffer();

  std::string buffer_;
  std::vector<grpc::Slice> slices_;
};

}  // namespace content

#endif  // CONTENT_SERVICE_RAW_MESSAGES_H_
