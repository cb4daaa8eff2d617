#ifndef CONTENT_DOCUMENT_YAML_EVENTS_H_
#define CONTENT_DOCUMENT_YAML_EVENTS_H_

#include <cstddef>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "document/yaml_tab_repair.h"
#include "document/yaml_tree.h"

namespace content {

// One pass of libyaml's event parser over a text: ParseYaml's engine
// (yaml_tree.h), which checks the characters first and repairs tabs
// between passes.
struct YamlEvents {
  // The tree, or an error as ParseYaml reports it; `text` holds no
  // character outside YAML's set (utf8_text.h) by then.
  absl::StatusOr<YamlNode> tree;
  // The path of the innermost node holding the byte at `watched`, if the
  // pass got that far.
  std::optional<std::string> watched_path;
  // Where and why libyaml stopped, if it did.
  std::optional<YamlStop> stop;
};

// Reads `text`, its lines counted from `first_line`; `watched` is a byte
// offset into it, or npos.
YamlEvents ReadYamlEvents(absl::string_view text, int first_line,
                          size_t watched);

}  // namespace content

#endif  // CONTENT_DOCUMENT_YAML_EVENTS_H_
