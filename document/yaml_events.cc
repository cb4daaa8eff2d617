#include "document/yaml_events.h"

#include <yaml.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "document/utf8_text.h"

namespace content {
namespace {

// Deepest nesting accepted; bounds the recursion of later tree walks.
constexpr int kMaxDepth = 64;

constexpr char kStrTag[] = "tag:yaml.org,2002:str";

// Contexts of libyaml's errors that name a construct with a start and an
// end. libyaml notices one left open only where it should have ended.
bool OpensConstruct(absl::string_view context) {
  return context == "while scanning a quoted scalar" ||
         context == "while parsing a quoted scalar" ||
         context == "while scanning a simple key" ||
         context == "while parsing a flow sequence" ||
         context == "while parsing a flow mapping";
}

// The key written at `offset`: the rest of its line, up to its ':' or a
// comment.
absl::string_view KeyTextAt(absl::string_view text, size_t offset) {
  absl::string_view line = text.substr(offset);
  line = line.substr(0, line.find('\n'));
  for (size_t i = 0; i < line.size(); ++i) {
    const bool blank_after = i + 1 == line.size() || line[i + 1] == ' ' ||
                             line[i + 1] == '\t' || line[i + 1] == '\r';
    if ((line[i] == ':' && blank_after) ||
        (line[i] == '#' && i > 0 && line[i - 1] == ' ')) {
      line = line.substr(0, i);
      break;
    }
  }
  return absl::StripAsciiWhitespace(line);
}

// Whether libyaml's marks give lines and columns as ParseYaml counts them.
// Not when the text starts with a byte order mark (libyaml skips it
// uncounted) or holds what libyaml alone takes for a line break: NEL,
// U+2028, U+2029, a CR without LF.
bool MarksArePositions(absl::string_view text) {
  if (absl::StartsWith(text, "\xEF\xBB\xBF") ||
      absl::StrContains(text, "\xC2\x85") ||
      absl::StrContains(text, "\xE2\x80\xA8") ||
      absl::StrContains(text, "\xE2\x80\xA9")) {
    return false;
  }
  for (size_t cr = text.find('\r'); cr != absl::string_view::npos;
       cr = text.find('\r', cr + 1)) {
    if (cr + 1 == text.size() || text[cr + 1] != '\n') return false;
  }
  return true;
}

// Reads libyaml's events for a text into a tree.
class TreeBuilder {
 public:
  // `watched`: the offset of a byte whose holder's path to note, or npos.
  TreeBuilder(absl::string_view text, int first_line, size_t watched)
      : text_(text),
        first_line_(first_line),
        // libyaml skips a byte order mark without counting it.
        skipped_(absl::StartsWith(text, "\xEF\xBB\xBF") ? 1 : 0),
        marks_are_positions_(MarksArePositions(text)),
        watched_(watched == std::string::npos
                     ? watched
                     : CharacterCount(text.substr(0, watched)) - skipped_),
        cursor_(text) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(
        &parser_, reinterpret_cast<const unsigned char*>(text.data()),
        text.size());
  }
  ~TreeBuilder() {
    if (has_event_) yaml_event_delete(&event_);
    yaml_parser_delete(&parser_);
  }

  absl::StatusOr<YamlNode> Parse() {
    const YamlPath root_path;
    // Outside any collection: no error is reported at its start.
    const Point nowhere{std::string::npos, 0, 0};
    YamlNode root;
    root.kind = YamlNode::Kind::kMapping;
    root.line = first_line_;
    root.column = 1;
    bool seen_document = false;
    while (true) {
      if (!Next()) return ParserError(nowhere, root_path, nullptr);
      const yaml_event_type_t type = event_.type;
      if (type == YAML_STREAM_END_EVENT) break;
      if (type == YAML_STREAM_START_EVENT || type == YAML_DOCUMENT_END_EVENT) {
        continue;
      }
      if (type == YAML_DOCUMENT_START_EVENT) {
        if (seen_document) {
          return Error(At(event_.start_mark), root_path,
                       "only one YAML document is allowed");
        }
        seen_document = true;
        continue;
      }
      absl::Status status = ReadNode(root_path, 0, &root);
      if (!status.ok()) return status;
    }
    return root;
  }

  // After Parse(): the path of the innermost node holding the watched
  // offset, if Parse() got that far.
  const std::optional<std::string>& watched_path() const {
    return watched_path_;
  }
  // After Parse() failed on a libyaml error: where and why.
  const std::optional<YamlStop>& stop() const { return stop_; }

