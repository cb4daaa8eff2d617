#include "storage/canonical_url.h"

#include <idn2.h>

#include <cstdlib>
#include <memory>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace content {
namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";

bool IsUnreserved(unsigned char c) {
  return absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// Characters that may appear unescaped in a path, query or userinfo besides
// the unreserved ones: sub-delims, ':', '@', '/', '?'.
bool IsAllowedRaw(unsigned char c) {
  return IsUnreserved(c) || absl::StrContains("!$&'()*+,;=:@/?", c);
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
// escapes characters that may not appear raw (including a stray '%').
std::string NormalizeEscapes(absl::string_view in) {
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
    } else if (IsAllowedRaw(c)) {
      out.push_back(c);
    } else {
      AppendEscaped(c, &out);
    }
  }
  return out;
}

std::string PercentDecode(absl::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && HexValue(in[i + 1]) >= 0 &&
        HexValue(in[i + 2]) >= 0) {
      out.push_back(
          static_cast<char>(HexValue(in[i + 1]) * 16 + HexValue(in[i + 2])));
      i += 2;
    } else {
      out.push_back(in[i]);
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

absl::Status Invalid(absl::string_view why) {
  return absl::InvalidArgumentError(why);
}

absl::StatusOr<std::string> CanonicalHost(absl::string_view raw_host) {
  if (raw_host.empty()) return Invalid("has no host");
  if (raw_host.front() == '[') {  // IP literal
    if (raw_host.back() != ']') return Invalid("has an unclosed IPv6 literal");
    for (char c : raw_host.substr(1, raw_host.size() - 2)) {
      if (!absl::ascii_isxdigit(c) && c != ':' && c != '.') {
        return Invalid("has an invalid IPv6 literal");
      }
    }
    return absl::AsciiStrToLower(raw_host);
  }
  std::string host = PercentDecode(raw_host);
  if (absl::EndsWith(host, ".")) host.pop_back();
  if (host.empty()) return Invalid("has no host");
  const bool ascii = std::all_of(host.begin(), host.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x80;
  });
  if (!ascii) {
    char* converted = nullptr;
    const int rc = idn2_to_ascii_8z(host.c_str(), &converted,
                                    IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
    std::unique_ptr<char, decltype(&idn2_free)> owned(converted, &idn2_free);
    if (rc != IDN2_OK) {
      return Invalid(absl::StrCat("has an invalid internationalised host (",
                                  idn2_strerror(rc), ")"));
    }
    host = converted;
    // IDNA maps some code points (a soft hyphen, say) to nothing.
    if (host.empty()) return Invalid("has no host");
  }
  absl::AsciiStrToLower(&host);
  for (char c : host) {
    if (!absl::ascii_isalnum(c) && c != '-' && c != '.' && c != '_') {
      return Invalid("has an invalid character in its host");
    }
  }
  // Empty labels ("a..b", ".a", "a..") name no host; dropping them instead
  // would give one article several keys.
  if (host.front() == '.' || host.back() == '.' ||
      host.find("..") != std::string::npos) {
    return Invalid("has an empty label in its host");
  }
  return host;
}

// Returns the port to keep ("" for none or the default), or an error.
absl::StatusOr<std::string> CanonicalPort(absl::string_view port,
                                          absl::string_view scheme) {
  if (port.empty()) return std::string();
  int value = 0;
  if (port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), absl::ascii_isdigit) ||
      !absl::SimpleAtoi(port, &value) || value > 65535) {
    return Invalid("has an invalid port");
  }
  const int default_port = scheme == "http" ? 80 : 443;
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
  if (url.empty()) return Invalid("is empty");
  for (unsigned char c : url) {
    if (c <= 0x20 || c == 0x7F) {
      return Invalid("contains whitespace or a control character");
    }
  }
  const size_t colon = url.find(':');
  if (colon == absl::string_view::npos) return Invalid("has no scheme");
  const std::string scheme = absl::AsciiStrToLower(url.substr(0, colon));
  if (scheme != "http" && scheme != "https") {
    return Invalid("must use the http or https scheme");
  }
  absl::string_view rest = url.substr(colon + 1);
  if (!absl::ConsumePrefix(&rest, "//")) return Invalid("has no host");

  rest = rest.substr(0, rest.find('#'));
  const size_t authority_end = rest.find_first_of("/?");
  absl::string_view authority = rest.substr(0, authority_end);
  absl::string_view path_and_query = authority_end == absl::string_view::npos
                                         ? ""
                                         : rest.substr(authority_end);
  const size_t query_start = path_and_query.find('?');
  absl::string_view path = path_and_query.substr(0, query_start);
  absl::string_view query = query_start == absl::string_view::npos
                                ? ""
                                : path_and_query.substr(query_start + 1);

  std::string userinfo;
  const size_t at = authority.rfind('@');
  if (at != absl::string_view::npos) {
    userinfo = NormalizeEscapes(authority.substr(0, at)) + "@";
    authority.remove_prefix(at + 1);
  }
  const size_t ipv6_end = authority.rfind(']');
  const size_t port_colon = authority.rfind(':');
  absl::string_view host = authority;
  absl::string_view port;
  if (port_colon != absl::string_view::npos &&
      (ipv6_end == absl::string_view::npos || port_colon > ipv6_end)) {
    host = authority.substr(0, port_colon);
    port = authority.substr(port_colon + 1);
  }
  absl::StatusOr<std::string> canonical_host = CanonicalHost(host);
  if (!canonical_host.ok()) return canonical_host.status();
  absl::StatusOr<std::string> canonical_port = CanonicalPort(port, scheme);
  if (!canonical_port.ok()) return canonical_port.status();

  std::string canonical_path =
      path.empty() ? "/" : RemoveDotSegments(NormalizeEscapes(path));

  std::vector<std::string> params;
  for (absl::string_view param :
       absl::StrSplit(query, '&', absl::SkipEmpty())) {
    if (!IsTrackingParam(param.substr(0, param.find('=')))) {
      params.push_back(NormalizeEscapes(param));
    }
  }

  std::string canonical =
      absl::StrCat(scheme, "://", userinfo, *canonical_host);
  if (!canonical_port->empty())
    absl::StrAppend(&canonical, ":", *canonical_port);
  absl::StrAppend(&canonical, canonical_path);
  if (!params.empty())
    absl::StrAppend(&canonical, "?", absl::StrJoin(params, "&"));
  return canonical;
}

}  // namespace content
