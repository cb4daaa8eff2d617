#include "service/raw_messages.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"

namespace content {
namespace {

using google::protobuf::internal::WireFormatLite;

}  // namespace

absl::Status ParseRequest(const grpc::ByteBuffer& bytes,
                          google::protobuf::Message* request) {
  grpc::Slice flat;
  if (!bytes.TrySingleSlice(&flat).ok() &&
      !bytes.DumpToSingleSlice(&flat).ok()) {
    return absl::InternalError("cannot read the request");
  }
  if (!request->ParseFromArray(flat.begin(), static_cast<int>(flat.size()))) {
    return absl::InvalidArgumentError(
        absl::StrCat("the request is not a ", request->GetTypeName(),
                     " (malformed bytes, or a string that is not UTF-8)"));
  }
  return absl::OkStatus();
}

void AppendLengthDelimited(int field, absl::string_view bytes,
                           std::string* out) {
  google::protobuf::io::StringOutputStream stream(out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.WriteTag(WireFormatLite::MakeTag(
      field, WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
  coded.WriteVarint32(static_cast<uint32_t>(bytes.size()));
  coded.WriteRaw(bytes.data(), static_cast<int>(bytes.size()));
}

void AppendVarint(int field, uint64_t value, std::string* out) {
  google::protobuf::io::StringOutputStream stream(out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.WriteTag(
      WireFormatLite::MakeTag(field, WireFormatLite::WIRETYPE_VARINT));
  coded.WriteVarint64(value);
}

grpc::ByteBuffer ToByteBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

}  // namespace content
