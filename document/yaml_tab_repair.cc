#include "document/yaml_tab_repair.h"

#include <algorithm>

namespace content {
namespace {

constexpr absl::string_view kBlockScalar = "while scanning a block scalar";

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// The line holding `offset`, without its line break.
absl::string_view LineAt(absl::string_view text, size_t offset, size_t* start) {
  *start = offset == 0 ? 0 : text.rfind('\n', offset - 1) + 1;  // npos + 1
  size_t end = text.find('\n', offset);
  if (end == absl::string_view::npos) end = text.size();
  absl::string_view line = text.substr(*start, end - *start);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

void TabsToSpaces(size_t begin, size_t end, std::string* text) {
  std::replace(text->begin() + begin, text->begin() + end, '\t', ' ');
}

bool RepairBlankLine(const YamlStop& stop, std::string* text) {
  if (stop.context == kBlockScalar) return false;
  size_t start = 0;
  const absl::string_view line = LineAt(*text, stop.problem_offset, &start);
  if (!std::all_of(line.begin(), line.end(), IsBlank)) return false;
  TabsToSpaces(start, start + line.size(), text);
  return true;
}

bool RepairTabAfterDash(const YamlStop& stop, std::string* text) {
  if (stop.problem != "found character that cannot start any token") {
    return false;
  }
  size_t start = 0;
  const absl::string_view line = LineAt(*text, stop.problem_offset, &start);
  size_t begin = stop.problem_offset - start;  // the blanks around the tab
  while (begin > 0 && IsBlank(line[begin - 1])) --begin;
  size_t end = stop.problem_offset - start;
  while (end < line.size() && IsBlank(line[end])) ++end;
  const absl::string_view rest = line.substr(end);
  if (begin == 0 || line[begin - 1] != '-' ||
      rest.find(':') != absl::string_view::npos ||
      (!rest.empty() && (rest[0] == '-' || rest[0] == '?'))) {
    return false;
  }
  TabsToSpaces(start + begin, start + end, text);
  return true;
}

bool RepairBlockScalarTab(const YamlStop& stop, std::string* text,
                          size_t* inserted_at) {
  if (stop.context != kBlockScalar ||
      stop.problem !=
          "found a tab character where an indentation space is expected") {
    return false;
  }
  // The header: '|' or '>', then indicators, none of them an indentation.
  const size_t header = stop.context_offset;
  if ((*text)[header] != '|' && (*text)[header] != '>') return false;
  for (size_t i = header + 1;
       i < text->size() && absl::string_view("+-0123456789").find((*text)[i]) !=
                               absl::string_view::npos;
       ++i) {
    if ((*text)[i] != '+' && (*text)[i] != '-') return false;
  }
  // The tab's line: `indent` spaces, then the tab.
  size_t start = 0;
  const absl::string_view line = LineAt(*text, stop.problem_offset, &start);
  const size_t indent = stop.problem_offset - start;
  if (static_cast<int>(indent) != stop.problem_column ||
      line.find_first_not_of(' ') != indent) {
    return false;
  }
  // Between the header and the tab's line: empty lines, none deeper.
  const size_t first = text->find('\n', header);
  if (first == std::string::npos || first >= start) return false;
  for (size_t at = first + 1; at < start; at = text->find('\n', at) + 1) {
    size_t unused = 0;
    const absl::string_view empty = LineAt(*text, at, &unused);
    if (empty.find_first_not_of(' ') != absl::string_view::npos ||
        empty.size() > indent) {
      return false;
    }
  }
  const int digit = static_cast<int>(indent) - stop.block_indent;
  if (stop.block_indent < 0 || digit < 1 || digit > 9) return false;
  text->insert(text->begin() + header + 1, static_cast<char>('0' + digit));
  *inserted_at = header + 1;
  return true;
}

}  // namespace

bool RepairTab(const YamlStop& stop, std::string* text, size_t* inserted_at) {
  *inserted_at = std::string::npos;
  if (stop.problem_offset >= text->size() ||
      (*text)[stop.problem_offset] != '\t') {
    return false;
  }
  return RepairBlankLine(stop, text) || RepairTabAfterDash(stop, text) ||
         RepairBlockScalarTab(stop, text, inserted_at);
}

}  // namespace content
