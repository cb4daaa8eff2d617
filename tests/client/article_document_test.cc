#include "client/article_document.h"

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
#include "tests/support/test_server.h"

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
  // A float whose double is a whole number beyond 2^53 stays a number.
  EXPECT_EQ(extra.at("wholeFloat").number_value(), 66666666666666666.5);

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
        BadDocument{"UnparsableYaml", Doc("title: [unclosed\n"), "4:1:"},
        BadDocument{"BadIndentation", Doc("provider:\n  name: A\n bad: 1\n"),
                    "5:"},
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
        BadDocument{"Alias", Doc("a: &x 1\nb: *x\n"), "4:4: aliases"},
        BadDocument{"NotAMapping", "---\n- a\n- b\n---\n",
                    "2:1: front matter: expected a mapping"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace content
