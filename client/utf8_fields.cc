#include "client/utf8_fields.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/utf8.h"
#include "google/protobuf/descriptor.h"

namespace content {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

absl::Status Invalid(const std::string& path, size_t offset) {
  return absl::InvalidArgumentError(
      absl::StrCat(path, ": byte ", offset + 1,
                   " is not UTF-8 (protobuf strings must be UTF-8; convert "
                   "the text, e.g. from Latin-1, before sending)"));
}

absl::Status CheckMessage(const Message& message, const std::string& path);

// Checks one value of `field` (index `index` when repeated, else -1).
absl::Status CheckValue(const Message& message, const FieldDescriptor& field,
                        int index, const std::string& path) {
  const Reflection& reflection = *message.GetReflection();
  if (field.type() == FieldDescriptor::TYPE_STRING) {
    std::string scratch;
    const std::string& text =
        index < 0 ? reflection.GetStringReference(message, &field, &scratch)
                  : reflection.GetRepeatedStringReference(message, &field,
                                                          index, &scratch);
    const size_t bad = FirstInvalidUtf8(text);
    return bad == text.size() ? absl::OkStatus() : Invalid(path, bad);
  }
  if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    return CheckMessage(
        index < 0 ? reflection.GetMessage(message, &field)
                  : reflection.GetRepeatedMessage(message, &field, index),
        path);
  }
  return absl::OkStatus();
}

absl::Status CheckMessage(const Message& message, const std::string& path) {
  std::vector<const FieldDescriptor*> fields;
  message.GetReflection()->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const std::string field_path =
        path.empty() ? field->name() : absl::StrCat(path, ".", field->name());
    if (!field->is_repeated()) {
      absl::Status status = CheckValue(message, *field, -1, field_path);
      if (!status.ok()) return status;
      continue;
    }
    const int size = message.GetReflection()->FieldSize(message, field);
    for (int i = 0; i < size; ++i) {
      absl::Status status =
          CheckValue(message, *field, i, absl::StrCat(field_path, "[", i, "]"));
      if (!status.ok()) return status;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckUtf8Fields(const Message& message, absl::string_view root) {
  return CheckMessage(message, std::string(root));
}

}  // namespace content
