#include "service/raw_messages.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
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

void RawMessageBuilder::AddTag(int field, WireFormatLite::WireType wire_type) {
  AddVarintBytes(WireFormatLite::MakeTag(field, wire_type));
}

void RawMessageBuilder::AddVarintBytes(uint64_t value) {
  uint8_t bytes[10];  // a varint of 64 bits takes at most 10 bytes
  const uint8_t* end =
      google::protobuf::io::CodedOutputStream::WriteVarint64ToArray(value,
                                                                    bytes);
  buffer_.append(reinterpret_cast<const char*>(bytes), end - bytes);
}

void RawMessageBuilder::AddLengthDelimited(int field, std::string bytes) {
  AddTag(field, WireFormatLite::WIRETYPE_LENGTH_DELIMITED);
  AddVarintBytes(bytes.size());
  // Below this size a copy costs less than a slice of its own.
  constexpr size_t kOwnSliceBytes = 1024;
  if (bytes.size() < kOwnSliceBytes) {
    buffer_.append(bytes);
    return;
  }
  CloseBuffer();
  auto* owned = new std::string(std::move(bytes));
  slices_.emplace_back(
      owned->data(), owned->size(),
      [](void* data) { delete static_cast<std::string*>(data); }, owned);
}

void RawMessageBuilder::AddVarint(int field, uint64_t value) {
  AddTag(field, WireFormatLite::WIRETYPE_VARINT);
  AddVarintBytes(value);
}

void RawMessageBuilder::CloseBuffer() {
  if (buffer_.empty()) return;
  slices_.emplace_back(buffer_);
  buffer_.clear();
}

grpc::ByteBuffer RawMessageBuilder::Finish() {
  CloseBuffer();
  return grpc::ByteBuffer(slices_.data(), slices_.size());
}

}  // namespace content
