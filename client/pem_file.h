#ifndef CONTENT_CLIENT_PEM_FILE_H_
#define CONTENT_CLIENT_PEM_FILE_H_

// Reading TLS credentials: shared by the client's channel and the server.
// Header-only, so the server uses it without linking the client library.

#include <fstream>
#include <iterator>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace content {

// The text of the PEM file at `path` (a certificate chain or a key), or
// INVALID_ARGUMENT "<what>: <path> cannot be read or holds no PEM block".
inline absl::StatusOr<std::string> ReadPemFile(const std::string& path,
                                               absl::string_view what) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  if (text.find("-----BEGIN ") == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": ", path, " cannot be read or holds no PEM block"));
  }
  return text;
}

}  // namespace content

#endif  // CONTENT_CLIENT_PEM_FILE_H_
