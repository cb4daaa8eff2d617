#ifndef CONTENT_STORAGE_WHOLE_FILE_H_
#define CONTENT_STORAGE_WHOLE_FILE_H_

#include <string>

// Files read or written whole: documents, secrets, exports.

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace content {

// The contents of the file at `path`, read with one copy; NOT_FOUND naming
// the file and the reason when it cannot be read.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

// Writes `contents` to `path` through a temporary file in the same
// directory, fsync and rename, so `path` is either as before or complete,
// even after a crash. UNAVAILABLE naming the file on failure.
absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents);

}  // namespace content

#endif  // CONTENT_STORAGE_WHOLE_FILE_H_
