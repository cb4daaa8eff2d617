#ifndef CONTENT_SERVICE_PAGE_TOKEN_H_
#define CONTENT_SERVICE_PAGE_TOKEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace content {

// Makes and checks the page tokens of the List methods (AIP-158). A token
// holds where the next page starts, a digest of the query it belongs to
// (its scope: filter, order, URL) and an HMAC-SHA256 tag, so a token altered
// by a client, made by a server with another secret, or used with another
// query is rejected instead of silently starting somewhere else.
//
// Thread-safe: all methods are const.
class PageTokenCodec {
 public:
  // `secret` should be at least 16 random bytes and the same on every server
  // that may see the token.
  explicit PageTokenCodec(std::string secret);

  // A URL-safe token that resumes the query `scope` at `position`.
  std::string Encode(absl::string_view scope, absl::string_view position) const;

  // The position inside `token`, or INVALID_ARGUMENT if the token was not
  // made by Encode with this secret and the same `scope`.
  absl::StatusOr<std::string> Decode(absl::string_view token,
                                     absl::string_view scope) const;

 private:
  std::string Tag(absl::string_view payload) const;

  std::string secret_;
};

// Reads the token secret from `path`, creating the file (0600) with 32 random
// bytes first if it does not exist, so tokens stay valid across restarts.
absl::StatusOr<std::string> LoadOrCreateTokenSecret(const std::string& path);

}  // namespace content

#endif  // CONTENT_SERVICE_PAGE_TOKEN_H_
