#ifndef CONTENT_DOCUMENT_YAML_TAB_REPAIR_H_
#define CONTENT_DOCUMENT_YAML_TAB_REPAIR_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace content {

// Where and why libyaml stopped reading a text.
struct YamlStop {
  absl::string_view problem;  // libyaml's words, e.g. "found unexpected ':'"
  absl::string_view context;  // e.g. "while scanning a block scalar", or ""
  size_t problem_offset = 0;  // byte offsets into the text
  size_t context_offset = 0;
  int problem_column = 0;  // libyaml's column of the problem, from 0
  // libyaml's column of the innermost block mapping or list open at the
  // problem (its indentation), or -1.
  int block_indent = -1;
};

// libyaml refuses some tabs that YAML 1.2 allows. When `stop` is one of
// these, rewrites `text` so that libyaml reads it as YAML 1.2 reads the
// original, and returns true; `*inserted_at` is the offset of a byte the
// rewrite inserted, or npos when it replaced bytes one for one. The cases:
//  - A line of only spaces and tabs outside block scalars (libyaml says
//    where block scalars are: its error names one when the line is in it)
//    is an empty line, whose white space YAML never keeps: its tabs become
//    spaces.
//  - Tabs between a '-' and a scalar on the same line ("-<TAB>AI") separate
//    them as spaces would: they become spaces. Not when the rest of the line
//    could start a mapping or a list (a ':' anywhere, a leading '-' or '?'),
//    which YAML 1.2 refuses after a tab too.
//  - A tab right after the indentation of a block scalar's first line:
//    libyaml takes it for indentation, YAML 1.2 for content, the spaces
//    before it setting the indentation. The header gets that indentation as
//    an indicator ("|" becomes "|2"), which YAML 1.2 reads the same; only
//    when the header has none and the lines before hold fewer spaces.
bool RepairTab(const YamlStop& stop, std::string* text, size_t* inserted_at);

}  // namespace content

#endif  // CONTENT_DOCUMENT_YAML_TAB_REPAIR_H_
