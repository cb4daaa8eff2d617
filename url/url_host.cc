#include "url/url_host.h"

#include <idn2.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace content {
namespace {

using Ipv6Address = std::array<uint16_t, 8>;

absl::Status Invalid(absl::string_view why) {
  return absl::InvalidArgumentError(why);
}

absl::Status MalformedIpv6() { return Invalid("has a malformed IPv6 address"); }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = absl::ascii_tolower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Reads the dotted IPv4 tail of an IPv6 address ("...:1.2.3.4") into
// (*address)[*piece] and the piece after it.
absl::Status ParseIpv4InIpv6(absl::string_view in, Ipv6Address* address,
                             int* piece) {
  int numbers_seen = 0;
  size_t i = 0;
  while (i < in.size()) {
    if (numbers_seen > 0) {
      if (in[i] != '.' || numbers_seen == 4) return MalformedIpv6();
      ++i;
    }
    if (i == in.size() || !absl::ascii_isdigit(in[i])) return MalformedIpv6();
    int number = -1;
    for (; i < in.size() && absl::ascii_isdigit(in[i]); ++i) {
      if (number == 0) return MalformedIpv6();  // no leading zeros
      number = (number < 0 ? 0 : number * 10) + (in[i] - '0');
      if (number > 255) return MalformedIpv6();
    }
    (*address)[*piece] = static_cast<uint16_t>((*address)[*piece] * 0x100 +
                                               static_cast<unsigned>(number));
    ++numbers_seen;
    if (numbers_seen % 2 == 0) ++*piece;
  }
  return numbers_seen == 4 ? absl::OkStatus() : MalformedIpv6();
}

// The WHATWG "IPv6 parser", for the text between the brackets.
absl::StatusOr<Ipv6Address> ParseIpv6(absl::string_view in) {
  Ipv6Address address{};
  int piece = 0;
  std::optional<int> compress;  // where "::" stood
  size_t i = 0;
  if (absl::StartsWith(in, ":")) {
    if (!absl::StartsWith(in, "::")) return MalformedIpv6();
    i = 2;
    compress = ++piece;
  }
  while (i < in.size()) {
    if (piece == 8) return MalformedIpv6();
    if (in[i] == ':') {
      if (compress.has_value()) return MalformedIpv6();  // a second "::"
      ++i;
      compress = ++piece;
      continue;
    }
    unsigned value = 0;
    size_t length = 0;
    for (; length < 4 && i < in.size() && absl::ascii_isxdigit(in[i]);
         ++length, ++i) {
      value = value * 16 + static_cast<unsigned>(HexValue(in[i]));
    }
    if (i < in.size() && in[i] == '.') {
      if (length == 0 || piece > 6) return MalformedIpv6();
      absl::Status tail =
          ParseIpv4InIpv6(in.substr(i - length), &address, &piece);
      if (!tail.ok()) return tail;
      break;
    }
    if (i < in.size()) {
      if (in[i] != ':' || i + 1 == in.size()) return MalformedIpv6();
      ++i;
    }
    address[piece++] = static_cast<uint16_t>(value);
  }
  if (compress.has_value()) {
    // Move the pieces written after "::" to the end; zeros fill the gap.
    const int tail = piece - *compress;
    std::move_backward(address.begin() + *compress, address.begin() + piece,
                       address.end());
    std::fill(address.begin() + *compress, address.end() - tail, 0);
  } else if (piece != 8) {
    return MalformedIpv6();
  }
  return address;
}

// RFC 5952 section 4 and the WHATWG "IPv6 serializer".
std::string SerializeIpv6(const Ipv6Address& address) {
  int run_start = -1;
  int run_length = 1;  // only runs of two or more zeros are compressed
  for (int i = 0; i < 8;) {
    int end = i;
    while (end < 8 && address[end] == 0) ++end;
    if (end - i > run_length) {
      run_start = i;
      run_length = end - i;
    }
    i = std::max(end, i + 1);
  }
  std::string out = "[";
  for (int i = 0; i < 8; ++i) {
    if (i == run_start) {
      out += i == 0 ? "::" : ":";
      i += run_length - 1;
      continue;
    }
    absl::StrAppend(&out, absl::Hex(address[i]), i < 7 ? ":" : "");
  }
  out += "]";
  return out;
}

// The WHATWG "IPv4 number parser": decimal, 0x-hex or 0-octal; "0x" alone is
// 0. Values above 2^32 are reported as 2^32 + 1 (too big either way).
std::optional<uint64_t> ParseIpv4Number(absl::string_view part) {
  if (part.empty()) return std::nullopt;
  int radix = 10;
  if (absl::StartsWithIgnoreCase(part, "0x")) {
    radix = 16;
    part.remove_prefix(2);
  } else if (part.size() > 1 && part.front() == '0') {
    radix = 8;
    part.remove_prefix(1);
  }
  constexpr uint64_t kTooBig = (uint64_t{1} << 32) + 1;
  uint64_t value = 0;
  for (char c : part) {
    const int digit = HexValue(c);
    if (digit < 0 || digit >= radix) return std::nullopt;
    value = std::min(kTooBig, value * radix + static_cast<uint64_t>(digit));
  }
  return value;
}

// Splits a domain into labels, ignoring one trailing empty label.
std::vector<absl::string_view> Ipv4Parts(absl::string_view domain) {
  std::vector<absl::string_view> parts = absl::StrSplit(domain, '.');
  if (parts.size() > 1 && parts.back().empty()) parts.pop_back();
  return parts;
}

// The WHATWG "ends in a number checker".
bool EndsInANumber(absl::string_view domain) {
  const absl::string_view last = Ipv4Parts(domain).back();
  const bool digits = !last.empty() && last.find_first_not_of("0123456789") ==
                                           absl::string_view::npos;
  return digits || ParseIpv4Number(last).has_value();
}

// The WHATWG "IPv4 parser" and "IPv4 serializer" (dotted decimal).
absl::StatusOr<std::string> ParseIpv4(absl::string_view domain) {
  const std::vector<absl::string_view> parts = Ipv4Parts(domain);
  const absl::Status not_ipv4 =
      Invalid("has a host that ends in a number but is not an IPv4 address");
  if (parts.size() > 4) return not_ipv4;
  std::vector<uint64_t> numbers;
  for (absl::string_view part : parts) {
    std::optional<uint64_t> number = ParseIpv4Number(part);
    if (!number.has_value()) return not_ipv4;
    numbers.push_back(*number);
  }
  // Each part but the last is one byte; the last fills the remaining bytes.
  uint64_t address = numbers.back();
  if (address >= uint64_t{1} << (8 * (5 - numbers.size()))) return not_ipv4;
  for (size_t i = 0; i + 1 < numbers.size(); ++i) {
    if (numbers[i] > 255) return not_ipv4;
    address += numbers[i] << (8 * (3 - i));
  }
  return absl::StrCat(address >> 24, ".", (address >> 16) & 0xFF, ".",
                      (address >> 8) & 0xFF, ".", address & 0xFF);
}

// Decodes the UTF-8 sequence at s[*i] and advances *i past it; returns -1
// for a byte that does not start a well-formed, shortest-form sequence.
int64_t NextCodePoint(absl::string_view s, size_t* i) {
  const unsigned char lead = s[*i];
  size_t length = 1;
  uint32_t code_point = lead;
  if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0F;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1F;
  } else if (lead >= 0x80) {
    return -1;  // a continuation byte or an overlong or out-of-range lead
  }
  if (*i + length > s.size()) return -1;
  for (size_t k = 1; k < length; ++k) {
    const unsigned char next = s[*i + k];
    if ((next & 0xC0) != 0x80) return -1;
    code_point = (code_point << 6) | (next & 0x3F);
  }
  if ((length == 3 && (code_point < 0x800 ||
                       (code_point >= 0xD800 && code_point <= 0xDFFF))) ||
      (length == 4 && (code_point < 0x10000 || code_point > 0x10FFFF))) {
    return -1;
  }
  *i += length;
  return code_point;
}

