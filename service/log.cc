#include "service/log.h"

#include <atomic>
#include <cstdio>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace content {
namespace {

std::atomic<LogFormat> log_format{LogFormat::kPlain};

void AppendLogfmtValue(absl::string_view value, std::string* line) {
  if (!value.empty() &&
      value.find_first_of(" \"=\n\t") == absl::string_view::npos) {
    line->append(value.data(), value.size());
  } else {
    absl::StrAppend(line, "\"", absl::CHexEscape(value), "\"");
  }
}

void AppendJsonString(absl::string_view value, std::string* line) {
  line->push_back('"');
  for (unsigned char c : value) {
    switch (c) {
      case '"':
        line->append("\\\"");
        break;
      case '\\':
        line->append("\\\\");
        break;
      case '\n':
        line->append("\\n");
        break;
      case '\t':
        line->append("\\t");
        break;
      case '\r':
        line->append("\\r");
        break;
      default:
        if (c < 0x20) {
          absl::StrAppendFormat(line, "\\u%04x", c);
        } else {
          line->push_back(static_cast<char>(c));
        }
    }
  }
  line->push_back('"');
}

}  // namespace

std::string FormatLogLine(LogFormat format, absl::Time time,
                          absl::string_view level, absl::string_view event,
                          LogFields fields) {
  const std::string when =
      absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", time, absl::UTCTimeZone());
  std::string line;
  if (format == LogFormat::kPlain) {
    line = absl::StrCat("time=", when, " level=", level, " event=", event);
    for (const auto& [key, value] : fields) {
      absl::StrAppend(&line, " ", key, "=");
      AppendLogfmtValue(value, &line);
    }
  } else {
    line = absl::StrCat("{\"time\":\"", when, "\",\"level\":");
    AppendJsonString(level, &line);
    line.append(",\"event\":");
    AppendJsonString(event, &line);
    for (const auto& [key, value] : fields) {
      line.push_back(',');
      AppendJsonString(key, &line);
      line.push_back(':');
      AppendJsonString(value, &line);
    }
    line.push_back('}');
  }
  line.push_back('\n');
  return line;
}

void SetLogFormat(LogFormat format) { log_format.store(format); }

void LogEvent(absl::string_view level, absl::string_view event,
              LogFields fields) {
  const std::string line =
      FormatLogLine(log_format.load(), absl::Now(), level, event, fields);
  // One write per line: stdio locks the stream for the whole call.
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace content
