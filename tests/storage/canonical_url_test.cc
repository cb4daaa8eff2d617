#include "storage/canonical_url.h"

#include <string>

#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace content {
namespace {

using ::content::testing::StatusIs;

struct CanonicalCase {
  std::string input;
  std::string expected;
};

void PrintTo(const CanonicalCase& c, std::ostream* os) { *os << c.input; }

class CanonicalizeTest : public ::testing::TestWithParam<CanonicalCase> {};

TEST_P(CanonicalizeTest, ProducesTheCanonicalForm) {
  const UrlCanonicalizer canonicalizer;
  absl::StatusOr<std::string> canonical =
      canonicalizer.Canonicalize(GetParam().input);
  ASSERT_TRUE(canonical.ok()) << canonical.status();
  EXPECT_EQ(*canonical, GetParam().expected);
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
        CanonicalCase{"http://User@Example.com/", "http://User@example.com/"},
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
                      "mailto:someone@example.com", "https:/example.com",
                      "https://", "https:///path", "http://example.com:99999/",
                      "http://example.com:8o/", "http://exa mple.com/",
                      "http://example.com/a\nb", "http://[::1/",
                      "http://ex<ample.com/", "javascript:alert(1)",
                      // Empty host labels (found by canonical_url_fuzzer).
                      "http://a..b/", "http://.a/", "http://q.../",
                      // A host that IDNA maps to nothing (a soft hyphen).
                      "http://\xC2\xAD/", "http://%C2%AD./",
                      "http://\xC2\xAD\xC2\xAD\xC2\xAD\xC2\xAD\xC2\xAD\xC2\xAD"
                      "\xC2\xAD\xC2\xAD\xC2\xAD/"));

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