bool IsValidUtf8(absl::string_view s) {
  for (size_t i = 0; i < s.size();) {
    if (NextCodePoint(s, &i) < 0) return false;
  }
  return true;
}

// Whether `s` (valid UTF-8) has a code point from a right-to-left script
// block (Hebrew to Arabic Extended, their presentation forms, and the
// supplementary right-to-left ranges), which makes its domain a Bidi domain
// name under RFC 5893.
bool HasRightToLeftCodePoint(absl::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const int64_t c = NextCodePoint(s, &i);
    if (c < 0) return false;
    if ((c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) ||
        (c >= 0xFE70 && c <= 0xFEFE) || (c >= 0x10800 && c <= 0x10FFF) ||
        (c >= 0x1E800 && c <= 0x1EFFF)) {
      return true;
    }
  }
  return false;
}

// Forbidden domain code points that are ASCII (the standard's list; IDNA
// output is ASCII, so no others can remain).
bool IsForbiddenInDomain(unsigned char c) {
  return c <= 0x20 || c == 0x7F || absl::StrContains("#%/:<>?@[\\]^|", c);
}

absl::Status CheckNoForbiddenCodePoint(absl::string_view domain) {
  for (unsigned char c : domain) {
    if (IsForbiddenInDomain(c)) {
      return Invalid(absl::StrCat("has a character its host may not contain (",
                                  c > 0x20 && c < 0x7F
                                      ? absl::StrFormat("'%c'", c)
                                      : absl::StrFormat("byte 0x%02X", c),
                                  ")"));
    }
  }
  return absl::OkStatus();
}

