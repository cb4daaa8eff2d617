#include "url/canonical_url.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "url/url_host.h"

namespace content {
namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";

absl::Status Invalid(absl::string_view why) {
  return absl::InvalidArgumentError(why);
}

bool IsUnreserved(unsigned char c) {
  return absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

enum class Part { kPath, kQuery };

// Characters a path or query keeps raw: RFC 3986's unreserved characters,
// sub-delims, ':' and '@' (section 3.3), and '?' in a query (section 3.4).
// The exception is the apostrophe in a query, which browsers escape (the URL
// Standard's special-query percent-encode set), so "?'" and "?%27" must give
// one key.
bool KeepsRaw(unsigned char c, Part part) {
  if (IsUnreserved(c) || absl::StrContains("!$&()*+,;=:@/", c)) return true;
  if (c == '\'') return part == Part::kPath;
  return c == '?' && part == Part::kQuery;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = absl::ascii_tolower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

void AppendEscaped(unsigned char c, std::string* out) {
  out->push_back('%');
  out->push_back(kHexDigits[c >> 4]);
  out->push_back(kHexDigits[c & 0xF]);
}

// Normalises percent-encoding (RFC 3986 section 6.2.2.2): decodes escaped
// unreserved characters, upper-cases the hex of the other escapes, and
// escapes every other character not kept raw (a space, a control, a non-ASCII
// byte, a stray '%').
std::string NormalizeEscapes(absl::string_view in, Part part) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const unsigned char c = in[i];
    if (c == '%' && i + 2 < in.size() && HexValue(in[i + 1]) >= 0 &&
        HexValue(in[i + 2]) >= 0) {
      const unsigned char decoded = static_cast<unsigned char>(
          HexValue(in[i + 1]) * 16 + HexValue(in[i + 2]));
      if (IsUnreserved(decoded)) {
        out.push_back(decoded);
      } else {
        AppendEscaped(decoded, &out);
      }
      i += 2;
    } else if (KeepsRaw(c, part)) {
      out.push_back(c);
    } else {
      AppendEscaped(c, &out);
    }
  }
  return out;
}

// RFC 3986 section 5.2.4, for a path that starts with '/'.
std::string RemoveDotSegments(absl::string_view path) {
  std::vector<absl::string_view> kept;
  std::vector<absl::string_view> segments = absl::StrSplit(path.substr(1), '/');
  for (size_t i = 0; i < segments.size(); ++i) {
    const absl::string_view segment = segments[i];
    const bool last = i + 1 == segments.size();
    if (segment == "." || segment == "..") {
      if (segment == ".." && !kept.empty()) kept.pop_back();
      if (last) kept.push_back("");  // "/a/b/.." keeps its trailing slash
    } else {
      kept.push_back(segment);
    }
  }
  return absl::StrCat("/", absl::StrJoin(kept, "/"));
}

// The URL Standard's first steps (section 4.4, "basic URL parser"): leading
// and trailing C0 controls and spaces are stripped, tabs and newlines removed
// wherever they are.
std::string StripControlsAndNewlines(absl::string_view url) {
  while (!url.empty() && static_cast<unsigned char>(url.front()) <= 0x20) {
    url.remove_prefix(1);
  }
  while (!url.empty() && static_cast<unsigned char>(url.back()) <= 0x20) {
    url.remove_suffix(1);
  }
  std::string out;
  out.reserve(url.size());
  for (char c : url) {
    if (c != '\t' && c != '\n' && c != '\r') out.push_back(c);
  }
  return out;
}

// Consumes "scheme:" and the slashes or backslashes after it, any number of
// them ("http:host", "http:/host" and "http:\\host" are "http://host", as the
// standard's special authority states read them). Returns the lower-cased
// scheme.
absl::StatusOr<std::string> ConsumeScheme(absl::string_view* rest) {
  const size_t colon = rest->find(':');
  const absl::string_view scheme = rest->substr(0, colon);
  const bool valid =
      colon != absl::string_view::npos && !scheme.empty() &&
      absl::ascii_isalpha(scheme.front()) &&
      std::all_of(scheme.begin(), scheme.end(), [](char c) {
        return absl::ascii_isalnum(c) || c == '+' || c == '-' || c == '.';
      });
  if (!valid) return Invalid("has no scheme");
  std::string lowered = absl::AsciiStrToLower(scheme);
  if (lowered != "http" && lowered != "https") {
    return Invalid("must use the http or https scheme");
  }
  rest->remove_prefix(colon + 1);
  while (!rest->empty() && (rest->front() == '/' || rest->front() == '\\')) {
    rest->remove_prefix(1);
  }
  return lowered;
}

// Splits an authority into host and port (either may be empty) after
// refusing credentials. Userinfo runs to the last '@'; an empty one ("@" or
// ":@") is dropped, as the standard drops it. The host ends at the first ':'
// outside brackets.
absl::Status SplitAuthority(absl::string_view authority,
                            absl::string_view* host, absl::string_view* port) {
  const size_t at = authority.rfind('@');
  if (at != absl::string_view::npos) {
    const absl::string_view userinfo = authority.substr(0, at);
    if (!userinfo.empty() && userinfo != ":") {
      return Invalid(
          "carries credentials (a user name or password before '@'); "
          "remove them");
    }
    authority.remove_prefix(at + 1);
  }
  bool in_brackets = false;
  size_t colon = 0;
  for (; colon < authority.size(); ++colon) {
    if (authority[colon] == '[') in_brackets = true;
    if (authority[colon] == ']') in_brackets = false;
    if (authority[colon] == ':' && !in_brackets) break;
  }
  *host = authority.substr(0, colon);
  *port = authority.substr(std::min(colon + 1, authority.size()));
  return absl::OkStatus();
}

// The host as ParseUrlHost writes it, less the final dot of a fully
// qualified name. A name that still ends in a dot ("a..") is refused:
// dropping that dot too would make the key change when canonicalised again.
absl::StatusOr<std::string> CanonicalHost(absl::string_view raw_host) {
  absl::StatusOr<std::string> host = ParseUrlHost(raw_host);
  if (!host.ok()) return host.status();
  if (absl::EndsWith(*host, ".")) host->pop_back();
  if (host->empty()) return Invalid("has no host");
  if (absl::EndsWith(*host, ".")) {
    return Invalid("has an empty label at the end of its host");
  }
  return host;
}

// Returns the port to keep ("" for none or the default), or an error. Any
// number of leading zeros is allowed, as in the standard's port state.
absl::StatusOr<std::string> CanonicalPort(absl::string_view port,
                                          absl::string_view scheme) {
  if (port.empty()) return std::string();
  uint32_t value = 0;
  for (char c : port) {
    if (!absl::ascii_isdigit(c)) return Invalid("has an invalid port");
    value =
        std::min<uint32_t>(value * 10 + static_cast<uint32_t>(c - '0'), 65536);
  }
  if (value > 65535) return Invalid("has a port above 65535");
  const uint32_t default_port = scheme == "http" ? 80 : 443;
  return value == default_port ? std::string() : absl::StrCat(value);
}

}  // namespace

