// ParseArticleDocument: document text -> front matter tree -> Article.

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "document/article_document.h"
#include "document/front_matter_fields.h"
#include "document/utf8_text.h"
#include "document/yaml_scalar.h"
#include "document/yaml_tree.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"

namespace content {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

struct SplitDocument {
  absl::string_view front_matter;
  int front_matter_line = 0;  // document line of the front matter's first line
  absl::string_view body;
  int body_line = 0;  // document line of the body's first line
};

// The line starting at `pos`, without its line break.
absl::string_view LineAt(absl::string_view text, size_t pos, size_t* next) {
  const size_t end = text.find('\n', pos);
  *next = end == absl::string_view::npos ? text.size() : end + 1;
  absl::string_view line = text.substr(pos, *next - pos);
  absl::ConsumeSuffix(&line, "\n");
  absl::ConsumeSuffix(&line, "\r");
  return line;
}

bool IsFence(absl::string_view line) {
  return absl::StripTrailingAsciiWhitespace(line) == "---";
}

absl::StatusOr<SplitDocument> Split(absl::string_view text,
                                    absl::string_view file) {
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");  // UTF-8 BOM
  size_t pos = 0;
  if (!IsFence(LineAt(text, 0, &pos))) {
    return absl::InvalidArgumentError(absl::StrCat(
        file, ":1:1: no front matter: the first line must be '---'"));
  }
  SplitDocument split;
  split.front_matter_line = 2;
  const size_t start = pos;
  for (int line = 2; pos < text.size(); ++line) {
    size_t next = 0;
    if (IsFence(LineAt(text, pos, &next))) {
      split.front_matter = text.substr(start, pos - start);
      split.body = text.substr(next);
      split.body_line = line + 1;
      return split;
    }
    pos = next;
  }
  return absl::InvalidArgumentError(
      absl::StrCat(file, ":1:1: unclosed front matter: no closing '---' line"));
}

class TreeReader {
 public:
  explicit TreeReader(absl::string_view file) : file_(file) {}

  absl::Status Error(const YamlNode& node, absl::string_view path,
                     absl::string_view problem) const {
    return absl::InvalidArgumentError(absl::StrCat(
        file_, ":", node.line, ":", node.column, ": ", path, ": ", problem));
  }
  absl::Status Error(const YamlNode& node, const YamlPath& path,
                     absl::string_view problem) const {
    return Error(node, path.ToString(), problem);
  }

  // Reads a mapping into `message`, moving its strings out of `node`; unknown
  // keys go to `unknown` when given.
  absl::Status ReadMessage(YamlNode& node, const YamlPath& path,
                           Message* message,
                           google::protobuf::Struct* unknown) const {
    if (node.IsNull()) return absl::OkStatus();
    if (node.kind != YamlNode::Kind::kMapping) {
      return Error(node, path, "expected a mapping of keys to values");
    }
    std::vector<absl::string_view> seen;
    for (auto& [key, value] : node.entries) {
      if (key.kind != YamlNode::Kind::kScalar) {
        return Error(key, path, "keys must be plain strings");
      }
      const YamlPath key_path = path.Key(key.value);
      if (std::find(seen.begin(), seen.end(), key.value) != seen.end()) {
        return Error(key, key_path, "duplicate key");
      }
      seen.push_back(key.value);
      const FieldDescriptor* field =
          message->GetDescriptor()->FindFieldByCamelcaseName(key.value);
      if (field != nullptr && field->json_name() == key.value &&
          IsFrontMatterField(field)) {
        absl::Status status = ReadField(value, key_path, message, field);
        if (!status.ok()) return status;
      } else if (unknown != nullptr) {
        absl::StatusOr<google::protobuf::Value> converted =
            ToValue(value, key_path, 0);
        if (!converted.ok()) return converted.status();
        (*unknown->mutable_fields())[key.value] = std::move(*converted);
      } else {
        return Error(key, key_path, "unknown key");
      }
    }
    return absl::OkStatus();
  }

