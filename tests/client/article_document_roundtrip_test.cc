// Property: for generated articles, document -> Article -> document ->
// Article is the identity, and writing is deterministic.

#include "absl/strings/str_cat.h"
#include "client/article_document.h"
#include "client/corpus_generator.h"
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

}  // namespace
}  // namespace content
