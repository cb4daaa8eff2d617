// FormatArticleDocument: Article -> front matter and body.

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "document/article_document.h"
#include "document/front_matter_fields.h"
#include "document/yaml_scalar.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"

namespace content {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Struct keys in a stable order (the map's own order is unspecified).
std::vector<std::string> SortedKeys(const google::protobuf::Struct& fields) {
  std::vector<std::string> keys;
  for (const auto& [key, unused] : fields.fields()) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  return keys;
}

// Appends YAML block lines. The first line of a mapping that is a list item
// starts with "- " where the others have two spaces: `prefix` carries that.
class BlockWriter {
 public:
  explicit BlockWriter(std::string* out) : out_(out) {}

  // Writes `message`'s front-matter fields at `indent`. At the top level a
  // blank line sets off lists and mappings, as in the seed document.
  void Message(const google::protobuf::Message& message, int indent,
               std::string prefix, bool top_level) {
    const Reflection* reflection = message.GetReflection();
    const google::protobuf::Descriptor* descriptor = message.GetDescriptor();
    bool previous_block = false;
    bool first = true;
    for (int i = 0; i < descriptor->field_count(); ++i) {
      const FieldDescriptor* field = descriptor->field(i);
      if (!IsFrontMatterField(field) || !Present(message, field)) continue;
      const bool block = field->is_repeated() || IsNested(field);
      if (top_level && !first && (block || previous_block))
        out_->push_back('\n');
      StartKey(field->json_name(), indent, &prefix);
      if (field->is_repeated()) {
        out_->push_back('\n');
        for (int j = 0; j < reflection->FieldSize(message, field); ++j) {
          if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
            const google::protobuf::Message& item =
                reflection->GetRepeatedMessage(message, field, j);
            if (HasPresentFields(item)) {
              Message(item, indent + 4, Spaces(indent + 2) + "- ", false);
            } else {
              absl::StrAppend(out_, Spaces(indent + 2), "- {}\n");
            }
          } else {
            absl::StrAppend(out_, Spaces(indent + 2), "- ");
            Scalar(message, field, j);
            out_->push_back('\n');
          }
        }
      } else if (IsNested(field)) {
        const google::protobuf::Message& child =
            reflection->GetMessage(message, field);
        if (HasPresentFields(child)) {
          out_->push_back('\n');
          Message(child, indent + 2, "", false);
        } else {
          out_->append(" {}\n");
        }
      } else {
        out_->push_back(' ');
        Scalar(message, field, -1);
        out_->push_back('\n');
      }
      previous_block = block;
      first = false;
    }
  }

  // Writes `key: value` for an unknown key at the top level.
  void Unknown(const std::string& key, const google::protobuf::Value& value) {
    std::string prefix;
    StartKey(key, 0, &prefix);
    Value(value, 0);
  }

 private:
  static std::string Spaces(int count) { return std::string(count, ' '); }

  static bool HasPresentFields(const google::protobuf::Message& message) {
    const google::protobuf::Descriptor* descriptor = message.GetDescriptor();
    for (int i = 0; i < descriptor->field_count(); ++i) {
      if (Present(message, descriptor->field(i))) return true;
    }
    return false;
  }

  static bool IsNested(const FieldDescriptor* field) {
    return field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
           field->message_type()->full_name() != "google.protobuf.Timestamp";
  }

  // Strings only when non-empty; numbers and booleans always; messages when
  // set; lists when not empty.
  static bool Present(const google::protobuf::Message& message,
                      const FieldDescriptor* field) {
    const Reflection* reflection = message.GetReflection();
    if (field->is_repeated()) return reflection->FieldSize(message, field) > 0;
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      return !reflection->GetString(message, field).empty();
    }
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      return reflection->HasField(message, field);
    }
    return true;
  }

  // "key:" after the line prefix (consumed by the first key of a mapping).
  void StartKey(absl::string_view key, int indent, std::string* prefix) {
    if (prefix->empty()) {
      out_->append(Spaces(indent));
    } else {
      out_->append(*prefix);
      prefix->clear();
    }
    AppendYamlString(key, out_);
    out_->push_back(':');
  }

  // One scalar value; `index` is -1 for a singular field.
  void Scalar(const google::protobuf::Message& message,
              const FieldDescriptor* field, int index) {
    const Reflection* r = message.GetReflection();
    const bool repeated = index >= 0;
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        AppendYamlString(repeated ? r->GetRepeatedString(message, field, index)
                                  : r->GetString(message, field),
                         out_);
        return;
      case FieldDescriptor::CPPTYPE_INT32:
        absl::StrAppend(out_, repeated
                                  ? r->GetRepeatedInt32(message, field, index)
                                  : r->GetInt32(message, field));
        return;
      case FieldDescriptor::CPPTYPE_BOOL:
        out_->append((repeated ? r->GetRepeatedBool(message, field, index)
                               : r->GetBool(message, field))
                         ? "true"
                         : "false");
        return;
      case FieldDescriptor::CPPTYPE_MESSAGE:  // a Timestamp
        out_->append(google::protobuf::util::TimeUtil::ToString(
            static_cast<const google::protobuf::Timestamp&>(
                r->GetMessage(message, field))));
        return;
      default:
        return;  // the schema has no other scalar types
    }
  }

  // Writes a Struct value after "key:" (the rest of that line and any
  // block lines below it at `indent` + 2).
  void Value(const google::protobuf::Value& value, int indent) {
    switch (value.kind_case()) {
      case google::protobuf::Value::kStructValue: {
        const auto& fields = value.struct_value().fields();
        if (fields.empty()) {
          out_->append(" {}\n");
          return;
        }
        out_->push_back('\n');
        for (const std::string& key : SortedKeys(value.struct_value())) {
          std::string prefix;
          StartKey(key, indent + 2, &prefix);
          Value(fields.at(key), indent + 2);
        }
        return;
      }
      case google::protobuf::Value::kListValue: {
        const auto& items = value.list_value().values();
        if (items.empty()) {
          out_->append(" []\n");
          return;
        }
        out_->push_back('\n');
        for (const google::protobuf::Value& item : items) {
          // A list item is written as the value of an empty-named key: "-".
          absl::StrAppend(out_, Spaces(indent + 2), "-");
          Value(item, indent + 2);
        }
        return;
      }
      case google::protobuf::Value::kStringValue:
        out_->push_back(' ');
        AppendYamlString(value.string_value(), out_);
        break;
      case google::protobuf::Value::kNumberValue:
        absl::StrAppend(out_, " ", YamlNumber(value.number_value()));
        break;
      case google::protobuf::Value::kBoolValue:
        out_->append(value.bool_value() ? " true" : " false");
        break;
      default:
        out_->append(" null");
        break;
    }
    out_->push_back('\n');
  }

  std::string* out_;
};

}  // namespace

std::string FormatArticleDocument(const v1::Article& article) {
  std::string out = "---\n";
  BlockWriter writer(&out);
  writer.Message(article, 0, "", /*top_level=*/true);
  if (article.has_extra() && !article.extra().fields().empty()) {
    out.push_back('\n');
    for (const std::string& key : SortedKeys(article.extra())) {
      writer.Unknown(key, article.extra().fields().at(key));
    }
  }
  out.append("---\n");
  out.append(article.body());
  return out;
}

}  // namespace content
