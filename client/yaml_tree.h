#ifndef CONTENT_CLIENT_YAML_TREE_H_
#define CONTENT_CLIENT_YAML_TREE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace content {

// A YAML node with the position it was read from; what libyaml's event
// parser delivers, gathered into a tree. Far cheaper than yaml-cpp's node API
// (about 6x on the seed document), which matters on the import path.
struct YamlNode {
  enum class Kind { kScalar, kMapping, kSequence };

  Kind kind = Kind::kScalar;
  // kScalar: the text, with escapes and folding resolved.
  std::string value;
  // kScalar: true for a plain (unquoted, not block) scalar, whose meaning
  // (null, bool, number, string) depends on its text.
  bool plain = true;
  // An explicit tag in full form ("tag:yaml.org,2002:str"), or empty.
  std::string tag;
  // 1-based position of the node's first character.
  int line = 0;
  int column = 0;
  std::vector<std::pair<YamlNode, YamlNode>> entries;  // kMapping, in order
  std::vector<YamlNode> items;                         // kSequence

  // True for a plain scalar that YAML reads as null ("", "~", "null").
  bool IsNull() const;
};

// Parses `text`, which must hold at most one YAML document; an empty text
// gives an empty mapping. Aliases are refused (they let a small document
// expand without bound). Errors are INVALID_ARGUMENT with a message of the
// form "LINE:COLUMN: problem", lines counted from `first_line`.
absl::StatusOr<YamlNode> ParseYaml(absl::string_view text, int first_line = 1);

}  // namespace content

#endif  // CONTENT_CLIENT_YAML_TREE_H_
