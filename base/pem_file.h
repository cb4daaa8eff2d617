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

// The files of a TLS client: the CA that signed the server's certificate
// (empty: the caller's default roots) and, for mutual TLS, a certificate
// chain with its key (both or neither). Each with the name errors use for
// it (a setting or a flag).
struct ClientTlsFiles {
  struct File {
    std::string path;
    absl::string_view what;
  };
  File ca;
  File cert;
  File key;
};

// Their contents, "" where a path is empty.
struct ClientTlsPem {
  std::string roots;
  std::string cert_chain;
  std::string private_key;
};

// Reads `files`. INVALID_ARGUMENT naming the file that cannot be read, or
// both names when only one of the certificate and the key is given.
absl::StatusOr<ClientTlsPem> ReadClientTlsFiles(const ClientTlsFiles& files);

}  // namespace content

#endif  // CONTENT_BASE_PEM_FILE_H_
