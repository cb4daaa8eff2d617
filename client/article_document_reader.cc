// ParseArticleDocument: document text -> front matter tree -> Article.

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "client/article_document.h"
#include "client/front_matter_fields.h"
#include "client/yaml_scalar.h"
#include "client/yaml_tree.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"

namespace content {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr char kStrTag[] = "tag:yaml.org,2002:str";

struct SplitDocument {
  absl::string_view front_matter;
  int front_matter_line = 0;  // document line of the front matter's first line
  absl::string_view body;
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
      return split;
    }
    pos = next;
  }
  return absl::InvalidArgumentError(
      absl::StrCat(file, ":1:1: unclosed front matter: no closing '---' line"));
}

// Where a value sits in the front matter ("provider.name", "related[2]"):
// links to its parents, spelled out only for an error message, so that
// reading a valid document builds no path strings.
struct FieldPath {
  const FieldPath* parent = nullptr;  // nullptr: the front matter itself
  bool item = false;                  // a list item, else a mapping's value
  absl::string_view key;              // the mapping's key
  size_t index = 0;                   // the list item's position

  FieldPath Key(absl::string_view child) const {
    return {this, false, child, 0};
  }
  FieldPath Item(size_t position) const { return {this, true, {}, position}; }

  std::string ToString() const {
    if (parent == nullptr) return "front matter";
    std::string text =
        parent->parent == nullptr ? std::string() : parent->ToString();
    if (item) {
      absl::StrAppend(&text, "[", index, "]");
    } else {
      absl::StrAppend(&text, parent->parent == nullptr ? "" : ".", key);
    }
    return text;
  }
};

class TreeReader {
 public:
  explicit TreeReader(absl::string_view file) : file_(file) {}

  absl::Status Error(const YamlNode& node, absl::string_view path,
                     absl::string_view problem) const {
    return absl::InvalidArgumentError(absl::StrCat(
        file_, ":", node.line, ":", node.column, ": ", path, ": ", problem));
  }
  absl::Status Error(const YamlNode& node, const FieldPath& path,
                     absl::string_view problem) const {
    return Error(node, path.ToString(), problem);
  }

  // Reads a mapping into `message`, moving its strings out of `node`; unknown
  // keys go to `unknown` when given.
  absl::Status ReadMessage(YamlNode& node, const FieldPath& path,
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
      const FieldPath key_path = path.Key(key.value);
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
  absl::Status ReadField(YamlNode& node, const FieldPath& path,
                         Message* message, const FieldDescriptor* field) const {
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
  absl::Status ReadValue(YamlNode& node, const FieldPath& path,
                         Message* message, const FieldDescriptor* field) const {
    const Reflection* reflection = message->GetReflection();
    const bool repeated = field->is_repeated();
    if (node.IsNull() && node.tag.empty() && !repeated) return absl::OkStatus();
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
    if (!node.tag.empty() && node.tag != kStrTag && node.tag != "!") {
      return Error(node, path, "only the !!str tag is supported");
    }
    const bool typed_plain = node.plain && node.tag.empty();
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
        if (!typed_plain ||
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
        if (!typed_plain ||
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

  absl::Status ReadTimestamp(const YamlNode& node, const FieldPath& path,
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
                                                  const FieldPath& path,
                                                  int depth) const {
    google::protobuf::Value value;
    switch (node.kind) {
      case YamlNode::Kind::kMapping: {
        google::protobuf::Struct* fields = value.mutable_struct_value();
        for (auto& [key, child] : node.entries) {
          if (key.kind != YamlNode::Kind::kScalar) {
            return Error(key, path, "keys must be plain strings");
          }
          const FieldPath child_path = path.Key(key.value);
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
    if (!node.plain || node.tag == kStrTag) {
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
        // Numbers a double cannot hold stay strings, lossless: integers
        // beyond 2^53 and floats out of its range (1e400 is not infinity).
        if (absl::SimpleAtod(node.value, &number) && std::isfinite(number) &&
            IsExact(node.value, number)) {
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

  // Whether `number` holds the integer `text` exactly (floats are taken as
  // written: YAML floats are doubles already).
  static bool IsExact(absl::string_view text, double number) {
    if (ClassifyPlainScalar(text) != PlainScalarKind::kInteger) return true;
    int64_t integer = 0;
    return absl::SimpleAtoi(text, &integer) &&
           std::abs(integer) <= (int64_t{1} << 53) &&
           static_cast<double>(integer) == number;
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
    return absl::InvalidArgumentError(
        absl::StrCat(file, ":", tree.status().message()));
  }
  v1::Article article;
  google::protobuf::Struct unknown;
  const TreeReader reader(file);
  absl::Status status =
      reader.ReadMessage(*tree, FieldPath(), &article, &unknown);
  if (!status.ok()) return status;
  status = CheckWebUrl(*tree, article.web_url(), reader);
  if (!status.ok()) return status;
  if (!unknown.fields().empty()) *article.mutable_extra() = std::move(unknown);
  article.set_body(std::string(split->body));
  return article;
}

}  // namespace content