// UTS #46 deviation characters (sharp s, final sigma, ZWNJ, ZWJ), which
// transitional processing would map away.
bool HasDeviationCharacter(absl::string_view label) {
  for (absl::string_view deviation :
       {"\xC3\x9F", "\xCF\x82", "\xE2\x80\x8C", "\xE2\x80\x8D"}) {
    if (absl::StrContains(label, deviation)) return true;
  }
  return false;
}

int Idn2ToAscii(const std::string& label, int flags, std::string* out) {
  char* converted = nullptr;
  const int rc =
      idn2_to_ascii_8z(label.c_str(), &converted, IDN2_NFC_INPUT | flags);
  std::unique_ptr<char, decltype(&idn2_free)> owned(converted, &idn2_free);
  if (rc == IDN2_OK) *out = converted;
  return rc;
}

// Whether transitional processing gives what non-transitional processing
// would, less libidn2's IDNA2008-only checks: the label (decoded, for an
// A-label) has no deviation character, which transitional processing maps
// away, and no right-to-left character, whose Bidi rule it does not check.
bool TransitionalIsEquivalent(const std::string& label) {
  std::string unicode = label;
  if (absl::StartsWith(label, "xn--")) {
    char* decoded = nullptr;
    const int rc = idn2_to_unicode_8z8z(label.c_str(), &decoded, 0);
    std::unique_ptr<char, decltype(&idn2_free)> owned(decoded, &idn2_free);
    if (rc != IDN2_OK) return false;
    unicode = decoded;
  }
  return !HasDeviationCharacter(unicode) && !HasRightToLeftCodePoint(unicode);
}

