#ifndef CONTENT_SERVICE_PAGE_TOKEN_H_
#define CONTENT_SERVICE_PAGE_TOKEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace content {

// Makes and checks the page tokens of ListArticles (AIP-158). A token names
// the last key of the page it follows and carries an HMAC-SHA256 tag, so a
// token altered by a client, or made by a server with another secret, is
// rejected instead of silently starting somewhere else.
//
// Thread-safe: all methods are const.
class PageTokenCodec {
 public:
  // `secret` should be at least 16 random bytes and the same on every server
  // that may see the token.
  explicit PageTokenCodec(std::string secret);

  // A URL-safe token that resumes listing after `last_key`.
  std::string Encode(absl::string_view last_key) const;

  // The last key inside `token`, or INVALID_ARGUMENT if the token was not
  // made by Encode with this secret.
  absl::StatusOr<std::string> Decode(absl::string_view token) const;

 private:
  std::string Tag(absl::string_view payload) const;

  std::string secret_;
};

// Reads the token secret from `path`, creating the file (0600) with 32 random
// bytes first if it does not exist, so tokens stay valid across restarts.
absl::StatusOr<std::string> LoadOrCreateTokenSecret(const std::string& path);

}  // namespace content

#endif  // CONTENT_SERVICE_PAGE_TOKEN_H_
