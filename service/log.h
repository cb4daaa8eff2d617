#ifndef CONTENT_SERVICE_LOG_H_
#define CONTENT_SERVICE_LOG_H_

#include <string>
#include <utility>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

namespace content {

// One line per event, in one of two formats:
//   kPlain (logfmt): time=2026-11-26T12:00:00.123Z level=info event=listening
//                    address=127.0.0.1:50051   (values quoted when needed)
//   kJson:           {"time":"2026-11-26T12:00:00.123Z","level":"info",
//                     "event":"listening","address":"127.0.0.1:50051"}
enum class LogFormat { kPlain, kJson };

using LogField = std::pair<absl::string_view, std::string>;
using LogFields = absl::Span<const LogField>;

// The line for one event at `time`, with its newline.
std::string FormatLogLine(LogFormat format, absl::Time time,
                          absl::string_view level, absl::string_view event,
                          LogFields fields);

// Chooses the format of LogEvent; kPlain until called. Call before serving.
void SetLogFormat(LogFormat format);

// Writes the line for one event to stderr. Callers must never pass article
// content: the `secured` field in particular is never logged. Thread-safe;
// lines never interleave.
void LogEvent(absl::string_view level, absl::string_view event,
              LogFields fields = {});

}  // namespace content

#endif  // CONTENT_SERVICE_LOG_H_
