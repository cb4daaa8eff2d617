#include "service/article_masks.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/field_mask_util.h"
#include "service/rich_status.h"

namespace content {
namespace {

using google::protobuf::FieldMask;
using google::protobuf::util::FieldMaskUtil;

constexpr absl::string_view kOutputOnly[] = {"revision", "create_time",
                                             "update_time", "etag"};

bool IsAll(const FieldMask& mask) {
  return mask.paths_size() == 1 && mask.paths(0) == "*";
}

// Clears the field a valid `path` names in `message`.
void ClearPath(const std::string& path, google::protobuf::Message* message) {
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  if (!FieldMaskUtil::GetFieldDescriptors(message->GetDescriptor(), path,
                                          &fields)) {
    return;
  }
  for (size_t i = 0; i + 1 < fields.size(); ++i) {
    message = message->GetReflection()->MutableMessage(message, fields[i]);
  }
  message->GetReflection()->ClearField(message, fields.back());
}

}  // namespace

absl::StatusOr<FieldMask> NormalizeArticleMask(absl::string_view field,
                                               const FieldMask& mask) {
  FieldMask normalized;
  if (IsAll(mask)) return mask;
  for (const std::string& path : mask.paths()) {
    std::string snake = path;
    FieldMask converted;  // the JSON form's paths are camelCase
    if (!FieldMaskUtil::IsValidPath<v1::Article>(snake) &&
        FieldMaskUtil::FromJsonString(path, &converted) &&
        converted.paths_size() == 1) {
      snake = converted.paths(0);
    }
    if (!FieldMaskUtil::IsValidPath<v1::Article>(snake)) {
      return InvalidArgument(
          {{std::string(field),
            absl::StrCat("path '", path,
                         "' is not a field of content.v1.Article",
                         path == "*" ? " (* must be the only path)" : "")}});
    }
    normalized.add_paths(std::move(snake));
  }
  return normalized;
}

void ApplyReadMask(const FieldMask& mask, v1::Article* article) {
  if (mask.paths().empty() || IsAll(mask)) return;
  FieldMaskUtil::TrimMessage(mask, article);
}

absl::StatusOr<std::string> MaskSerialized(const FieldMask& mask,
                                           std::string article) {
  if (mask.paths().empty() || IsAll(mask)) return article;
  v1::Article parsed;
  if (!parsed.ParseFromString(article)) {
    return absl::DataLossError("a stored article does not parse");
  }
  ApplyReadMask(mask, &parsed);
  return parsed.SerializeAsString();
}

absl::StatusOr<v1::Article> ApplyUpdate(const v1::Article& current,
                                        const v1::Article& update,
                                        const FieldMask& mask) {
  if (IsAll(mask)) return update;
  FieldMask paths;
  if (mask.paths().empty()) {
    std::vector<const google::protobuf::FieldDescriptor*> set_fields;
    update.GetReflection()->ListFields(update, &set_fields);
    for (const google::protobuf::FieldDescriptor* set_field : set_fields) {
      paths.add_paths(set_field->name());
    }
  } else {
    absl::StatusOr<FieldMask> normalized =
        NormalizeArticleMask("update_mask", mask);
    if (!normalized.ok()) return normalized.status();
    paths = std::move(*normalized);
  }
  FieldMask writable;
  for (const std::string& path : paths.paths()) {
    bool output_only = false;
    for (absl::string_view name : kOutputOnly) {
      output_only = output_only || path == name ||
                    absl::StartsWith(path, absl::StrCat(name, "."));
    }
    if (output_only && !mask.paths().empty()) {
      return InvalidArgument(
          {{"update_mask", absl::StrCat("path '", path,
                                        "' is output only; the server sets "
                                        "it (use article.etag to make the "
                                        "update conditional)")}});
    }
    if (!output_only) writable.add_paths(path);
  }
  v1::Article merged = current;
  // A masked field the update leaves unset is cleared, not kept.
  for (const std::string& path : writable.paths()) ClearPath(path, &merged);
  FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(update, writable, options, &merged);
  return merged;
}

}  // namespace content
