#ifndef CONTENT_BASE_WHOLE_FILE_H_
#define CONTENT_BASE_WHOLE_FILE_H_

#include <sys/types.h>

#include <string>

// Files read or written whole: documents, secrets, exports, manifests.

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace content {

// The status for a failed file operation on `path` with `error` (an errno
// value): NOT_FOUND for a missing file or directory, PERMISSION_DENIED for
// EACCES/EPERM/EROFS, RESOURCE_EXHAUSTED for a full disk or quota
// (ENOSPC/EDQUOT) or too many open files, FAILED_PRECONDITION for a
// directory where a file was expected and the like, UNAVAILABLE otherwise
// (I/O errors). The message names `path` and the reason.
absl::Status FileError(absl::string_view path, int error);

// The contents of the file at `path`, read with one copy; on failure the
// FileError of the call that failed.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

// Writes `contents` to `path` through a temporary file in the same
// directory: write, fsync, rename, fsync of the directory, so that `path`
// is either as before or complete, even after a crash or power loss. A crash
// may leave the temporary file `path` + ".tmp-PID-N" behind. FileError on
// failure. Thread-safe: concurrent calls use distinct temporary files.
absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents);

// Like WriteFileAtomically, but creates `path` with permissions `mode` (less
// the umask) only if it does not exist (link instead of rename):
// ALREADY_EXISTS, leaving it untouched, if it does.
absl::Status CreateFileAtomically(const std::string& path,
                                  absl::string_view contents, mode_t mode);

}  // namespace content

#endif  // CONTENT_BASE_WHOLE_FILE_H_