 private:
  absl::Status ReadField(YamlNode& node, const YamlPath& path, Message* message,
                         const FieldDescriptor* field) const {
    if (!field->is_repeated()) return ReadValue(node, path, message, field);
    if (node.IsNull()) return absl::OkStatus();
    if (node.kind != YamlNode::Kind::kSequence) {
      return Error(node, path, "expected a list");
    }
    for (size_t i = 0; i < node.items.size(); ++i) {
      absl::Status status =
          ReadValue(node.items[i], path.Item(i), message, field);
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  }

  // Sets (or, for a repeated field, adds) one value of `field`.
  absl::Status ReadValue(YamlNode& node, const YamlPath& path, Message* message,
                         const FieldDescriptor* field) const {
    const Reflection* reflection = message->GetReflection();
    const bool repeated = field->is_repeated();
    if (node.IsNull() && !repeated) return absl::OkStatus();
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      Message* child = repeated ? reflection->AddMessage(message, field)
                                : reflection->MutableMessage(message, field);
      if (field->message_type()->full_name() == "google.protobuf.Timestamp") {
        return ReadTimestamp(node, path,
                             static_cast<google::protobuf::Timestamp*>(child));
      }
      return ReadMessage(node, path, child, nullptr);
    }
    if (node.kind != YamlNode::Kind::kScalar) {
      return Error(node, path,
                   "expected a single value, not a list or mapping");
    }
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        if (repeated) {
          reflection->AddString(message, field, std::move(node.value));
        } else {
          reflection->SetString(message, field, std::move(node.value));
        }
        return absl::OkStatus();
      case FieldDescriptor::CPPTYPE_INT32: {
        int32_t number = 0;
        if (!node.plain ||
            ClassifyPlainScalar(node.value) != PlainScalarKind::kInteger ||
            !absl::SimpleAtoi(node.value, &number)) {
          return Error(node, path,
                       absl::StrCat("expected an integer from -2147483648 to "
                                    "2147483647, got \"",
                                    node.value, "\""));
        }
        if (repeated) {
          reflection->AddInt32(message, field, number);
        } else {
          reflection->SetInt32(message, field, number);
        }
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_BOOL: {
        if (!node.plain ||
            ClassifyPlainScalar(node.value) != PlainScalarKind::kBool) {
          return Error(
              node, path,
              absl::StrCat("expected true or false, got \"", node.value, "\""));
        }
        const bool value = absl::AsciiStrToLower(node.value) == "true";
        if (repeated) {
          reflection->AddBool(message, field, value);
        } else {
          reflection->SetBool(message, field, value);
        }
        return absl::OkStatus();
      }
      default:
        return Error(node, path, "has a type the codec does not support");
    }
  }

  absl::Status ReadTimestamp(const YamlNode& node, const YamlPath& path,
                             google::protobuf::Timestamp* timestamp) const {
    absl::Time time;
    std::string error;
    if (node.kind != YamlNode::Kind::kScalar ||
        !absl::ParseTime("%E4Y-%m-%d%ET%H:%M:%E*S%Ez", node.value, &time,
                         &error) ||
        time < absl::FromUnixSeconds(
                   google::protobuf::util::TimeUtil::kTimestampMinSeconds) ||
        time > absl::FromUnixSeconds(
                   google::protobuf::util::TimeUtil::kTimestampMaxSeconds)) {
      return Error(node, path,
                   absl::StrCat("expected an RFC 3339 date-time such as "
                                "2021-10-19T09:22:00Z, got \"",
                                node.kind == YamlNode::Kind::kScalar
                                    ? node.value
                                    : "a list or mapping",
                                "\""));
    }
    const int64_t seconds = absl::ToUnixSeconds(time);  // rounds down
    timestamp->set_seconds(seconds);
    timestamp->set_nanos(static_cast<int32_t>(
        absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(seconds))));
    return absl::OkStatus();
  }

