#include "url/canonical_url.h"

#include <string>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace content {
namespace {

using ::content::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

struct CanonicalCase {
  std::string input;
  std::string expected;
};

void PrintTo(const CanonicalCase& c, std::ostream* os) {
  *os << '"' << absl::CHexEscape(c.input) << '"';
}

// `input` is refused with INVALID_ARGUMENT and a message containing
// `message`.
struct RefusedCase {
  std::string input;
  std::string message;
};

void PrintTo(const RefusedCase& c, std::ostream* os) {
  *os << '"' << absl::CHexEscape(c.input) << '"';
}

// Checks the canonical form of `c.input`, and that it is its own.
void ExpectCanonicalForm(const CanonicalCase& c) {
  const UrlCanonicalizer canonicalizer;
  absl::StatusOr<std::string> canonical = canonicalizer.Canonicalize(c.input);
  ASSERT_TRUE(canonical.ok()) << canonical.status();
  EXPECT_EQ(*canonical, c.expected);
  EXPECT_EQ(canonicalizer.Canonicalize(*canonical).value_or("(refused)"),
            *canonical);
}

void ExpectRefused(const RefusedCase& c) {
  const UrlCanonicalizer canonicalizer;
  absl::StatusOr<std::string> canonical = canonicalizer.Canonicalize(c.input);
  EXPECT_THAT(canonical, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(canonical.status().message(), HasSubstr(c.message));
}

class CanonicalizeTest : public ::testing::TestWithParam<CanonicalCase> {};

TEST_P(CanonicalizeTest, ProducesTheCanonicalForm) {
  ExpectCanonicalForm(GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Table, CanonicalizeTest,
    ::testing::Values(
        // RFC 3986 section 6.2.2.1: case of scheme, host and escapes.
        CanonicalCase{"HTTP://www.Example.COM/", "http://www.example.com/"},
        CanonicalCase{"http://example.com/a%c2%b1b",
                      "http://example.com/a%C2%B1b"},
        CanonicalCase{"https://EXAMPLE.com/Path/Case",
                      "https://example.com/Path/Case"},
        // Section 6.2.2.2: escaped unreserved characters are decoded.
        CanonicalCase{"http://example.com/%7Efoo", "http://example.com/~foo"},
        CanonicalCase{"http://example.com/%41%42%2d%2E%5F",
                      "http://example.com/AB-._"},
        CanonicalCase{"http://example.com/a%2Fb", "http://example.com/a%2Fb"},
        CanonicalCase{"http://example.com/a\"b%|",
                      "http://example.com/a%22b%25%7C"},
        // Section 6.2.2.3 / 5.2.4: dot segments.
        CanonicalCase{"http://a/b/c/./../../g", "http://a/g"},
        CanonicalCase{"http://a/mid/content=5/../6", "http://a/mid/6"},
        CanonicalCase{"http://a/b/c/..", "http://a/b/"},
        CanonicalCase{"http://a/b/./c/.", "http://a/b/c/"},
        CanonicalCase{"http://a/../../g", "http://a/g"},
        CanonicalCase{"http://a/%2E%2E/g", "http://a/g"},
        // Section 6.2.3: empty path, default and odd ports.
        CanonicalCase{"http://example.com", "http://example.com/"},
        CanonicalCase{"http://example.com:80/", "http://example.com/"},
        CanonicalCase{"https://example.com:443/x", "https://example.com/x"},
        CanonicalCase{"http://example.com:443/", "http://example.com:443/"},
        CanonicalCase{"https://example.com:80/", "https://example.com:80/"},
        CanonicalCase{"http://example.com:/", "http://example.com/"},
        CanonicalCase{"http://example.com:08080/", "http://example.com:8080/"},
        CanonicalCase{"http://example.com?q=1", "http://example.com/?q=1"},
        // Fragments go; an empty query goes.
        CanonicalCase{"https://example.com/a#section-2",
                      "https://example.com/a"},
        CanonicalCase{"https://example.com/a?#top", "https://example.com/a"},
        // Tracking parameters go; the rest keep their order.
        CanonicalCase{
            "https://news.example/story?utm_source=tw&utm_medium=social",
            "https://news.example/story"},
        CanonicalCase{"https://news.example/story?id=7&utm_campaign=x&page=2",
                      "https://news.example/story?id=7&page=2"},
        CanonicalCase{"https://news.example/s?fbclid=IwAR0abc&b=2&a=1",
                      "https://news.example/s?b=2&a=1"},
        CanonicalCase{"https://news.example/s?GCLID=x&UTM_Term=y",
                      "https://news.example/s"},
        CanonicalCase{"https://news.example/s?q=a%2bb&&x=%7e",
                      "https://news.example/s?q=a%2Bb&x=~"},
        // Internationalised host names become punycode; paths are escaped.
        CanonicalCase{"https://Bücher.example/",
                      "https://xn--bcher-kva.example/"},
        CanonicalCase{"https://例え.テスト/パス",
                      "https://xn--r8jz45g.xn--zckzah/%E3%83%91%E3%82%B9"},
        CanonicalCase{"https://xn--bcher-kva.example/",
                      "https://xn--bcher-kva.example/"},
        CanonicalCase{"https://b%C3%BCcher.example/",
                      "https://xn--bcher-kva.example/"},
        // Hosts: trailing dot, IP literals, user info.
        CanonicalCase{"https://example.com./a", "https://example.com/a"},
        CanonicalCase{"http://[2001:DB8::1]:8080/",
                      "http://[2001:db8::1]:8080/"},
        CanonicalCase{"http://[::1]/", "http://[::1]/"},
        CanonicalCase{"http://192.168.0.1:80/", "http://192.168.0.1/"},
        // A real article URL stays as it is.
        CanonicalCase{"https://www.computerweekly.com/ezine/Computer-Weekly/"
                      "Making-the-case-for-and-against-police-use-of-facial-"
                      "recognition-technology",
                      "https://www.computerweekly.com/ezine/Computer-Weekly/"
                      "Making-the-case-for-and-against-police-use-of-facial-"
                      "recognition-technology"}));

class RejectTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RejectTest, RejectsWithInvalidArgument) {
  const UrlCanonicalizer canonicalizer;
  EXPECT_THAT(canonicalizer.Canonicalize(GetParam()),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

INSTANTIATE_TEST_SUITE_P(
    Table, RejectTest,
    ::testing::Values("", "example.com/a", "ftp://example.com/",
                      "mailto:someone@example.com", "https://",
                      "http://example.com:99999/", "http://example.com:8o/",
                      "http://exa mple.com/", "http://[::1/",
                      "http://ex<ample.com/", "javascript:alert(1)",
                      // A host ending in an empty label even once its final
                      // dot is dropped (found by canonical_url_fuzzer).
                      "http://q.../",
                      // A host that IDNA maps to nothing (a soft hyphen).
                      "http://\xC2\xAD/", "http://%C2%AD./",
                      "http://\xC2\xAD\xC2\xAD\xC2\xAD\xC2\xAD\xC2\xAD\xC2\xAD"
                      "\xC2\xAD\xC2\xAD\xC2\xAD/"));

// The tables below follow the WHATWG URL Standard (url.spec.whatwg.org),
// which browsers, Node's URL and crawlers implement; most cases come from
// the web-platform-tests URL data (url/resources/urltestdata.json).

// Spellings the standard reads as one URL get one key.
class SameUrlTest : public ::testing::TestWithParam<CanonicalCase> {};

TEST_P(SameUrlTest, GetsTheKeyOfItsStandardForm) {
  ExpectCanonicalForm(GetParam());
}

// The special-query percent-encode set includes the apostrophe.
INSTANTIATE_TEST_SUITE_P(
    QueryApostrophe, SameUrlTest,
    ::testing::Values(
        CanonicalCase{"http://host/?'", "http://host/?%27"},
        CanonicalCase{"http://host/?a'b=c'&d=%27",
                      "http://host/?a%27b=c%27&d=%27"},
        CanonicalCase{
            "https://www.example.com/path{\x7Fpath.html?query'\x7F=query#f",
            "https://www.example.com/path%7B%7Fpath.html?query%27%7F=query"}));

// IPv6 parser and serializer (RFC 5952 section 4).
INSTANTIATE_TEST_SUITE_P(
    Ipv6, SameUrlTest,
    ::testing::Values(
        CanonicalCase{"http://[2001:0db8:0:0:0:0:0:1]/",
                      "http://[2001:db8::1]/"},
        CanonicalCase{"http://[0000:0000:0000:0000:0000:0000:0000:0001]:8080/",
                      "http://[::1]:8080/"},
        CanonicalCase{"http://[2001:DB8:0:0:1:0:0:1]/",
                      "http://[2001:db8::1:0:0:1]/"},
        CanonicalCase{"http://[1:0::]/", "http://[1::]/"},
        CanonicalCase{"http://[1:2:3:4:5:6:7::]/", "http://[1:2:3:4:5:6:7:0]/"},
        CanonicalCase{"http://[::127.0.0.1]/", "http://[::7f00:1]/"},
        CanonicalCase{"http://[0:0:0:0:0:ffff:192.168.0.1]/",
                      "http://[::ffff:c0a8:1]/"},
        CanonicalCase{"http://[0:0:0:0:0:0:13.1.68.3]:80/",
                      "http://[::d01:4403]/"}));

// IPv4 parser: numbers, hex, octal and short forms.
INSTANTIATE_TEST_SUITE_P(
    Ipv4, SameUrlTest,
    ::testing::Values(
        CanonicalCase{"http://256", "http://0.0.1.0/"},
        CanonicalCase{"http://0xffffffff/", "http://255.255.255.255/"},
        CanonicalCase{"http://4294967295/", "http://255.255.255.255/"},
        CanonicalCase{"http://192.168.257/", "http://192.168.1.1/"},
        CanonicalCase{"http://192.168.257./", "http://192.168.1.1/"},
        CanonicalCase{"http://0300.0250.0.1/", "http://192.168.0.1/"},
        CanonicalCase{"http://192.0x00A80001/", "http://192.168.0.1/"},
        CanonicalCase{"http://0x7F.1:8080/a", "http://127.0.0.1:8080/a"},
        CanonicalCase{"https://0x.0x.0/", "https://0.0.0.0/"},
        CanonicalCase{"http://%30%78%63%30%2e%30%32%35%30.01/",
                      "http://192.168.0.1/"},
        CanonicalCase{"http://\uff10\uff38\uff43\uff10\uff0e\uff10\uff12"
                      "\uff15\uff10\uff0e\uff10\uff11/",
                      "http://192.168.0.1/"}));

// A backslash is a path separator in http(s) URLs.
INSTANTIATE_TEST_SUITE_P(
    Backslash, SameUrlTest,
    ::testing::Values(CanonicalCase{"http://foo.com/\\@", "http://foo.com//@"},
                      CanonicalCase{"http:\\\\host\\path", "http://host/path"},
                      CanonicalCase{"http://example.com\\\\foo\\\\bar",
                                    "http://example.com//foo//bar"},
                      CanonicalCase{"http://h/a\\b/..\\c", "http://h/a/c"},
                      CanonicalCase{"http:\\\\a\\b:c\\d@foo.com\\",
                                    "http://a/b:c/d@foo.com/"}));

// An empty userinfo is no userinfo.
INSTANTIATE_TEST_SUITE_P(
    EmptyUserinfo, SameUrlTest,
    ::testing::Values(CanonicalCase{"https://:@test", "https://test/"},
                      CanonicalCase{"https://@test", "https://test/"},
                      CanonicalCase{"http://@www.example.com/a",
                                    "http://www.example.com/a"},
                      CanonicalCase{"http::@c:29", "http://c:29/"}));

// URLs browsers accept, with the key of what they make of them.
class BrowserAcceptedUrlTest : public ::testing::TestWithParam<CanonicalCase> {
};

TEST_P(BrowserAcceptedUrlTest, IsAccepted) { ExpectCanonicalForm(GetParam()); }

// Tabs and newlines go wherever they are; C0 controls and spaces at either
// end go; inside a path or query they are percent-encoded.
INSTANTIATE_TEST_SUITE_P(
    WhitespaceAndControls, BrowserAcceptedUrlTest,
    ::testing::Values(
        CanonicalCase{"http://example\t.\norg/a\rb", "http://example.org/ab"},
        CanonicalCase{"http://example.com/a\nb", "http://example.com/ab"},
        CanonicalCase{
            "h\tt\nt\rp://h\to\ns\rt:9\t0\n0\r0/p\ta\nt\rh?q\tu\ne\rry",
            "http://host:9000/path?query"},
        CanonicalCase{
            std::string(1, '\0') + "\x1b\x04\x12 http://example.com/\x1f \r ",
            "http://example.com/"},
        CanonicalCase{"  https://example.com/a\t", "https://example.com/a"},
        CanonicalCase{"http://f:21/ b ? d # e ", "http://f:21/%20b%20?%20d%20"},
        CanonicalCase{"http://example.com/a b?c d=e f",
                      "http://example.com/a%20b?c%20d=e%20f"},
        CanonicalCase{"http://example.com/\x01\x7F?\x02q",
                      "http://example.com/%01%7F?%02q"}));

// A special scheme needs no "//" (the special authority states).
INSTANTIATE_TEST_SUITE_P(
    Slashes, BrowserAcceptedUrlTest,
    ::testing::Values(
        CanonicalCase{"http:example.com/", "http://example.com/"},
        CanonicalCase{"https:/example.com/", "https://example.com/"},
        CanonicalCase{"https:/example.com", "https://example.com/"},
        CanonicalCase{"https:///path", "https://path/"},
        CanonicalCase{"HTTP:/\\/example.com/a", "http://example.com/a"}));

// Ports with leading zeros.
INSTANTIATE_TEST_SUITE_P(
    Ports, BrowserAcceptedUrlTest,
    ::testing::Values(
        CanonicalCase{"http://example.com:0000080/", "http://example.com/"},
        CanonicalCase{"https://example.com:000000000000000000443/x",
                      "https://example.com/x"},
        CanonicalCase{"http://f:00000000000000/c", "http://f:0/c"}));

// Hosts: percent-encoded, IDNA2008-disallowed but UTS #46-valid, code points
// that are not forbidden, empty labels, labels libidn2 would refuse.
INSTANTIATE_TEST_SUITE_P(
    Hosts, BrowserAcceptedUrlTest,
    ::testing::Values(CanonicalCase{"https://%e2%98%83", "https://xn--n3h/"},
                      CanonicalCase{"https://%E2%98%83.example/a",
                                    "https://xn--n3h.example/a"},
                      CanonicalCase{"http://\u2603.example/",
                                    "http://xn--n3h.example/"},
                      CanonicalCase{"http://!\"$&'()*+,-.;=_`{}~/",
                                    "http://!\"$&'()*+,-.;=_`{}~/"},
                      CanonicalCase{"http://a..b/", "http://a..b/"},
                      CanonicalCase{"http://.a/", "http://.a/"},
                      CanonicalCase{"http://ab--c.b\u00fccher.example/",
                                    "http://ab--c.xn--bcher-kva.example/"},
                      CanonicalCase{"http://-a\u3002b\u00fccher.example/",
                                    "http://-a.xn--bcher-kva.example/"}));

// URLs the standard refuses.
class MalformedUrlTest : public ::testing::TestWithParam<RefusedCase> {};

TEST_P(MalformedUrlTest, IsRefusedSayingWhy) { ExpectRefused(GetParam()); }

INSTANTIATE_TEST_SUITE_P(
    Ipv6, MalformedUrlTest,
    ::testing::Values(
        RefusedCase{"http://[]", "malformed IPv6 address"},
        RefusedCase{"http://[:]", "malformed IPv6 address"},
        RefusedCase{"http://[::1::]", "malformed IPv6 address"},
        RefusedCase{"https://[0::0::0]", "malformed IPv6 address"},
        RefusedCase{"http://[1:2:3:4:5:6:7:8:9]", "malformed IPv6 address"},
        RefusedCase{"http://[1:2:3:4:5:6:7]", "malformed IPv6 address"},
        RefusedCase{"https://[0:0:]", "malformed IPv6 address"},
        RefusedCase{"http://[12345::]", "malformed IPv6 address"},
        RefusedCase{"http://[::1.2.3.]", "malformed IPv6 address"},
        RefusedCase{"http://[::127.0.0.0.1]", "malformed IPv6 address"},
        RefusedCase{"https://[0:1.23.23]", "malformed IPv6 address"},
        RefusedCase{"http://[::01.2.3.4]", "malformed IPv6 address"},
        RefusedCase{"https://[0:1:2:3:4:5:6:7.0.0.0.1]",
                    "malformed IPv6 address"}));

// A last label that looks like a number makes the host an IPv4 address.
INSTANTIATE_TEST_SUITE_P(
    EndsInANumber, MalformedUrlTest,
    ::testing::Values(
        RefusedCase{"http://1.2.3.08/", "ends in a number"},
        RefusedCase{"http://09.2.3.4/", "ends in a number"},
        RefusedCase{"http://foo.0x4/", "ends in a number"},
        RefusedCase{"http://foo.09/", "ends in a number"},
        RefusedCase{"http://foo.1.2.3.4/", "ends in a number"},
        RefusedCase{"http://1.2.3.4.5/", "ends in a number"},
        RefusedCase{"http://256.256.256.256/", "ends in a number"},
        RefusedCase{"http://192.168.0.257/", "ends in a number"},
        RefusedCase{"http://4294967296/", "ends in a number"},
        RefusedCase{"http://0xffffffff1/", "ends in a number"},
        RefusedCase{"http://0999999999999999999/", "ends in a number"},
        RefusedCase{"http://0..0x300/", "ends in a number"}));

INSTANTIATE_TEST_SUITE_P(
    Punycode, MalformedUrlTest,
    ::testing::Values(
        RefusedCase{"http://xn--/", "invalid internationalised host"},
        RefusedCase{"http://xn--a/", "invalid internationalised host"},
        RefusedCase{"http://XN--a.example/", "invalid internationalised host"},
        RefusedCase{"http://a.b.c.xn--pokxncvks/",
                    "invalid internationalised host"},
        RefusedCase{"http://10.0.0.xn--pokxncvks/",
                    "invalid internationalised host"}));

// Forbidden domain code points, also once percent-decoded or IDNA-mapped.
INSTANTIATE_TEST_SUITE_P(
    ForbiddenHostCodePoints, MalformedUrlTest,
    ::testing::Values(
        RefusedCase{"http://a<b/", "may not contain ('<')"},
        RefusedCase{"http://a>b/", "may not contain ('>')"},
        RefusedCase{"http://a^b/", "may not contain ('^')"},
        RefusedCase{"http://a|b/", "may not contain ('|')"},
        RefusedCase{"http://a]b/", "may not contain (']')"},
        RefusedCase{"http://a%b/", "may not contain ('%')"},
        RefusedCase{"http://ho%25st/", "may not contain ('%')"},
        RefusedCase{"http://ho%3Cst/", "may not contain ('<')"},
        RefusedCase{"http://\uff05\uff14\uff11.com/", "may not contain ('%')"},
        RefusedCase{"http://a b/", "may not contain (byte 0x20)"},
        RefusedCase{"http://ho%00st/", "may not contain (byte 0x00)"},
        RefusedCase{"http://a\x7F"
                    "b/",
                    "may not contain (byte 0x7F)"},
        RefusedCase{"https://example.com%80/", "not UTF-8"}));

// Credentials would land in the key and in the stored webUrl.
class CredentialsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CredentialsTest, AreRefusedWithoutRepeatingThem) {
  const UrlCanonicalizer canonicalizer;
  absl::StatusOr<std::string> canonical =
      canonicalizer.Canonicalize(GetParam());
  EXPECT_THAT(canonical, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(canonical.status().message(), HasSubstr("carries credentials"));
  EXPECT_THAT(canonical.status().message(), Not(HasSubstr("secret")));
}

INSTANTIATE_TEST_SUITE_P(
    Userinfo, CredentialsTest,
    ::testing::Values("https://editor:secret@host/p", "https://user@host/",
                      "http://User@Example.com/", "http://a:@www.example.com/",
                      "http://:secret@www.example.com/",
                      "http:a:secret@www.example.com", "https://@@@example/",
                      "http://::@c@d:2/", "https://user:pass[\x7F@foo/bar"));

TEST(UrlCanonicalizerTest, HttpAndHttpsStayDistinct) {
  const UrlCanonicalizer canonicalizer;
  EXPECT_NE(*canonicalizer.Canonicalize("http://example.com/a"),
            *canonicalizer.Canonicalize("https://example.com/a"));
}

TEST(UrlCanonicalizerTest, TrackingParamsAreConfigurable) {
  const UrlCanonicalizer canonicalizer({"ref", "src_*"});
  EXPECT_EQ(*canonicalizer.Canonicalize(
                "https://a.example/?ref=x&src_a=1&utm_source=y"),
            "https://a.example/?utm_source=y");
}

TEST(UrlCanonicalizerTest, CanonicalFormIsAFixedPoint) {
  const UrlCanonicalizer canonicalizer;
  const std::string once = *canonicalizer.Canonicalize(
      "HTTPS://Bücher.example:443/a/./b/../%7ec?utm_x=1&k=%3d#f");
  EXPECT_EQ(*canonicalizer.Canonicalize(once), once);
}

}  // namespace
}  // namespace content
