#include "client/yaml_tree.h"

#include <yaml.h>

#include <memory>

#include "absl/strings/str_cat.h"

namespace content {
namespace {

// Deepest nesting accepted; bounds the recursion of later tree walks.
constexpr int kMaxDepth = 64;

class EventReader {
 public:
  EventReader(absl::string_view text, int first_line)
      : first_line_(first_line) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(
        &parser_, reinterpret_cast<const unsigned char*>(text.data()),
        text.size());
  }
  ~EventReader() {
    if (has_event_) yaml_event_delete(&event_);
    yaml_parser_delete(&parser_);
  }

  // Advances to the next event; false (with error()) on a parse error.
  bool Next() {
    if (has_event_) yaml_event_delete(&event_);
    has_event_ = yaml_parser_parse(&parser_, &event_) == 1;
    return has_event_;
  }
  const yaml_event_t& event() const { return event_; }

  absl::Status Error(const yaml_mark_t& mark, absl::string_view problem) const {
    return absl::InvalidArgumentError(
        absl::StrCat(first_line_ + static_cast<int>(mark.line), ":",
                     mark.column + 1, ": ", problem));
  }
  absl::Status ParserError() const {
    std::string problem = parser_.problem ? parser_.problem : "invalid YAML";
    if (parser_.context) problem = absl::StrCat(problem, " ", parser_.context);
    return Error(parser_.problem_mark, problem);
  }
  int Line(const yaml_mark_t& mark) const {
    return first_line_ + static_cast<int>(mark.line);
  }

 private:
  yaml_parser_t parser_;
  yaml_event_t event_;
  bool has_event_ = false;
  const int first_line_;
};

std::string TagOf(const yaml_char_t* tag) {
  return tag == nullptr ? std::string() : reinterpret_cast<const char*>(tag);
}

// Reads the node whose first event is current into `node`.
absl::Status ReadNode(EventReader& reader, int depth, YamlNode* node) {
  const yaml_event_t& event = reader.event();
  node->line = reader.Line(event.start_mark);
  node->column = static_cast<int>(event.start_mark.column) + 1;
  if (depth > kMaxDepth) {
    return reader.Error(event.start_mark, "nesting is too deep");
  }
  switch (event.type) {
    case YAML_ALIAS_EVENT:
      return reader.Error(event.start_mark,
                          "aliases (*name) are not supported");
    case YAML_SCALAR_EVENT:
      node->kind = YamlNode::Kind::kScalar;
      node->value.assign(reinterpret_cast<const char*>(event.data.scalar.value),
                         event.data.scalar.length);
      node->plain = event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
      node->tag = TagOf(event.data.scalar.tag);
      return absl::OkStatus();
    case YAML_SEQUENCE_START_EVENT:
      node->kind = YamlNode::Kind::kSequence;
      node->tag = TagOf(event.data.sequence_start.tag);
      while (true) {
        if (!reader.Next()) return reader.ParserError();
        if (reader.event().type == YAML_SEQUENCE_END_EVENT) break;
        node->items.emplace_back();
        absl::Status status = ReadNode(reader, depth + 1, &node->items.back());
        if (!status.ok()) return status;
      }
      return absl::OkStatus();
    case YAML_MAPPING_START_EVENT:
      node->kind = YamlNode::Kind::kMapping;
      node->tag = TagOf(event.data.mapping_start.tag);
      while (true) {
        if (!reader.Next()) return reader.ParserError();
        if (reader.event().type == YAML_MAPPING_END_EVENT) break;
        node->entries.emplace_back();
        auto& [key, value] = node->entries.back();
        absl::Status status = ReadNode(reader, depth + 1, &key);
        if (!status.ok()) return status;
        if (!reader.Next()) return reader.ParserError();
        status = ReadNode(reader, depth + 1, &value);
        if (!status.ok()) return status;
      }
      return absl::OkStatus();
    default:
      return reader.Error(event.start_mark, "unexpected YAML structure");
  }
}

}  // namespace

bool YamlNode::IsNull() const {
  return kind == Kind::kScalar && plain &&
         (value.empty() || value == "~" || value == "null" || value == "Null" ||
          value == "NULL");
}

absl::StatusOr<YamlNode> ParseYaml(absl::string_view text, int first_line) {
  EventReader reader(text, first_line);
  YamlNode root;
  root.kind = YamlNode::Kind::kMapping;
  root.line = first_line;
  root.column = 1;
  bool seen_document = false;
  while (true) {
    if (!reader.Next()) return reader.ParserError();
    const yaml_event_type_t type = reader.event().type;
    if (type == YAML_STREAM_END_EVENT) break;
    if (type == YAML_STREAM_START_EVENT || type == YAML_DOCUMENT_END_EVENT) {
      continue;
    }
    if (type == YAML_DOCUMENT_START_EVENT) {
      if (seen_document) {
        return reader.Error(reader.event().start_mark,
                            "only one YAML document is allowed");
      }
      seen_document = true;
      continue;
    }
    absl::Status status = ReadNode(reader, 0, &root);
    if (!status.ok()) return status;
  }
  return root;
}

}  // namespace content
