#ifndef CONTENT_URL_URL_HOST_H_
#define CONTENT_URL_URL_HOST_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace content {

// Parses the host of an http(s) URL the way the WHATWG URL Standard's host
// parser does for special schemes (https://url.spec.whatwg.org/, section 3.5
// "Host parsing", #concept-host-parser) and returns its serialisation
// (section 3.6, #concept-host-serializer), so that every spelling browsers
// treat as one host gives one string:
//  - "[...]": an IPv6 address (#concept-ipv6-parser, an embedded dotted IPv4
//    tail included), written as RFC 5952 section 4 and the standard's IPv6
//    serializer write it: lower-case hex without leading zeros, the first
//    longest run of two or more zero pieces as "::", an embedded IPv4 tail
//    as two hex pieces ("[::127.0.0.1]" -> "[::7f00:1]");
//  - otherwise the host is percent-decoded, must then be UTF-8, and goes
//    through "domain to ASCII" (#concept-domain-to-ascii: UTS #46
//    non-transitional processing, CheckBidi and CheckJoiners on,
//    UseSTD3ASCIIRules, CheckHyphens and VerifyDnsLength off): plain ASCII
//    labels are lower-cased, the others and "xn--" labels go through libidn2,
//    so an "xn--" label must be valid punycode of a valid label;
//  - a domain whose last label looks numeric (#ends-in-a-number-checker: all
//    digits, or "0x" and hex digits) must be an IPv4 address in a form the
//    IPv4 parser accepts (#concept-ipv4-parser: one to four parts, each
//    decimal, 0x-hex or 0-octal, the last filling the remaining bytes), and
//    is written in dotted decimal ("0x7f.1" -> "127.0.0.1", "256" ->
//    "0.0.1.0").
// A trailing dot and empty labels are kept, as the standard keeps them.
//
// Returns INVALID_ARGUMENT, with a message that reads after "url ", when the
// host is empty (also after IDNA mapping), an IPv6 address is unclosed or
// malformed, the decoded host is not UTF-8 or contains a forbidden domain
// code point (C0 controls, space, DEL, and # % / : < > ? @ [ \ ] ^ |, also
// when IDNA maps a character to one), IDNA processing fails, or the domain
// ends in a number without being an IPv4 address. libidn2 also refuses some
// labels the standard accepts: non-ASCII labels that start or end with '-'
// or have "--" third and fourth, or that also hold ASCII punctuation other
// than '-' and '_'; and a label that has a character IDNA2008 disallows
// (U+2603, say) is accepted only when it has no deviation character and no
// right-to-left text (see LabelToAscii in url_host.cc).
absl::StatusOr<std::string> ParseUrlHost(absl::string_view input);

// Decodes every "%" followed by two hex digits into its byte and keeps
// everything else, a stray "%" included (the URL Standard's percent-decode,
// section 1.3, #percent-decode).
std::string PercentDecode(absl::string_view in);

}  // namespace content

#endif  // CONTENT_URL_URL_HOST_H_
