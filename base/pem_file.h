#ifndef CONTENT_BASE_PEM_FILE_H_
#define CONTENT_BASE_PEM_FILE_H_

// Reading TLS credentials: shared by the client's channel and the server.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace content {

// The text of the PEM file at `path` (a certificate chain or a key), or
// INVALID_ARGUMENT "<what>: <path> cannot be read (<reason>)" or "...: <path>
// holds no PEM block".
absl::StatusOr<std::string> ReadPemFile(const std::string& path,
                                        absl::string_view what);

}  // namespace content

#endif  // CONTENT_BASE_PEM_FILE_H_
