// Properties: for generated articles, document -> Article -> document ->
// Article is the identity, and writing is deterministic. What a round trip
// must keep: the written form of unknown keys' numbers, and strings that
// other YAML readers would take for something else. Documents that differ
// only in how YAML 1.2 lets them be written give the same article.

#include "absl/strings/str_cat.h"
#include "document/article_document.h"
#include "document/corpus_generator.h"
#include "document/yaml_scalar.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace content {
namespace {

using ::google::protobuf::util::MessageDifferencer;

TEST(ArticleDocumentRoundTripTest, TenThousandGeneratedDocumentsRoundTrip) {
  const CorpusGenerator generator(/*seed=*/20261126);
  int with_body = 0;
  int with_extra = 0;
  for (uint64_t i = 0; i < 10000; ++i) {
    const std::string document = FormatArticleDocument(generator.Article(i));
    const std::string name = absl::StrCat("generated-", i, ".md");
    absl::StatusOr<v1::Article> first = ParseArticleDocument(document, name);
    ASSERT_TRUE(first.ok()) << first.status() << "\n" << document;
    const std::string rewritten = FormatArticleDocument(*first);
    ASSERT_EQ(rewritten, document) << name;
    absl::StatusOr<v1::Article> second = ParseArticleDocument(rewritten, name);
    ASSERT_TRUE(second.ok()) << second.status();
    ASSERT_TRUE(MessageDifferencer::Equals(*first, *second)) << name;
    std::string differences;
    MessageDifferencer differencer;
    differencer.ReportDifferencesToString(&differences);
    ASSERT_TRUE(differencer.Compare(generator.Article(i), *first))
        << name << ": " << differences << "\n"
        << document;
    with_body += !first->body().empty();
    with_extra += first->has_extra();
  }
  // The corpus exercises bodies and unknown keys, not just front matter.
  EXPECT_GT(with_body, 2000);
  EXPECT_GT(with_extra, 1000);
}

TEST(CorpusGeneratorTest, IsDeterministicPerSeedAndIndex) {
  const CorpusGenerator a(7);
  const CorpusGenerator b(7);
  const CorpusGenerator c(8);
  EXPECT_TRUE(MessageDifferencer::Equals(a.Article(42), b.Article(42)));
  EXPECT_FALSE(MessageDifferencer::Equals(a.Article(42), c.Article(42)));
  EXPECT_NE(a.Article(1).web_url(), a.Article(2).web_url());
}

// Issue 15: an unknown key's scalar that would print differently stays the
// string it was written as; one that prints the same stays a number.
TEST(ArticleDocumentRoundTripTest, UnknownKeysKeepTheirWrittenForm) {
  const std::vector<std::pair<std::string, std::string>> strings = {
      {"zip", "02700"},    {"fileMode", "0644"},
      {"plus", "+1"},      {"under", "1_000"},
      {"hex", "0x1F"},     {"octal", "0o17"},
      {"one", "1.0"},      {"exp", "1e3"},
      {"upper", "1E3"},    {"trail", "2.50"},
      {"dot", ".5"},       {"point", "5."},
      {"negzero", "-0.0"}, {"huge", "12345678901234567890"},
      {"tiny", "1e-400"},  {"inf", ".inf"}};
  const std::vector<std::pair<std::string, double>> numbers = {
      {"int", 2700},     {"neg", -5},       {"float", 2.5},
      {"small", 0.0001}, {"big", 100000},   {"exact", 9007199254740994.0},
      {"sci", 1.5e300},  {"third", 1.0 / 3}};
  std::string front_matter;
  for (const auto& [key, text] : strings) {
    absl::StrAppend(&front_matter, key, ": ", text, "\n");
  }
  for (const auto& [key, number] : numbers) {
    absl::StrAppend(&front_matter, key, ": ", YamlNumber(number), "\n");
  }
  absl::StatusOr<v1::Article> article = ParseArticleDocument(
      "---\nwebUrl: https://a.example/\n" + front_matter + "---\n", "doc.md");
  ASSERT_TRUE(article.ok()) << article.status();
  const auto& extra = article->extra().fields();
  const std::string written = FormatArticleDocument(*article);
  for (const auto& [key, text] : strings) {
    EXPECT_EQ(extra.at(key).string_value(), text) << key;
    EXPECT_NE(written.find(absl::StrCat("\n", key, ": \"", text, "\"\n")),
              std::string::npos)
        << written;
  }
  for (const auto& [key, number] : numbers) {
    EXPECT_EQ(extra.at(key).number_value(), number) << key;
    EXPECT_NE(
        written.find(absl::StrCat("\n", key, ": ", YamlNumber(number), "\n")),
        std::string::npos)
        << written;
  }
  absl::StatusOr<v1::Article> again = ParseArticleDocument(written, "again.md");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(MessageDifferencer::Equals(*article, *again)) << written;
}

TEST(YamlNumberTest, PrintsWhatYaml11And12ReadersTakeForTheSameNumber) {
  EXPECT_EQ(YamlNumber(0), "0");
  EXPECT_EQ(YamlNumber(-0.0), "-0");
  EXPECT_EQ(YamlNumber(100000), "100000");
  EXPECT_EQ(YamlNumber(-2.5), "-2.5");
  EXPECT_EQ(YamlNumber(1e-7), "0.0000001");
  EXPECT_EQ(YamlNumber(123456789012345678.0), "123456789012345680");
  // Exponent form keeps a '.', which YAML 1.1 floats need.
  EXPECT_EQ(YamlNumber(1e21), "1.0e+21");
  EXPECT_EQ(YamlNumber(1e-8), "1.0e-08");
  EXPECT_EQ(YamlNumber(-1.25e-300), "-1.25e-300");
}

// Issue 15: strings that YAML 1.1 (PyYAML, Psych) or 1.2 readers take for a
// boolean, null, number, timestamp, merge key or value key are quoted,
// wherever the writer puts a string. (export_pyyaml_test.py reads them
// with PyYAML.)
TEST(ArticleDocumentRoundTripTest, QuotesStringsOtherReadersTakeForOtherTypes) {
  const std::vector<std::string> typed = {"y",
                                          "Y",
                                          "n",
                                          "yes",
                                          "Yes",
                                          "NO",
                                          "No",
                                          "on",
                                          "ON",
                                          "Off",
                                          "true",
                                          "FALSE",
                                          "tRuE",
                                          "~",
                                          "null",
                                          "Null",
                                          "NULL",
                                          "",
                                          "0x1F",
                                          "0o17",
                                          "017",
                                          "0b101",
                                          "1_000",
                                          ".5",
                                          "+1",
                                          "-1",
                                          "1e3",
                                          "6.02e+23",
                                          ".inf",
                                          "-.Inf",
                                          ".NaN",
                                          "1:20",
                                          "190:20:30.15",
                                          "2001-12-14",
                                          "2001-12-14t21:59:43.10-05:00",
                                          "2001-12-14 21:59:43.10 -5",
                                          "=",
                                          "<<",
                                          "1.0",
                                          "0",
                                          "-0"};
  v1::Article article;
  article.set_web_url("https://a.example/");
  for (const std::string& text : typed) {
    if (!text.empty()) article.add_topics(text);
    (*article.mutable_extra()->mutable_fields())["k" + text].set_string_value(
        text);
  }
  (*article.mutable_extra()->mutable_fields())["yes"].set_string_value("y");
  article.set_title("NO");
  article.mutable_provider()->set_name("off");
  const std::string written = FormatArticleDocument(article);
  for (const std::string& text : typed) {
    if (!text.empty()) {
      EXPECT_NE(written.find(absl::StrCat("  - \"", text, "\"\n")),
                std::string::npos)
          << text << "\n"
          << written;
    }
    EXPECT_NE(written.find(absl::StrCat(": \"", text, "\"\n")),
              std::string::npos)
        << text << "\n"
        << written;
  }
  EXPECT_NE(written.find("\ntitle: \"NO\"\n"), std::string::npos) << written;
  EXPECT_NE(written.find("  name: \"off\"\n"), std::string::npos) << written;
  // Keys too: "yes:" would be the boolean true to PyYAML.
  EXPECT_NE(written.find("\n\"yes\": \"y\"\n"), std::string::npos) << written;
  absl::StatusOr<v1::Article> again = ParseArticleDocument(written, "w.md");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(MessageDifferencer::Equals(article, *again)) << written;
}

// Issue 15: a document with a tab YAML 1.2 allows (or a !!str tag) reads as
// the same article as the document written with spaces (or quotes).
struct EquivalentFrontMatter {
  std::string name;
  std::string with_tabs;
  std::string with_spaces;
};

class YamlTwelveTest : public ::testing::TestWithParam<EquivalentFrontMatter> {
};

TEST_P(YamlTwelveTest, ReadsLikeTheFormWithoutTabs) {
  const auto parse = [](const std::string& front_matter) {
    return ParseArticleDocument(
        "---\nwebUrl: https://a.example/\n" + front_matter + "---\n", "d.md");
  };
  absl::StatusOr<v1::Article> tabs = parse(GetParam().with_tabs);
  absl::StatusOr<v1::Article> spaces = parse(GetParam().with_spaces);
  ASSERT_TRUE(tabs.ok()) << tabs.status();
  ASSERT_TRUE(spaces.ok()) << spaces.status();
  EXPECT_TRUE(MessageDifferencer::Equals(*tabs, *spaces))
      << tabs->DebugString() << "\n"
      << spaces->DebugString();
}

INSTANTIATE_TEST_SUITE_P(
    Table, YamlTwelveTest,
    ::testing::Values(
        EquivalentFrontMatter{"TabOnlyLine", "title: T\n\t\nheat: 2\n",
                              "title: T\n\nheat: 2\n"},
        EquivalentFrontMatter{"SpacesAndTabsLine",
                              "title: T\n  \t \nheat: 2\n\t\t\nquality: 1\n",
                              "title: T\nheat: 2\nquality: 1\n"},
        EquivalentFrontMatter{"TabLineInList", "topics:\n  - AI\n\t\n  - B\n",
                              "topics: [AI, B]\n"},
        EquivalentFrontMatter{"TabLineInQuoted", "excerpt: \"a\n\t\n  b\"\n",
                              "excerpt: \"a\\nb\"\n"},
        EquivalentFrontMatter{"TabLineInPlain", "excerpt: a\n\t\n  b\n",
                              "excerpt: \"a\\nb\"\n"},
        EquivalentFrontMatter{"TabAfterDash", "topics:\n  -\tAI\n  - \t\"B\"\n",
                              "topics: [AI, B]\n"},
        EquivalentFrontMatter{"TabAfterBlockIndentation",
                              "excerpt: |\n  \tcode\n  more\n",
                              "excerpt: \"\\tcode\\nmore\\n\"\n"},
        EquivalentFrontMatter{"TabAfterFoldedIndentation",
                              "excerpt: >\n  \tcode\n  more\n",
                              "excerpt: \"\\tcode\\nmore\\n\"\n"},
        EquivalentFrontMatter{"TabAfterEmptyLine", "excerpt: |\n\n  \tx\n",
                              "excerpt: \"\\n\\tx\\n\"\n"},
        EquivalentFrontMatter{
            "TabAfterIndentationInListItem",
            "related:\n  - webUrl: https://r.example/\n    excerpt: |-\n"
            "      \tcode\n",
            "related:\n  - webUrl: https://r.example/\n    excerpt: "
            "\"\\tcode\"\n"},
        EquivalentFrontMatter{"TabInIndentlessList", "topics:\n- |\n  \tx\n",
                              "topics: [\"\\tx\\n\"]\n"},
        EquivalentFrontMatter{"TabInLaterLine", "excerpt: |\n  a\n  \tb\n",
                              "excerpt: \"a\\n\\tb\\n\"\n"},
        EquivalentFrontMatter{"StrTags", "title: !!str 5\nlegacy: ! 12\n",
                              "title: \"5\"\nlegacy: \"12\"\n"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace content
