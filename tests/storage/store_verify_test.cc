// RocksDbArticleStore::Verify finds damage that the store itself would
// never write, planted here with RocksDB directly.

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "storage/rocksdb_article_store.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace content {
namespace {

using ::content::testing::IsOk;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const RocksDbArticleStore::ArticleCheck kNoExtraCheck =
    [](absl::string_view, const v1::Article&) { return std::string(); };

class StoreVerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Open();
    // Two articles, the first with an alias.
    ArticleMutation first;
    first.key = "https://a.example/1";
    first.alias_keys = {"https://a.example/amp/1"};
    first.article.set_web_url(first.key);
    first.article.set_title("One");
    ArticleMutation second;
    second.key = "https://a.example/2";
    second.article.set_web_url(second.key);
    ASSERT_THAT(store_->Write({first, second}), IsOk());
  }

  void Open() {
    absl::StatusOr<std::unique_ptr<RocksDbArticleStore>> store =
        RocksDbArticleStore::Open({dir_.path()});
    ASSERT_THAT(store, IsOk());
    store_ = std::move(*store);
  }

  // Closes the store, applies `damage` to the raw database, reopens.
  template <typename Damage>
  void Plant(Damage damage) {
    store_.reset();
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), dir_.path(), &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    damage(db.get());
    db.reset();
    Open();
  }

  std::vector<std::string> Problems(
      const RocksDbArticleStore::ArticleCheck& check = kNoExtraCheck) {
    absl::StatusOr<RocksDbArticleStore::VerifyReport> report =
        store_->Verify(check);
    EXPECT_THAT(report, IsOk());
    return report.ok() ? report->problems : std::vector<std::string>{};
  }

  testing::TempDir dir_;
  std::unique_ptr<RocksDbArticleStore> store_;
};

TEST_F(StoreVerifyTest, AConsistentStoreHasNoProblems) {
  absl::StatusOr<RocksDbArticleStore::VerifyReport> report =
      store_->Verify(kNoExtraCheck);
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->articles, 2);
  EXPECT_EQ(report->aliases, 1);
  EXPECT_EQ(report->revision, 1);
  EXPECT_THAT(report->problems, IsEmpty());
}

TEST_F(StoreVerifyTest, FindsALostAlias) {
  Plant([](rocksdb::DB* db) {
    ASSERT_TRUE(
        db->Delete(rocksdb::WriteOptions(), "l:https://a.example/amp/1").ok());
  });
  EXPECT_THAT(Problems(), Contains(AllOf(HasSubstr("https://a.example/amp/1"),
                                         HasSubstr("resolves to nothing"))));
}

TEST_F(StoreVerifyTest, FindsADanglingAliasAndAWrongCount) {
  Plant([](rocksdb::DB* db) {
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "l:https://a.example/old",
                        "https://a.example/gone")
                    .ok());
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "m:article_count", "3").ok());
  });
  const std::vector<std::string> problems = Problems();
  EXPECT_THAT(problems, Contains(HasSubstr("which is not stored")));
  EXPECT_THAT(problems, Contains(HasSubstr("says 3 but 2 articles")));
}

TEST_F(StoreVerifyTest, FindsAMissingAndAStaleIndexEntry) {
  Plant([](rocksdb::DB* db) {
    // The first article's entry in the posting of all articles by quality.
    std::string entry("x:q*\0\x80\0\0\0https://a.example/1", 28);
    ASSERT_TRUE(db->Delete(rocksdb::WriteOptions(), entry).ok());
    std::string stale("x:q*\0\x80\0\0\0https://a.example/9", 28);
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), stale, "").ok());
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), stale + "0", "").ok());
  });
  const std::vector<std::string> problems = Problems();
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("https://a.example/1"),
                                       HasSubstr("is missing"))));
  EXPECT_THAT(problems, Contains(HasSubstr("stale entries")));
}

TEST_F(StoreVerifyTest, FindsAnUnparsableRecord) {
  Plant([](rocksdb::DB* db) {
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "a:https://a.example/2",
                        "\xff\xff not a proto")
                    .ok());
  });
  EXPECT_THAT(Problems(), Contains(HasSubstr("unparsable article")));
}

TEST_F(StoreVerifyTest, RunsTheCallersCheckOnEveryArticle) {
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

}  // namespace
}  // namespace content
