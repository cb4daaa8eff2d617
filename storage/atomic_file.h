#ifndef CONTENT_STORAGE_ATOMIC_FILE_H_
#define CONTENT_STORAGE_ATOMIC_FILE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace content {

// Writes `contents` to `path` through a temporary file in the same
// directory, fsync and rename, so `path` is either as before or complete,
// even after a crash. UNAVAILABLE naming the file on failure.
absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents);

}  // namespace content

#endif  // CONTENT_STORAGE_ATOMIC_FILE_H_