  absl::StatusOr<google::protobuf::Value> ToValue(YamlNode& node,
                                                  const YamlPath& path,
                                                  int depth) const {
    google::protobuf::Value value;
    switch (node.kind) {
      case YamlNode::Kind::kMapping: {
        google::protobuf::Struct* fields = value.mutable_struct_value();
        for (auto& [key, child] : node.entries) {
          if (key.kind != YamlNode::Kind::kScalar) {
            return Error(key, path, "keys must be plain strings");
          }
          const YamlPath child_path = path.Key(key.value);
          if (fields->fields().contains(key.value)) {
            return Error(key, child_path, "duplicate key");
          }
          absl::StatusOr<google::protobuf::Value> converted =
              ToValue(child, child_path, depth + 1);
          if (!converted.ok()) return converted.status();
          (*fields->mutable_fields())[key.value] = std::move(*converted);
        }
        return value;
      }
      case YamlNode::Kind::kSequence: {
        google::protobuf::ListValue* list = value.mutable_list_value();
        for (size_t i = 0; i < node.items.size(); ++i) {
          absl::StatusOr<google::protobuf::Value> converted =
              ToValue(node.items[i], path.Item(i), depth + 1);
          if (!converted.ok()) return converted.status();
          *list->add_values() = std::move(*converted);
        }
        return value;
      }
      case YamlNode::Kind::kScalar:
        break;
    }
    if (!node.plain) {
      value.set_string_value(std::move(node.value));
      return value;
    }
    double number = 0;
    switch (ClassifyPlainScalar(node.value)) {
      case PlainScalarKind::kNull:
        value.set_null_value(google::protobuf::NULL_VALUE);
        return value;
      case PlainScalarKind::kBool:
        value.set_bool_value(absl::AsciiStrToLower(node.value) == "true");
        return value;
      case PlainScalarKind::kInteger:
      case PlainScalarKind::kFloat:
        // A number only if it is written as the writer would write it:
        // otherwise ("02700", "+1", "1.0", "1e3", "2.50", digits a double
        // cannot hold) the string as written, which then writes out as is.
        if (absl::SimpleAtod(node.value, &number) &&
            YamlNumber(number) == node.value) {
          value.set_number_value(number);
        } else {
          value.set_string_value(std::move(node.value));
        }
        return value;
      case PlainScalarKind::kString:
        value.set_string_value(std::move(node.value));
        return value;
    }
    return value;
  }

  absl::string_view file_;
};

// The key every article needs: present, and an absolute http(s) URL. (The
// server checks the rest of the URL.)
absl::Status CheckWebUrl(const YamlNode& tree, const std::string& web_url,
                         const TreeReader& reader) {
  const YamlNode* where = &tree;
  for (const auto& [key, value] : tree.entries) {
    if (key.value == "webUrl") where = &value;
  }
  if (web_url.empty()) return reader.Error(*where, "webUrl", "is required");
  const std::string lowered = absl::AsciiStrToLower(web_url.substr(0, 8));
  if (!absl::StartsWith(lowered, "http://") &&
      !absl::StartsWith(lowered, "https://")) {
    return reader.Error(
        *where, "webUrl",
        absl::StrCat("must be an http or https URL, got \"", web_url, "\""));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::Article> ParseArticleDocument(absl::string_view text,
                                                 absl::string_view file) {
  absl::StatusOr<SplitDocument> split = Split(text, file);
  if (!split.ok()) return split.status();
  absl::StatusOr<YamlNode> tree =
      ParseYaml(split->front_matter, split->front_matter_line);
  if (!tree.ok()) {
    return absl::Status(tree.status().code(),
                        absl::StrCat(file, ":", tree.status().message()));
  }
  // protobuf strings must be UTF-8 (ParseYaml checked the front matter).
  if (const std::optional<CharacterFault> fault =
          FindCharacterFault(split->body, CharacterSet::kUtf8)) {
    const TextPosition at = PositionOf(split->body, fault->offset);
    return absl::InvalidArgumentError(
        absl::StrCat(file, ":", split->body_line + at.line, ":", at.column,
                     ": body: ", fault->problem));
  }
  v1::Article article;
  google::protobuf::Struct unknown;
  const TreeReader reader(file);
  absl::Status status =
      reader.ReadMessage(*tree, YamlPath(), &article, &unknown);
  if (!status.ok()) return status;
  status = CheckWebUrl(*tree, article.web_url(), reader);
  if (!status.ok()) return status;
  if (!unknown.fields().empty()) *article.mutable_extra() = std::move(unknown);
  article.set_body(std::string(split->body));
  return article;
}

}  // namespace content