// UTS #46 ToASCII of one label, non-transitional, through libidn2. libidn2
// also applies IDNA2008's code point table and CONTEXTO rules, which UTS #46
// (and so the URL Standard) does not: U+2603 (a snowman) is valid there. A
// label refused only for those is processed again transitionally when that
// is equivalent.
absl::StatusOr<std::string> LabelToAscii(const std::string& label) {
  std::string out;
  int rc = Idn2ToAscii(label, IDN2_NONTRANSITIONAL, &out);
  if ((rc == IDN2_DISALLOWED || rc == IDN2_CONTEXTO ||
       rc == IDN2_CONTEXTO_NO_RULE || rc == IDN2_UNASSIGNED) &&
      TransitionalIsEquivalent(label)) {
    rc = Idn2ToAscii(label, IDN2_TRANSITIONAL, &out);
  }
  if (rc != IDN2_OK) {
    return Invalid(absl::StrCat("has an invalid internationalised host (",
                                idn2_strerror(rc), ")"));
  }
  return absl::AsciiStrToLower(out);
}

// Splits a domain at '.' and at the three other full stops UTS #46 maps to
// it (U+3002, U+FF0E, U+FF61), so that each label is converted on its own.
std::vector<absl::string_view> SplitLabels(absl::string_view domain) {
  std::vector<absl::string_view> labels;
  size_t start = 0;
  for (size_t i = 0; i < domain.size();) {
    size_t dot_length = domain[i] == '.' ? 1 : 0;
    for (absl::string_view dot :
         {"\xE3\x80\x82", "\xEF\xBC\x8E", "\xEF\xBD\xA1"}) {
      if (absl::StartsWith(domain.substr(i), dot)) dot_length = dot.size();
    }
    if (dot_length == 0) {
      ++i;
      continue;
    }
    labels.push_back(domain.substr(start, i - start));
    i += dot_length;
    start = i;
  }
  labels.push_back(domain.substr(start));
  return labels;
}

// The WHATWG "domain to ASCII" with beStrict false. Plain ASCII labels only
// need lower-casing (UseSTD3ASCIIRules and CheckHyphens are off), so only
// the others reach libidn2, whose hyphen checks would refuse "a--b".
absl::StatusOr<std::string> DomainToAscii(absl::string_view domain) {
  std::vector<std::string> labels;
  for (absl::string_view label : SplitLabels(domain)) {
    std::string lowered = absl::AsciiStrToLower(label);
    const bool ascii = std::all_of(label.begin(), label.end(), [](char c) {
      return static_cast<unsigned char>(c) < 0x80;
    });
    if (ascii && !absl::StartsWith(lowered, "xn--")) {
      labels.push_back(std::move(lowered));
      continue;
    }
    absl::StatusOr<std::string> converted = LabelToAscii(lowered);
    if (!converted.ok()) return converted.status();
    labels.push_back(*std::move(converted));
  }
  return absl::StrJoin(labels, ".");
}

}  // namespace

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

absl::StatusOr<std::string> ParseUrlHost(absl::string_view input) {
  if (input.empty()) return Invalid("has no host");
  if (input.front() == '[') {
    if (input.size() < 2 || input.back() != ']') {
      return Invalid("has an unclosed IPv6 address");
    }
    absl::StatusOr<Ipv6Address> address =
        ParseIpv6(input.substr(1, input.size() - 2));
    if (!address.ok()) return address.status();
    return SerializeIpv6(*address);
  }
  const std::string decoded = PercentDecode(input);
  if (!IsValidUtf8(decoded)) {
    return Invalid("has a host that is not UTF-8 once percent-decoded");
  }
  // Checked before IDNA too, for a message that names the character.
  absl::Status forbidden = CheckNoForbiddenCodePoint(decoded);
  if (!forbidden.ok()) return forbidden;
  absl::StatusOr<std::string> domain = DomainToAscii(decoded);
  if (!domain.ok()) return domain.status();
  // IDNA maps some code points (a soft hyphen, say) to nothing.
  if (domain->empty()) return Invalid("has no host");
  forbidden = CheckNoForbiddenCodePoint(*domain);
  if (!forbidden.ok()) return forbidden;
  if (EndsInANumber(*domain)) return ParseIpv4(*domain);
  return domain;
}

}  // namespace content
