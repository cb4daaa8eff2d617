#ifndef CONTENT_DOCUMENT_YAML_TREE_H_
#define CONTENT_DOCUMENT_YAML_TREE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace content {

// Where a value sits in the front matter, as error messages spell it:
// "title", "provider.name", "related[2].images[0]"; the root is "front
// matter". Each links to its parent and is spelled out only for a message,
// so that reading a valid document builds no path strings.
struct YamlPath {
  const YamlPath* parent = nullptr;  // nullptr: the front matter itself
  bool item = false;                 // a list item, else a mapping's value
  absl::string_view key;             // the mapping's key
  size_t index = 0;                  // the list item's position

  YamlPath Key(absl::string_view child) const { return {this, false, child}; }
  YamlPath Item(size_t position) const { return {this, true, {}, position}; }
  std::string ToString() const;
};

// A YAML node with the position it was read from; what libyaml's event
// parser delivers, gathered into a tree. Far cheaper than yaml-cpp's node API
// (about 6x on the seed document), which matters on the import path.
struct YamlNode {
  enum class Kind { kScalar, kMapping, kSequence };

  Kind kind = Kind::kScalar;
  // kScalar: the text, with escapes and folding resolved.
  std::string value;
  // kScalar: true for a plain scalar (unquoted, not a block scalar, no
  // !!str tag), whose meaning (null, bool, number, string) depends on its
  // text; false for a string.
  bool plain = true;
  // Position of the node's first character: line, and column in characters.
  int line = 0;
  int column = 0;
  std::vector<std::pair<YamlNode, YamlNode>> entries;  // kMapping, in order
  std::vector<YamlNode> items;                         // kSequence

  // True for a plain scalar that YAML reads as null ("", "~", "null").
  bool IsNull() const;
};

// Parses `text`, which must hold at most one YAML document; an empty text
// gives an empty mapping.
//  - Every character must be UTF-8 within YAML's printable set; the first
//    that is not is reported at its own position with the path of the node
//    that holds it.
//  - Refused: aliases (they let a small document expand without bound),
//    anchors, and tags other than !!str and the non-specific "!", which make
//    a scalar a string.
//  - Some tabs that YAML 1.2 allows libyaml refuses; those that can be
//    rewritten the way YAML 1.2 reads them are, and parsing starts again
//    (yaml_tab_repair.h). Other tabs are refused with a hint.
//  - Errors are INVALID_ARGUMENT with a message "LINE:COLUMN: PATH:
//    problem", lines counted from `first_line` at each '\n', columns in
//    characters. A construct libyaml finds unfinished only on a later line
//    (an unclosed quote or bracket, a key without its ':') is reported where
//    it starts, with where libyaml noticed in the problem.
absl::StatusOr<YamlNode> ParseYaml(absl::string_view text, int first_line = 1);

}  // namespace content

#endif  // CONTENT_DOCUMENT_YAML_TREE_H_