 private:
  // The characters before a place, as libyaml counts them, and its
  // position.
  struct Point {
    size_t index;
    int line;
    int column;
  };

  static size_t CharacterCount(absl::string_view text) {
    return std::count_if(text.begin(), text.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    });
  }

  Point At(const yaml_mark_t& mark) {
    if (marks_are_positions_) {
      return {mark.index, first_line_ + static_cast<int>(mark.line),
              static_cast<int>(mark.column) + 1};
    }
    cursor_.MoveTo(mark.index + skipped_);
    return {mark.index, first_line_ + cursor_.position().line,
            cursor_.position().column};
  }

  size_t OffsetOf(const Point& point) {
    cursor_.MoveTo(point.index + skipped_);
    return cursor_.offset();
  }

  bool Next() {
    if (has_event_) yaml_event_delete(&event_);
    has_event_ = yaml_parser_parse(&parser_, &event_) == 1;
    return has_event_;
  }

  absl::Status Error(const Point& at, const YamlPath& path,
                     absl::string_view problem) const {
    return absl::InvalidArgumentError(absl::StrCat(
        at.line, ":", at.column, ": ", path.ToString(), ": ", problem));
  }

  // libyaml's error while reading the next event of the collection `owner`
  // (starting at `owner_start`): the node at `child`, or else a key, after
  // the value at `previous` if any. libyaml reads ahead while a token may
  // be a key: a problem on the line where the last scalar ended is the
  // previous value's.
  absl::Status ParserError(const Point& owner_start, const YamlPath& owner,
                           const YamlPath* child,
                           const YamlPath* previous = nullptr) {
    if (parser_.error == YAML_MEMORY_ERROR) {
      return absl::ResourceExhaustedError("out of memory reading YAML");
    }
    const Point problem_at = At(parser_.problem_mark);
    const absl::string_view context = parser_.context ? parser_.context : "";
    const Point context_at =
        context.empty() ? problem_at : At(parser_.context_mark);
    const absl::string_view problem =
        parser_.problem ? parser_.problem : "invalid YAML";
    const size_t problem_offset = OffsetOf(problem_at);
    stop_ = YamlStop{problem,
                     context,
                     problem_offset,
                     OffsetOf(context_at),
                     static_cast<int>(parser_.problem_mark.column),
                     block_columns_.empty() ? -1 : block_columns_.back()};

    const bool late =
        OpensConstruct(context) && context_at.line < problem_at.line;
    const Point& at = late ? context_at : problem_at;
    std::string message(problem);
    if (late) {
      absl::StrAppend(&message, " at ", problem_at.line, ":", problem_at.column,
                      ", ", context, " that starts here");
    } else if (context_at.index != problem_at.index) {
      absl::StrAppend(&message, ", ", context, " that starts at ",
                      context_at.line, ":", context_at.column);
    } else if (!context.empty()) {
      absl::StrAppend(&message, " (", context, ")");
    }
    if (at.index == owner_start.index) return Error(at, owner, message);
    if (child != nullptr) return Error(at, *child, message);
    if (previous != nullptr && last_scalar_end_.line == at.line &&
        last_scalar_end_.index <= at.index) {
      return Error(at, *previous, message);
    }
    const absl::string_view key = KeyTextAt(text_, OffsetOf(at));
    return Error(at, key.empty() ? owner : owner.Key(key), message);
  }

  absl::Status CheckProperties(const Point& start, const YamlPath& path,
                               const yaml_char_t* anchor, const char* tag,
                               bool scalar) const {
    if (anchor != nullptr) {
      return Error(start, path, "anchors (&name) are not supported");
    }
    if (tag != nullptr && !(scalar && (absl::string_view(tag) == kStrTag ||
                                       absl::string_view(tag) == "!"))) {
      return Error(start, path,
                   absl::StrCat("the tag ", tag,
                                " is not supported: only !!str, on a single "
                                "value"));
    }
    return absl::OkStatus();
  }

  // Ends the node from `start` to `end`, noting `path` if the node holds
  // the watched character and nothing inside it did.
  void Finish(const Point& start, const yaml_mark_t& end,
              const YamlPath& path) {
    if (!watched_path_ && start.index <= watched_ && watched_ < end.index) {
      watched_path_ = path.ToString();
    }
  }

