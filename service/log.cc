#include "service/log.h"

#include <cstdio>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace content {
namespace {

void AppendValue(absl::string_view value, std::string* line) {
  if (!value.empty() &&
      value.find_first_of(" \"=\n\t") == absl::string_view::npos) {
    line->append(value.data(), value.size());
  } else {
    absl::StrAppend(line, "\"", absl::CHexEscape(value), "\"");
  }
}

}  // namespace

void LogEvent(
    absl::string_view level, absl::string_view event,
    std::initializer_list<std::pair<absl::string_view, std::string>> fields) {
  std::string line =
      absl::StrCat("time=",
                   absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                                    absl::UTCTimeZone()),
                   " level=", level, " event=", event);
  for (const auto& [key, value] : fields) {
    absl::StrAppend(&line, " ", key, "=");
    AppendValue(value, &line);
  }
  line.push_back('\n');
  // One write per line: stdio locks the stream for the whole call.
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace content
