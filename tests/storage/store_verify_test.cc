// ArticleStore::Verify finds damage that the store itself would never
// write, planted here through the engine directly; Digest fingerprints the
// state. On every engine.

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/storage/store_fixture.h"
#include "tests/support/status_matchers.h"

namespace content {
namespace {

using ::content::testing::IsOk;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const ArticleCheck kNoExtraCheck = [](absl::string_view, const v1::Article&) {
  return std::string();
};

class StoreVerifyTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    // Two articles, the first with an alias.
    ArticleMutation first;
    first.key = "https://a.example/1";
    first.alias_keys = {"https://a.example/amp/1"};
    first.article.set_web_url(first.key);
    first.article.set_title("One");
    ArticleMutation second;
    second.key = "https://a.example/2";
    second.article.set_web_url(second.key);
    ASSERT_THAT(store()->Write({first, second}), IsOk());
  }

  // Applies `damage` to the engine, under the store's back, and reopens.
  template <typename Damage>
  void Plant(Damage damage) {
    KvWriteBatch batch;
    damage(&batch);
    ASSERT_THAT(engine()->Apply(batch, engine()->LastSequence()), IsOk());
    Reopen();
  }

  std::vector<std::string> Problems(const ArticleCheck& check = kNoExtraCheck) {
    absl::StatusOr<VerifyReport> report = store()->Verify(check);
    EXPECT_THAT(report, IsOk());
    return report.ok() ? report->problems : std::vector<std::string>{};
  }

  std::string Digest() {
    absl::StatusOr<StateDigest> digest = store()->Digest();
    EXPECT_THAT(digest, IsOk());
    return digest.ok() ? digest->sha256 : "";
  }
};
INSTANTIATE_ENGINES(StoreVerifyTest);

TEST_P(StoreVerifyTest, AConsistentStoreHasNoProblems) {
  absl::StatusOr<VerifyReport> report = store()->Verify(kNoExtraCheck);
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->articles, 2);
  EXPECT_EQ(report->aliases, 1);
  EXPECT_EQ(report->revision, store()->LastRevision());
  EXPECT_TRUE(IsNextRevision(0, report->revision));
  EXPECT_THAT(report->problems, IsEmpty());
}

TEST_P(StoreVerifyTest, FindsALostAlias) {
  Plant(
      [](KvWriteBatch* batch) { batch->Delete("l:https://a.example/amp/1"); });
  EXPECT_THAT(Problems(), Contains(AllOf(HasSubstr("https://a.example/amp/1"),
                                         HasSubstr("resolves to nothing"))));
}

TEST_P(StoreVerifyTest, FindsADanglingAliasAndAWrongCount) {
  Plant([](KvWriteBatch* batch) {
    batch->Put("l:https://a.example/old", "https://a.example/gone");
    batch->Put("m:article_count", "3");
  });
  const std::vector<std::string> problems = Problems();
  EXPECT_THAT(problems, Contains(HasSubstr("which is not stored")));
  EXPECT_THAT(problems, Contains(HasSubstr("says 3 but 2 articles")));
}

TEST_P(StoreVerifyTest, FindsAMissingAndAStaleIndexEntry) {
  Plant([](KvWriteBatch* batch) {
    // The first article's entry in the posting of all articles by quality.
    batch->Delete(std::string("x:q*\0\x80\0\0\0https://a.example/1", 28));
    const std::string stale("x:q*\0\x80\0\0\0https://a.example/9", 28);
    batch->Put(stale, "");
    batch->Put(stale + "0", "");
  });
  const std::vector<std::string> problems = Problems();
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("https://a.example/1"),
                                       HasSubstr("is missing"))));
  EXPECT_THAT(problems, Contains(HasSubstr("stale entries")));
}

TEST_P(StoreVerifyTest, FindsAnUnparsableRecord) {
  Plant([](KvWriteBatch* batch) {
    batch->Put("a:https://a.example/2", "\xff\xff not a proto");
  });
  EXPECT_THAT(Problems(), Contains(HasSubstr("unparsable article")));
}

TEST_P(StoreVerifyTest, RunsTheCallersCheckOnEveryArticle) {
  int checked = 0;
  const std::vector<std::string> problems =
      Problems([&checked](absl::string_view key, const v1::Article&) {
        ++checked;
        return key == "https://a.example/2" ? std::string("planted")
                                            : std::string();
      });
  EXPECT_EQ(checked, 2);
  EXPECT_THAT(problems, Contains("https://a.example/2: planted"));
}

TEST_P(StoreVerifyTest, TheDigestIsOfTheStateNotOfItsHistory) {
  const std::string before = Digest();
  EXPECT_THAT(before, ::testing::MatchesRegex("[0-9a-f]{64}"));
  absl::StatusOr<VerifyReport> report = store()->Verify(kNoExtraCheck);
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->state_digest, before);  // the same walk, the same hash

  // A write and its undoing: new revisions, the same state.
  ArticleMutation third;
  third.key = "https://a.example/3";
  third.article.set_web_url(third.key);
  ASSERT_THAT(store()->Write({third}), IsOk());
  const std::string with_third = Digest();
  EXPECT_NE(with_third, before);
  ArticleMutation remove;
  remove.kind = ArticleMutation::Kind::kDelete;
  remove.key = third.key;
  ASSERT_THAT(store()->Write({remove}), IsOk());
  EXPECT_EQ(Digest(), before);
  Reopen();
  EXPECT_EQ(Digest(), before);
  absl::StatusOr<StateDigest> digest = store()->Digest();
  ASSERT_THAT(digest, IsOk());
  EXPECT_EQ(digest->revision, store()->LastRevision());
  EXPECT_EQ(digest->articles, 2);

  // Any change of a record shows, an index entry's too.
  Plant([](KvWriteBatch* batch) {
    batch->Put(std::string("x:q*\0\x80\0\0\0https://a.example/9", 28), "");
  });
  EXPECT_NE(Digest(), before);
}

}  // namespace
}  // namespace content