std::vector<std::string> DefaultTrackingParams() {
  return {"utm_*",  "fbclid",  "gclid",  "gclsrc", "dclid",   "gbraid",
          "wbraid", "msclkid", "mc_cid", "mc_eid", "yclid",   "igshid",
          "_ga",    "_gl",     "_hsenc", "_hsmi",  "mkt_tok", "twclid"};
}

UrlCanonicalizer::UrlCanonicalizer(std::vector<std::string> tracking_params) {
  for (std::string& param : tracking_params) {
    absl::AsciiStrToLower(&param);
    if (absl::EndsWith(param, "*")) {
      param.pop_back();
      prefix_params_.push_back(std::move(param));
    } else {
      exact_params_.push_back(std::move(param));
    }
  }
}

bool UrlCanonicalizer::IsTrackingParam(absl::string_view name) const {
  const std::string lowered = absl::AsciiStrToLower(PercentDecode(name));
  for (const std::string& exact : exact_params_) {
    if (lowered == exact) return true;
  }
  for (const std::string& prefix : prefix_params_) {
    if (absl::StartsWith(lowered, prefix)) return true;
  }
  return false;
}

absl::StatusOr<std::string> UrlCanonicalizer::Canonicalize(
    absl::string_view url) const {
  const std::string input = StripControlsAndNewlines(url);
  if (input.empty()) return Invalid("is empty");
  absl::string_view rest = input;
  absl::StatusOr<std::string> scheme = ConsumeScheme(&rest);
  if (!scheme.ok()) return scheme.status();

  rest = rest.substr(0, rest.find('#'));  // the fragment is dropped
  const size_t authority_end = rest.find_first_of("/\\?");
  absl::string_view host;
  absl::string_view port;
  absl::Status split =
      SplitAuthority(rest.substr(0, authority_end), &host, &port);
  if (!split.ok()) return split;
  absl::StatusOr<std::string> canonical_host = CanonicalHost(host);
  if (!canonical_host.ok()) return canonical_host.status();
  absl::StatusOr<std::string> canonical_port = CanonicalPort(port, *scheme);
  if (!canonical_port.ok()) return canonical_port.status();

  rest.remove_prefix(std::min(authority_end, rest.size()));
  const size_t query_start = rest.find('?');
  std::string path(rest.substr(0, query_start));
  std::replace(path.begin(), path.end(), '\\', '/');  // as browsers read it
  const absl::string_view query = query_start == absl::string_view::npos
                                      ? ""
                                      : rest.substr(query_start + 1);
  const std::string canonical_path =
      path.empty() ? "/"
                   : RemoveDotSegments(NormalizeEscapes(path, Part::kPath));

  std::vector<std::string> params;
  for (absl::string_view param :
       absl::StrSplit(query, '&', absl::SkipEmpty())) {
    if (!IsTrackingParam(param.substr(0, param.find('=')))) {
      params.push_back(NormalizeEscapes(param, Part::kQuery));
    }
  }

  std::string canonical = absl::StrCat(*scheme, "://", *canonical_host);
  if (!canonical_port->empty()) {
    absl::StrAppend(&canonical, ":", *canonical_port);
  }
  absl::StrAppend(&canonical, canonical_path);
  if (!params.empty()) {
    absl::StrAppend(&canonical, "?", absl::StrJoin(params, "&"));
  }
  return canonical;
}

}  // namespace content