  // Reads the node whose first event is current into `node`.
  absl::Status ReadNode(const YamlPath& path, int depth, YamlNode* node) {
    const Point start = At(event_.start_mark);
    node->line = start.line;
    node->column = start.column;
    if (depth > kMaxDepth) return Error(start, path, "nesting is too deep");
    switch (event_.type) {
      case YAML_ALIAS_EVENT:
        return Error(start, path, "aliases (*name) are not supported");
      case YAML_SCALAR_EVENT: {
        const auto& scalar = event_.data.scalar;
        const char* tag = reinterpret_cast<const char*>(scalar.tag);
        absl::Status status =
            CheckProperties(start, path, scalar.anchor, tag, true);
        if (!status.ok()) return status;
        node->kind = YamlNode::Kind::kScalar;
        node->value.assign(reinterpret_cast<const char*>(scalar.value),
                           scalar.length);
        node->plain = scalar.style == YAML_PLAIN_SCALAR_STYLE && tag == nullptr;
        Finish(start, event_.end_mark, path);
        last_scalar_end_ = At(event_.end_mark);
        return absl::OkStatus();
      }
      case YAML_SEQUENCE_START_EVENT:
        return ReadSequence(start, path, depth, node);
      case YAML_MAPPING_START_EVENT:
        return ReadMapping(start, path, depth, node);
      default:
        return Error(start, path, "unexpected YAML structure");
    }
  }

  absl::Status ReadSequence(const Point& start, const YamlPath& path, int depth,
                            YamlNode* node) {
    const auto& event = event_.data.sequence_start;
    absl::Status status =
        CheckProperties(start, path, event.anchor,
                        reinterpret_cast<const char*>(event.tag), false);
    if (!status.ok()) return status;
    node->kind = YamlNode::Kind::kSequence;
    const bool block = event.style == YAML_BLOCK_SEQUENCE_STYLE;
    if (block) block_columns_.push_back(event_.start_mark.column);
    while (true) {
      const YamlPath item = path.Item(node->items.size());
      if (!Next()) return ParserError(start, path, &item);
      if (event_.type == YAML_SEQUENCE_END_EVENT) break;
      node->items.emplace_back();
      status = ReadNode(item, depth + 1, &node->items.back());
      if (!status.ok()) return status;
    }
    if (block) block_columns_.pop_back();
    Finish(start, event_.end_mark, path);
    return absl::OkStatus();
  }

  absl::Status ReadMapping(const Point& start, const YamlPath& path, int depth,
                           YamlNode* node) {
    const auto& event = event_.data.mapping_start;
    absl::Status status =
        CheckProperties(start, path, event.anchor,
                        reinterpret_cast<const char*>(event.tag), false);
    if (!status.ok()) return status;
    node->kind = YamlNode::Kind::kMapping;
    const bool block = event.style == YAML_BLOCK_MAPPING_STYLE;
    if (block) block_columns_.push_back(event_.start_mark.column);
    while (true) {
      if (!Next()) {
        if (node->entries.empty()) return ParserError(start, path, nullptr);
        const YamlPath previous = path.Key(node->entries.back().first.value);
        return ParserError(start, path, nullptr, &previous);
      }
      if (event_.type == YAML_MAPPING_END_EVENT) break;
      node->entries.emplace_back();
      auto& [key, value] = node->entries.back();
      const bool watched_before = watched_path_.has_value();
      status = ReadNode(path, depth + 1, &key);
      if (!status.ok()) return status;
      // What a key holds is reported with the key's own path.
      if (!watched_before && watched_path_) {
        watched_path_ = path.Key(key.value).ToString();
      }
      const YamlPath value_path = path.Key(key.value);
      if (!Next()) return ParserError(start, path, &value_path);
      status = ReadNode(value_path, depth + 1, &value);
      if (!status.ok()) return status;
    }
    if (block) block_columns_.pop_back();
    Finish(start, event_.end_mark, path);
    return absl::OkStatus();
  }

  const absl::string_view text_;
  const int first_line_;
  const size_t skipped_;
  const bool marks_are_positions_;
  const size_t watched_;  // a character index
  CharacterCursor cursor_;
  yaml_parser_t parser_;
  yaml_event_t event_;
  bool has_event_ = false;
  std::vector<int> block_columns_;  // of the open block collections
  Point last_scalar_end_{0, 0, 0};
  std::optional<std::string> watched_path_;
  std::optional<YamlStop> stop_;
};

}  // namespace

YamlEvents ReadYamlEvents(absl::string_view text, int first_line,
                          size_t watched) {
  TreeBuilder builder(text, first_line, watched);
  absl::StatusOr<YamlNode> tree = builder.Parse();
  return {std::move(tree), builder.watched_path(), builder.stop()};
}

}  // namespace content
