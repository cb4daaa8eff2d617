#ifndef CONTENT_STORAGE_CANONICAL_URL_H_
#define CONTENT_STORAGE_CANONICAL_URL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace content {

// Tracking query parameters removed by default. An entry ending in '*'
// matches every parameter name with that prefix ("utm_*").
std::vector<std::string> DefaultTrackingParams();

// Turns http(s) URLs into the canonical form used as storage keys, after
// RFC 3986 section 6:
//  - scheme and host lower-cased; internationalised host names converted to
//    their ASCII (punycode) form; a trailing dot on the host dropped;
//  - the scheme's default port dropped, other ports written without zeros;
//  - percent-encoding normalised: escapes of unreserved characters decoded,
//    hex digits upper-cased, characters that may not appear raw escaped;
//  - dot segments removed, an empty path written as "/";
//  - the fragment dropped, tracking query parameters removed, an empty query
//    dropped; the order of the remaining parameters is kept.
// http and https URLs stay distinct.
//
// Thread-safe: all methods are const.
class UrlCanonicalizer {
 public:
  // `tracking_params` as described for DefaultTrackingParams().
  explicit UrlCanonicalizer(
      std::vector<std::string> tracking_params = DefaultTrackingParams());

  // Returns the canonical form of `url`, or INVALID_ARGUMENT saying why it is
  // not an absolute http(s) URL (the message reads after "url ").
  absl::StatusOr<std::string> Canonicalize(absl::string_view url) const;

 private:
  bool IsTrackingParam(absl::string_view name) const;

  std::vector<std::string> exact_params_;
  std::vector<std::string> prefix_params_;
};

}  // namespace content

#endif  // CONTENT_STORAGE_CANONICAL_URL_H_
