#ifndef CONTENT_SERVICE_LOG_H_
#define CONTENT_SERVICE_LOG_H_

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace content {

// Writes one logfmt line per event to stderr, e.g.
//   time=2026-11-26T12:00:00.123Z level=info event=listening address=...
// Values with spaces, quotes or '=' are quoted. Callers must never pass
// article content: the `secured` field in particular is never logged.
// Thread-safe; lines never interleave.
void LogEvent(absl::string_view level, absl::string_view event,
              std::initializer_list<std::pair<absl::string_view, std::string>>
                  fields = {});

}  // namespace content

#endif  // CONTENT_SERVICE_LOG_H_
