#include "document/article_document.h"

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_data.h"

namespace content {
namespace {

using ::content::testing::IsOk;
using ::content::testing::StatusIs;
using ::google::protobuf::util::MessageDifferencer;
using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;

std::string SeedDocument() {
  std::ifstream in(content::testing::TestDataPath("seed_document.txt"));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::StatusOr<v1::Article> Parse(const std::string& text) {
  return ParseArticleDocument(text, "doc.md");
}

// A document with `front_matter` lines and no body.
std::string Doc(const std::string& front_matter) {
  return absl::StrCat("---\nwebUrl: https://a.example/x\n", front_matter,
                      "---\n");
}

TEST(ArticleDocumentTest, SeedMapsEveryKeyToItsField) {
  absl::StatusOr<v1::Article> article = Parse(SeedDocument());
  ASSERT_THAT(article, IsOk());
  // The seed ends "---\n\n": its body is one empty line, kept as is.
  EXPECT_EQ(article->body(), "\n");
  // The seed's JSON form (tests/data) was written independently, by PyYAML.
  v1::Article front_matter = *article;
  front_matter.clear_body();
  EXPECT_TRUE(
      MessageDifferencer::Equals(front_matter, content::testing::SeedArticle()))
      << article->DebugString();
  EXPECT_EQ(article->quality(), 52);
  EXPECT_EQ(article->heat(), -1);
  EXPECT_FALSE(article->published());
  EXPECT_EQ(TimeUtil::ToString(article->published_date_time()),
            "2021-10-19T09:22:00Z");
  EXPECT_EQ(article->provider().domain(), "computerweekly.com");
  ASSERT_EQ(article->images_size(), 1);
  EXPECT_EQ(article->images(0).width(), 333);
  EXPECT_TRUE(article->images(0).is_cached());
  ASSERT_EQ(article->related_size(), 1);
  EXPECT_EQ(article->related(0).provider().name(), "SourceSecurity");
  EXPECT_EQ(article->related(0).images(0).height(), 355);
  EXPECT_FALSE(article->has_extra());
}

TEST(ArticleDocumentTest, WritesTheSeedInItsKeyOrderAndReadsItBack) {
  const v1::Article seed = *Parse(SeedDocument());
  const std::string written = FormatArticleDocument(seed);
  std::vector<size_t> positions;
  for (const char* key :
       {"\ncategory:", "\ntitle:", "\nexcerpt:", "\npublishedDateTime:",
        "\noriginalUrl:", "\nwebUrl:", "\ntype:", "\nquality:", "\nheat:",
        "\npublished:", "\nprovider:", "\ntopics:", "\nimages:", "\nrelated:",
        "\nsecured:"}) {
    positions.push_back(written.find(key));
    EXPECT_NE(positions.back(), std::string::npos) << key;
  }
  EXPECT_TRUE(std::is_sorted(positions.begin(), positions.end())) << written;
  absl::StatusOr<v1::Article> again = Parse(written);
  ASSERT_THAT(again, IsOk()) << written;
  EXPECT_TRUE(MessageDifferencer::Equals(seed, *again)) << written;
}

TEST(ArticleDocumentTest, BodyIsKeptByteForByteIncludingInnerFences) {
  const std::string body =
      "# Heading\n\nText\n---\nmore: not yaml\n---\r\ntrailing  \n\n";
  absl::StatusOr<v1::Article> article = Parse(Doc("title: T\n") + body);
  ASSERT_THAT(article, IsOk());
  EXPECT_EQ(article->body(), body);
  EXPECT_EQ(article->title(), "T");
  EXPECT_EQ(Parse(FormatArticleDocument(*article))->body(), body);
}

TEST(ArticleDocumentTest, EmptyAndLargeBodies) {
  EXPECT_EQ(Parse("---\nwebUrl: https://a.example/\n---")->body(), "");
  const std::string large(5 << 20, 'x');
  EXPECT_EQ(Parse(Doc("") + large)->body().size(), large.size());
}

TEST(ArticleDocumentTest, AcceptsCrlfAndABom) {
  const std::string crlf = absl::StrReplaceAll(
      "\xEF\xBB\xBF---\ntitle: \"T\"\nwebUrl: https://a.example/\ntopics:\n"
      "  - AI\n---\nbody line\n",
      {{"\n", "\r\n"}});
  absl::StatusOr<v1::Article> article = Parse(crlf);
  ASSERT_THAT(article, IsOk());
  EXPECT_EQ(article->title(), "T");
  EXPECT_EQ(article->topics(0), "AI");
  EXPECT_EQ(article->body(), "body line\r\n");
}

TEST(ArticleDocumentTest, DatesTakeAnyOffsetAndFractions) {
  absl::StatusOr<v1::Article> article =
      Parse(Doc("publishedDateTime: 2021-10-19T11:22:00.5+02:00\n"));
  ASSERT_THAT(article, IsOk());
  EXPECT_EQ(TimeUtil::ToString(article->published_date_time()),
            "2021-10-19T09:22:00.500Z");
  EXPECT_THAT(Parse(Doc("publishedDateTime: \"2021-10-19t09:22:00z\"\n")),
              IsOk());
}

TEST(ArticleDocumentTest, UnknownKeysAreKeptWithNestedValues) {
  const std::string doc =
      Doc("sponsor:\n  name: ACME\n  tiers: [1, 2.5, gold]\n  active: true\n"
          "  note: ~\nlegacyId: \"0042\"\nhuge: 12345678901234567890\n"
          "flags: []\nmeta: {}\noverflow: [1e400, -1e400]\n"
          "wholeFloat: 66666666666666666.5\n");
  absl::StatusOr<v1::Article> article = Parse(doc);
  ASSERT_THAT(article, IsOk());
  const auto& extra = article->extra().fields();
  ASSERT_EQ(extra.size(), 7u);
  const auto& sponsor = extra.at("sponsor").struct_value().fields();
  EXPECT_EQ(sponsor.at("name").string_value(), "ACME");
  EXPECT_EQ(sponsor.at("tiers").list_value().values(1).number_value(), 2.5);
  EXPECT_EQ(sponsor.at("tiers").list_value().values(2).string_value(), "gold");
  EXPECT_TRUE(sponsor.at("active").bool_value());
  EXPECT_TRUE(sponsor.at("note").has_null_value());
  EXPECT_EQ(extra.at("legacyId").string_value(), "0042");
  // Too big for a double: kept as written.
  EXPECT_EQ(extra.at("huge").string_value(), "12345678901234567890");
  // Beyond a double's range, not infinity (found by front_matter_fuzzer).
  EXPECT_EQ(extra.at("overflow").list_value().values(0).string_value(),
            "1e400");
  // Its double would print as 66666666666666664: kept as written.
  EXPECT_EQ(extra.at("wholeFloat").string_value(), "66666666666666666.5");

  absl::StatusOr<v1::Article> again = Parse(FormatArticleDocument(*article));
  ASSERT_THAT(again, IsOk()) << FormatArticleDocument(*article);
  EXPECT_TRUE(MessageDifferencer::Equals(*article, *again))
      << FormatArticleDocument(*article);
}

TEST(ArticleDocumentTest, NullValuesLeaveFieldsUnset) {
  absl::StatusOr<v1::Article> article =
      Parse(Doc("title:\nquality: ~\nprovider: null\ntopics:\n"));
  ASSERT_THAT(article, IsOk());
  EXPECT_EQ(article->title(), "");
  EXPECT_FALSE(article->has_provider());
}

TEST(ArticleDocumentTest, StringsThatLookLikeOtherTypesSurviveWriting) {
  v1::Article article;
  article.set_web_url("https://a.example/");
  article.set_title("true");
  article.set_category("123");
  article.set_excerpt("line one\nline \"two\"\t\\ end: # not a comment");
  article.add_topics("null");
  article.add_topics("- dash");
  article.add_topics("Ελληνικά 中文 العربية");
  article.add_topics("\xE2\x80\xA8separator");
  // Outside YAML's printable set (found by front_matter_fuzzer).
  article.add_topics("C1 \xC2\x80\xC2\x9E\xC2\x9F, not \xC2\xA0");
  article.add_topics("\xEF\xBF\xBE\xEF\xBF\xBF noncharacters");
  absl::StatusOr<v1::Article> again = Parse(FormatArticleDocument(article));
  ASSERT_THAT(again, IsOk()) << FormatArticleDocument(article);
  EXPECT_TRUE(MessageDifferencer::Equals(article, *again))
      << FormatArticleDocument(article);
}

struct BadDocument {
  std::string name;
  std::string text;
  std::string where;  // "line:column: key" expected in the message
};

class BadDocumentTest : public ::testing::TestWithParam<BadDocument> {};

TEST_P(BadDocumentTest, NamesFileLineAndKey) {
  absl::StatusOr<v1::Article> article = Parse(GetParam().text);
  EXPECT_THAT(article, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(article.status().message(),
              HasSubstr(absl::StrCat("doc.md:", GetParam().where)));
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadDocumentTest,
    ::testing::Values(
        BadDocument{"NoFrontMatter", "# Just markdown\n",
                    "1:1: no front matter"},
        BadDocument{"Unclosed", "---\nwebUrl: https://a.example/\n",
                    "1:1: unclosed front matter"},
        BadDocument{"BadIndentation", Doc("provider:\n  name: A\n bad: 1\n"),
                    "5:2: bad: did not find expected key"},
        BadDocument{"MissingWebUrl", "---\ntitle: T\n---\n",
                    "2:1: webUrl: is required"},
        BadDocument{"NonHttpWebUrl", "---\nwebUrl: ftp://a.example/\n---\n",
                    "2:9: webUrl: must be an http or https URL"},
        BadDocument{"DateNotADate", Doc("publishedDateTime: yesterday\n"),
                    "3:20: publishedDateTime: expected an RFC 3339"},
        BadDocument{"DateWithoutOffset",
                    Doc("publishedDateTime: 2021-10-19T09:22:00\n"),
                    "3:20: publishedDateTime:"},
        BadDocument{"NumberNotANumber", Doc("quality: high\n"),
                    "3:10: quality: expected an integer"},
        BadDocument{"QuotedNumber", Doc("heat: \"5\"\n"), "3:7: heat:"},
        BadDocument{"NumberOutOfRange", Doc("quality: 99999999999\n"),
                    "3:10: quality:"},
        BadDocument{"BoolNotABool", Doc("published: yes\n"),
                    "3:12: published: expected true or false"},
        BadDocument{"ListForString", Doc("title:\n  - a\n"),
                    "4:3: title: expected a single value"},
        BadDocument{"ScalarForMapping", Doc("provider: ACME\n"),
                    "3:11: provider: expected a mapping"},
        BadDocument{"ScalarForList", Doc("topics: AI\n"),
                    "3:9: topics: expected a list"},
        BadDocument{"NestedWrongType",
                    Doc("images:\n  - url: https://i.example/a.jpg\n"
                        "    width: wide\n"),
                    "5:12: images[0].width: expected an integer"},
        BadDocument{"DeepWrongType",
                    Doc("related:\n  - webUrl: https://r.example/\n"
                        "    provider:\n      name: [x]\n"),
                    "6:13: related[0].provider.name: expected a single value"},
        BadDocument{"UnknownNestedKey", Doc("provider:\n  name: A\n  url: x\n"),
                    "5:3: provider.url: unknown key"},
        BadDocument{"EmptyNestedKey", Doc("provider:\n  \"\": x\n"),
                    "4:3: provider.: unknown key"},
        BadDocument{"DuplicateKey", Doc("title: A\ntitle: B\n"),
                    "4:1: title: duplicate key"},
        BadDocument{"Alias", Doc("a: 1\nb: *x\n"), "4:4: b: aliases"},
        BadDocument{"NotAMapping", "---\n- a\n- b\n---\n",
                    "2:1: front matter: expected a mapping"}),
    [](const auto& info) { return info.param.name; });

// Issue 15: a byte that is not UTF-8 (or, in the front matter, a character
// YAML does not allow) is refused at its own line and column (counted in
// characters), naming the key, the field path or "body".
INSTANTIATE_TEST_SUITE_P(
    Characters, BadDocumentTest,
    ::testing::Values(
        BadDocument{"Latin1InBody", Doc("") + "Caf\xE9 prices rose.\n",
                    "4:4: body: invalid UTF-8 (byte 0xE9)"},
        BadDocument{"Latin1InExcerpt",
                    Doc("title: T\ncategory: news\ntype: article\nquality: 1\n"
                        "heat: 2\nexcerpt: \"Caf\xE9 prices rose.\"\n"),
                    "8:14: excerpt: invalid UTF-8"},
        BadDocument{"InNestedValue",
                    Doc("related:\n  - provider:\n      name: Caf\xE9\n"),
                    "5:16: related[0].provider.name: invalid UTF-8"},
        BadDocument{"InListItem", Doc("topics:\n  - AI\n  - Caf\xE9\n"),
                    "5:8: topics[1]: invalid UTF-8"},
        BadDocument{"InUnknownKey", Doc("note: \"\xA0\"\n"),
                    "3:8: note: invalid UTF-8 (byte 0xA0)"},
        BadDocument{"InComment", Doc("# caf\xE9\n"),
                    "3:6: front matter: invalid UTF-8"},
        BadDocument{"ColumnsAreCharacters",
                    Doc("") + "one\n\xCE\xB5\xCE\xBB \xFF\n",
                    "5:4: body: invalid UTF-8 (byte 0xFF)"},
        BadDocument{"Overlong", Doc("title: \xC0\xAF\n"),
                    "3:8: title: invalid UTF-8 (bytes 0xC0 0xAF)"},
        BadDocument{"OverlongThreeBytes", Doc("") + "\xE0\x80\xAF",
                    "4:1: body: invalid UTF-8 (bytes 0xE0 0x80 0xAF)"},
        BadDocument{"Surrogate", Doc("title: \"\xED\xA0\x80\"\n"),
                    "3:9: title: invalid UTF-8 (bytes 0xED 0xA0 0x80)"},
        BadDocument{"BeyondUnicode", Doc("") + "x\xF4\x90\x80\x80",
                    "4:2: body: invalid UTF-8 (bytes 0xF4 0x90 0x80 0x80)"},
        BadDocument{"TruncatedAtTheEnd", Doc("") + "5 \xE2\x82",
                    "4:3: body: invalid UTF-8 (bytes 0xE2 0x82)"},
        BadDocument{"ControlCharacter", Doc("title: a\x01z\n"),
                    "3:9: title: character U+0001 is not allowed in YAML"},
        BadDocument{"C1Control", Doc("topics: [\"\xC2\x80\"]\n"),
                    "3:11: topics[0]: character U+0080 is not allowed"}),
    [](const auto& info) { return info.param.name; });

// Issue 15: libyaml notices an unfinished construct where it should have
// ended; the error points where it starts, and names the key.
INSTANTIATE_TEST_SUITE_P(
    Positions, BadDocumentTest,
    ::testing::Values(
        BadDocument{"UnclosedDoubleQuote",
                    Doc("title: T\nkey: \"missing closing quote\n"),
                    "4:6: key: found unexpected end of stream at 5:1, while "
                    "scanning a quoted scalar that starts here"},
        BadDocument{"UnclosedSingleQuote", Doc("provider:\n  name: 'Acme\n"),
                    "4:9: provider.name: found unexpected end of stream"},
        BadDocument{"UnclosedQuoteInList", Doc("topics:\n  - \"AI\n"),
                    "4:5: topics[0]: found unexpected end of stream"},
        BadDocument{"LastKeyWithoutColon", Doc("title: T\nlastkey\n"),
                    "4:1: lastkey: could not find expected ':' at 5:1"},
        BadDocument{"KeyWithoutColon", Doc("title: T\nnocolon\nheat: 1\n"),
                    "4:1: nocolon: could not find expected ':'"},
        BadDocument{"UnclosedList", Doc("title: [unclosed\nheat: 1\n"),
                    "3:8: title: did not find expected ',' or ']' at 4:5"},
        BadDocument{"UnclosedMapping", Doc("provider: {name: A\n"),
                    "3:11: provider: did not find expected ',' or '}'"},
        BadDocument{"BadEscape", Doc("title: \"a \\q\"\n"),
                    "3:11: title: found unknown escape character"},
        BadDocument{"ColonAfterValue", Doc("title: a: b\n"),
                    "3:9: title: mapping values are not allowed"},
        BadDocument{"ColumnsAreCharacters", Doc("title: \xC3\xA9: x\n"),
                    "3:9: title: mapping values"},
        // libyaml counts U+2028 as a line break; editors do not.
        BadDocument{"LineSeparator",
                    Doc("title: \"a\xE2\x80\xA8z\"\nquality: x: y\n"),
                    "4:11: quality: mapping values"}),
    [](const auto& info) { return info.param.name; });

// Issue 15: what the codec refuses that libyaml would read wrongly, and
// tabs it cannot read the way YAML 1.2 does.
INSTANTIATE_TEST_SUITE_P(
    Refused, BadDocumentTest,
    ::testing::Values(
        BadDocument{"AnchorWithColon", Doc("title: &an:chor value\n"),
                    "3:8: title: anchors (&name) are not supported"},
        BadDocument{"AnchorOnMapping", Doc("provider: &p\n  name: A\n"),
                    "3:11: provider: anchors"},
        BadDocument{"IntTag", Doc("count: !!int 5\n"),
                    "3:8: count: the tag tag:yaml.org,2002:int is not "
                    "supported: only !!str"},
        BadDocument{"TagOnList", Doc("topics: !!seq [a]\n"),
                    "3:9: topics: the tag"},
        BadDocument{"LocalTag", Doc("title: !custom x\n"),
                    "3:8: title: the tag !custom"},
        // libyaml was reading webUrl's value on, as a plain scalar may go.
        BadDocument{"TabIndentation", Doc("\ttitle: T\n"),
                    "3:1: webUrl: found a tab character that violates "
                    "indentation, while scanning a plain scalar that starts "
                    "at 2:9; libyaml cannot read a tab here"},
        BadDocument{"TabIndentationAfterQuotes", Doc("a: \"b\"\n\tc: d\n"),
                    "4:1: c: found character that cannot start any token"},
        BadDocument{"TabLineInBlockScalar", Doc("excerpt: |\n  a\n\t\n  b\n"),
                    "5:1: excerpt: found a tab character where an indentation "
                    "space is expected"},
        BadDocument{"TabBeforeMappingInList",
                    Doc("related:\n  -\twebUrl: https://r.example/\n"),
                    "4:4: related[0]: found character that cannot start"},
        BadDocument{"TabInGivenIndentation", Doc("excerpt: |2\n \tcode\n"),
                    "4:2: excerpt: found a tab character"},
        BadDocument{"TooManyTabsToRead",
                    [] {
                      std::string lines;
                      for (int i = 0; i < 65; ++i) {
                        absl::StrAppend(&lines, "k", i, ": v\n\t\n");
                      }
                      return Doc(lines);
                    }(),
                    "132:1: k64: found a tab character that violates "
                    "indentation, while scanning a plain scalar that starts "
                    "at 131:6 (YAML 1.2 allows this tab, but past 64"},
        BadDocument{"DeeperEmptyLineBeforeTab",
                    Doc("excerpt: |\n   \n  \tcode\n"),
                    "5:3: excerpt: found a tab character"}),
    [](const auto& info) { return info.param.name; });

TEST(ArticleDocumentTest, AcceptedTextIsUtf8ThatProtobufSerializes) {
  absl::StatusOr<v1::Article> article =
      Parse(Doc("title: \"Caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80\"\n"
                "note: \xEF\xBF\xBD\n") +
            "\xE2\x82\xAC 5 \xF4\x8F\xBF\xBF\n");
  ASSERT_THAT(article, IsOk());
  v1::Article again;
  EXPECT_TRUE(again.ParseFromString(article->SerializeAsString()));
  EXPECT_TRUE(MessageDifferencer::Equals(*article, again));
}

}  // namespace
}  // namespace content
