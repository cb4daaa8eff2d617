#include "document/yaml_tree.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "document/utf8_text.h"
#include "document/yaml_events.h"
#include "document/yaml_tab_repair.h"

namespace content {
namespace {

// Tab repairs per text, each costing a parse from the start: bounds the work
// a hostile document can cause.
constexpr int kMaxRepairs = 64;

// `text` with every character outside YAML's set replaced, byte for byte, by
// '_' (which is no indicator anywhere): what libyaml can read, with the same
// offsets and structure.
std::string Masked(absl::string_view text) {
  std::string masked(text);
  size_t from = 0;
  while (const std::optional<CharacterFault> fault =
             FindCharacterFault(text.substr(from), CharacterSet::kYaml)) {
    const size_t offset = from + fault->offset;
    masked.replace(offset, fault->length, fault->length, '_');
    from = offset + fault->length;
  }
  return masked;
}

}  // namespace

std::string YamlPath::ToString() const {
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

bool YamlNode::IsNull() const {
  return kind == Kind::kScalar && plain &&
         (value.empty() || value == "~" || value == "null" || value == "Null" ||
          value == "NULL");
}

absl::StatusOr<YamlNode> ParseYaml(absl::string_view text, int first_line) {
  // A character libyaml cannot read is reported with the path of the node
  // holding it, found by parsing the text with it masked.
  const std::optional<CharacterFault> fault =
      FindCharacterFault(text, CharacterSet::kYaml);
  std::string own;  // the text as masked and repaired, once it is
  if (fault) own = Masked(text);
  size_t watched = fault ? fault->offset : std::string::npos;
  for (int repairs = 0;; ++repairs) {
    const absl::string_view read_text = fault || repairs > 0 ? own : text;
    YamlEvents read = ReadYamlEvents(read_text, first_line, watched);
    if (!read.tree.ok() && read.stop) {
      const size_t at = read.stop->problem_offset;
      const bool tab = at < read_text.size() && read_text[at] == '\t';
      if (!fault && repairs == 0) own.assign(text.data(), text.size());
      size_t inserted = 0;
      std::string hint;
      if (RepairTab(*read.stop, &own, &inserted)) {
        if (repairs < kMaxRepairs) {
          if (inserted <= watched && watched != std::string::npos) ++watched;
          continue;
        }
        hint = absl::StrCat(" (YAML 1.2 allows this tab, but past ",
                            kMaxRepairs, " of them the codec reads no more)");
      } else if (tab) {
        hint = "; libyaml cannot read a tab here: use spaces";
      }
      if (!fault) {
        return absl::InvalidArgumentError(
            absl::StrCat(read.tree.status().message(), hint));
      }
    }
    if (!fault) return std::move(read.tree);
    const TextPosition at = PositionOf(text, fault->offset);
    return absl::InvalidArgumentError(absl::StrCat(
        first_line + at.line, ":", at.column, ": ",
        read.watched_path.value_or("front matter"), ": ", fault->problem));
  }
}

}  // namespace content
