#ifndef CONTENT_URL_CANONICAL_URL_H_
#define CONTENT_URL_CANONICAL_URL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace content {

// Tracking query parameters removed by default. An entry ending in '*'
// matches every parameter name with that prefix ("utm_*").
std::vector<std::string> DefaultTrackingParams();

// Turns http(s) URLs into the canonical form used as storage keys. A URL is
// read as browsers, Node's URL and crawlers read it (the WHATWG URL Standard,
// https://url.spec.whatwg.org/, section 4.4 "URL parsing", the basic URL
// parser for the special schemes http and https), so every spelling they
// treat as one URL gives one key; the key is then normalised after RFC 3986
// section 6:
//  - leading and trailing C0 controls and spaces are stripped, tabs and
//    newlines removed wherever they are; the scheme may be followed by any
//    number of '/' or '\' ("http:example.com", "https:/example.com" and
//    "http:\\example.com" are "http://example.com/");
//  - scheme lower-cased; http and https stay distinct;
//  - an empty userinfo ("@", ":@") is dropped;
//  - the host parsed and written as ParseUrlHost (url/url_host.h) does:
//    lower-cased, percent-decoded, IDNs converted to punycode (UTS #46 via
//    libidn2), IPv4 addresses in any form the standard accepts ("0x7f.1",
//    "2130706433") written in dotted decimal, IPv6 addresses as RFC 5952 and
//    the standard write them ("[2001:db8::1]"); then the final dot of a fully
//    qualified name is dropped ("example.com." is "example.com"); empty
//    labels inside the name are kept, as the standard keeps them ("a..b");
//  - the port read with any number of leading zeros, the scheme's default
//    dropped (":0000080" for http), others written without leading zeros;
//  - '\' in the path read as '/'; percent-encoding normalised: escapes of
//    unreserved characters decoded, hex digits upper-cased, every character
//    that may not appear raw escaped (a space as "%20", a control, a
//    non-ASCII byte as its UTF-8 escapes, a stray '%' as "%25", and in the
//    query the apostrophe, which is in the standard's special-query
//    percent-encode set: "?'" gives "?%27");
//  - dot segments removed (also "%2e" ones), an empty path written as "/";
//  - the fragment dropped, tracking query parameters removed, empty
//    parameters and an empty query dropped; the order of the remaining
//    parameters is kept.
// A canonical form is its own canonical form.
//
// Refused, each with INVALID_ARGUMENT and a message that reads after "url ":
// an empty input; no scheme, or one other than http and https; credentials
// (a non-empty user name or password: they must not reach a key or a stored
// webUrl); no host; a host ParseUrlHost refuses (an unclosed or malformed
// IPv6 address, a forbidden code point such as '<', '^', '|', a space or a
// '%' left after decoding, invalid UTF-8, an IDNA failure such as the
// invalid punycode of "xn--a", or a last label that looks numeric without
// the host being an IPv4 address, as in "1.2.3.08" or "foo.0x4"); a host
// that still ends in a dot once the final one is dropped ("a.."); a port
// that is not a number up to 65535.
//
// Where this refuses what the standard accepts: a non-ASCII label that starts
// or ends with '-' or has "--" third and fourth (libidn2 always checks
// hyphens), or also holds ASCII punctuation other than '-' and '_' (libidn2
// cannot encode it); a label that mixes right-to-left text or a deviation
// character (U+00DF, U+03C2, ZWJ, ZWNJ) with a character IDNA2008 disallows;
// a host that ends in two dots.
//
// Thread-safe: all methods are const.
class UrlCanonicalizer {
 public:
  // `tracking_params` as described for DefaultTrackingParams().
  explicit UrlCanonicalizer(
      std::vector<std::string> tracking_params = DefaultTrackingParams());

  // Returns the canonical form of `url`, or INVALID_ARGUMENT saying why it is
  // not an absolute http(s) URL that may be stored (the message reads after
  // "url ", as in "url carries credentials ...").
  absl::StatusOr<std::string> Canonicalize(absl::string_view url) const;

 private:
  bool IsTrackingParam(absl::string_view name) const;

  std::vector<std::string> exact_params_;
  std::vector<std::string> prefix_params_;
};

}  // namespace content

#endif  // CONTENT_URL_CANONICAL_URL_H_
