// The ArticleStore contract, on every engine: reads, conditional writes,
// aliases, revisions, racing writers.

#include <algorithm>
#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/storage/store_fixture.h"
#include "tests/support/status_matchers.h"

namespace content {
namespace {

using ::content::testing::IsOk;
using ::content::testing::StatusIs;

v1::Article MakeArticle(const std::string& url, const std::string& title) {
  v1::Article article;
  article.set_web_url(url);
  article.set_title(title);
  return article;
}

ArticleMutation Put(const std::string& key, const std::string& title) {
  ArticleMutation mutation;
  mutation.key = key;
  mutation.article = MakeArticle(key, title);
  return mutation;
}

ArticleMutation Delete(const std::string& key) {
  ArticleMutation mutation;
  mutation.kind = ArticleMutation::Kind::kDelete;
  mutation.key = key;
  return mutation;
}

class ArticleStoreTest : public testing::StoreTest {
 protected:
  v1::Article PutOne(const std::string& key, const std::string& title) {
    absl::StatusOr<std::vector<MutationResult>> results =
        store()->Write({Put(key, title)});
    EXPECT_THAT(results, IsOk());
    return results.ok() ? results->front().article : v1::Article();
  }
};
INSTANTIATE_ENGINES(ArticleStoreTest);

TEST_P(ArticleStoreTest, GetOfUnknownKeyReturnsNotFound) {
  EXPECT_THAT(store()->Get("https://a.example/"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_P(ArticleStoreTest, PutSetsServerFieldsAndGetReturnsThem) {
  const v1::Article stored = PutOne("https://a.example/", "A");
  EXPECT_TRUE(IsNextRevision(0, stored.revision()));
  EXPECT_EQ(store()->LastRevision(), stored.revision());
  EXPECT_FALSE(stored.etag().empty());
  EXPECT_GT(stored.create_time().seconds(), 0);
  EXPECT_EQ(stored.create_time().SerializeAsString(),
            stored.update_time().SerializeAsString());

  absl::StatusOr<v1::Article> read = store()->Get("https://a.example/");
  ASSERT_THAT(read, IsOk());
  EXPECT_EQ(read->SerializeAsString(), stored.SerializeAsString());
}

TEST_P(ArticleStoreTest, PutOfUnchangedContentKeepsTheRevision) {
  const v1::Article first = PutOne("https://a.example/", "A");
  absl::StatusOr<std::vector<MutationResult>> again =
      store()->Write({Put("https://a.example/", "A")});
  ASSERT_THAT(again, IsOk());
  EXPECT_FALSE(again->front().changed);
  EXPECT_EQ(again->front().article.revision(), first.revision());
  // No change recorded (a replicated store's log advanced all the same).
  absl::StatusOr<std::vector<ArticleChange>> changes =
      store()->ReadChanges(first.revision() + 1, 10);
  ASSERT_THAT(changes, IsOk());
  EXPECT_TRUE(changes->empty());
  if (dense_revisions()) EXPECT_EQ(store()->LastRevision(), first.revision());
}

TEST_P(ArticleStoreTest, PutOfNewContentKeepsCreateTimeAndAdvances) {
  const v1::Article first = PutOne("https://a.example/", "A");
  const v1::Article second = PutOne("https://a.example/", "B");
  EXPECT_TRUE(IsNextRevision(first.revision(), second.revision()));
  EXPECT_NE(second.etag(), first.etag());
  EXPECT_EQ(second.create_time().SerializeAsString(),
            first.create_time().SerializeAsString());
}

TEST_P(ArticleStoreTest, DeleteRemovesTheArticle) {
  const v1::Article stored = PutOne("https://a.example/", "A");
  ASSERT_THAT(store()->Write({Delete("https://a.example/")}), IsOk());
  EXPECT_THAT(store()->Get("https://a.example/"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_TRUE(IsNextRevision(stored.revision(), store()->LastRevision()));
}

TEST_P(ArticleStoreTest, DeleteOfMissingKeyReturnsNotFound) {
  EXPECT_THAT(store()->Write({Delete("https://a.example/")}),
              StatusIs(absl::StatusCode::kNotFound));
  ArticleMutation lenient = Delete("https://a.example/");
  lenient.allow_missing = true;
  absl::StatusOr<std::vector<MutationResult>> results =
      store()->Write({lenient});
  ASSERT_THAT(results, IsOk());
  EXPECT_FALSE(results->front().changed);
  absl::StatusOr<std::vector<ArticleChange>> changes =
      store()->ReadChanges(1, 10);
  ASSERT_THAT(changes, IsOk());
  EXPECT_TRUE(changes->empty());
  if (dense_revisions()) EXPECT_EQ(store()->LastRevision(), 0);
}

TEST_P(ArticleStoreTest, FailedPreconditionWritesNothingOfTheBatch) {
  const v1::Article stored = PutOne("https://a.example/", "A");
  ArticleMutation conditional = Put("https://a.example/", "B");
  conditional.expected_etag = "not-the-etag";
  EXPECT_THAT(store()->Write({Put("https://b.example/", "B"), conditional}),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_THAT(store()->Get("https://b.example/"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(store()->Get("https://a.example/")->title(), "A");

  conditional.expected_etag = stored.etag();
  EXPECT_THAT(store()->Write({conditional}), IsOk());
  EXPECT_EQ(store()->Get("https://a.example/")->title(), "B");
}

TEST_P(ArticleStoreTest, MultiGetAnswersInOrderWithGapsForMissing) {
  PutOne("https://a.example/", "A");
  PutOne("https://c.example/", "C");
  absl::StatusOr<std::vector<std::optional<v1::Article>>> found =
      store()->MultiGet({"https://c.example/", "https://b.example/",
                         "https://a.example/", "https://c.example/"});
  ASSERT_THAT(found, IsOk());
  ASSERT_EQ(found->size(), 4u);
  EXPECT_EQ((*found)[0]->title(), "C");
  EXPECT_FALSE((*found)[1].has_value());
  EXPECT_EQ((*found)[2]->title(), "A");
  EXPECT_EQ((*found)[3]->title(), "C");
}

TEST_P(ArticleStoreTest, QueryPagesThroughArticlesThatTieInKeyOrder) {
  for (const char* key : {"https://c.example/", "https://a.example/",
                          "https://b.example/", "https://d.example/"}) {
    PutOne(key, key);
  }
  ArticleQuery oldest_first;  // no article has a time: all tie
  oldest_first.descending = false;
  absl::StatusOr<QueryPage> first = store()->Query(oldest_first, "", {2});
  ASSERT_THAT(first, IsOk());
  ASSERT_EQ(first->hits.size(), 2u);
  EXPECT_EQ(first->hits[0].key, "https://a.example/");
  EXPECT_EQ(first->hits[1].key, "https://b.example/");
  EXPECT_EQ(first->revision, store()->LastRevision());
  absl::StatusOr<QueryPage> rest =
      store()->Query(oldest_first, first->next_start, {10});
  ASSERT_THAT(rest, IsOk());
  ASSERT_EQ(rest->hits.size(), 2u);
  EXPECT_EQ(rest->hits[0].key, "https://c.example/");
  v1::Article last;
  ASSERT_TRUE(last.ParseFromString(rest->hits[1].article));
  EXPECT_EQ(last.title(), "https://d.example/");
  EXPECT_EQ(rest->next_start, "");
}

TEST_P(ArticleStoreTest, CreateOnlyPutOfAStoredKeyIsAlreadyExists) {
  PutOne("https://a.example/", "A");
  ArticleMutation again = Put("https://a.example/", "B");
  again.create_only = true;
  EXPECT_THAT(store()->Write({again}),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_EQ(store()->Get("https://a.example/")->title(), "A");
  ArticleMutation fresh = Put("https://b.example/", "B");
  fresh.create_only = true;
  EXPECT_THAT(store()->Write({fresh}), IsOk());
}

TEST_P(ArticleStoreTest, ArticlesAndRevisionSurviveReopen) {
  const v1::Article stored = PutOne("https://a.example/", "A");
  Reopen();
  EXPECT_EQ(store()->LastRevision(), stored.revision());
  EXPECT_EQ(store()->Get("https://a.example/")->SerializeAsString(),
            stored.SerializeAsString());
  EXPECT_TRUE(IsNextRevision(stored.revision(),
                             PutOne("https://b.example/", "B").revision()));
}

ArticleMutation PutWithAliases(const std::string& key,
                               std::vector<std::string> aliases) {
  ArticleMutation mutation = Put(key, key);
  mutation.alias_keys = std::move(aliases);
  return mutation;
}

TEST_P(ArticleStoreTest, AliasesResolveToTheirArticle) {
  ASSERT_THAT(store()->Write({PutWithAliases(
                  "https://a.example/",
                  {"https://amp.a.example/", "https://orig.example/"})}),
              IsOk());
  EXPECT_EQ(store()->Get("https://amp.a.example/")->web_url(),
            "https://a.example/");
  absl::StatusOr<std::vector<std::optional<v1::Article>>> found =
      store()->MultiGet({"https://orig.example/", "https://a.example/",
                         "https://other.example/"});
  ASSERT_THAT(found, IsOk());
  EXPECT_EQ((*found)[0]->web_url(), "https://a.example/");
  EXPECT_EQ((*found)[1]->web_url(), "https://a.example/");
  EXPECT_FALSE((*found)[2].has_value());
}

TEST_P(ArticleStoreTest, AliasesFollowUpdatesAndGoWithDelete) {
  ASSERT_THAT(store()->Write({PutWithAliases("https://a.example/",
                                             {"https://old.example/"})}),
              IsOk());
  ASSERT_THAT(store()->Write({PutWithAliases("https://a.example/",
                                             {"https://new.example/"})}),
              IsOk());
  EXPECT_THAT(store()->Get("https://old.example/"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store()->Get("https://new.example/"), IsOk());
  ASSERT_THAT(store()->Write({Delete("https://a.example/")}), IsOk());
  EXPECT_THAT(store()->Get("https://new.example/"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_P(ArticleStoreTest, AnAliasNeverPointsAtAnotherArticlesData) {
  ASSERT_THAT(store()->Write({PutWithAliases("https://a.example/",
                                             {"https://shared.example/"})}),
              IsOk());
  ASSERT_THAT(store()->Write({PutWithAliases(
                  "https://b.example/",
                  {"https://shared.example/", "https://a.example/"})}),
              IsOk());
  // The last writer owns a shared alias; an article's own key always wins.
  EXPECT_EQ(store()->Get("https://shared.example/")->web_url(),
            "https://b.example/");
  EXPECT_EQ(store()->Get("https://a.example/")->web_url(),
            "https://a.example/");
  // Deleting A leaves B's alias alone.
  ASSERT_THAT(store()->Write({Delete("https://a.example/")}), IsOk());
  EXPECT_EQ(store()->Get("https://shared.example/")->web_url(),
            "https://b.example/");
  // Now that A is gone, its key resolves through B's alias.
  EXPECT_EQ(store()->Get("https://a.example/")->web_url(),
            "https://b.example/");
}

TEST_P(ArticleStoreTest, PutReportsWhetherItCreated) {
  absl::StatusOr<std::vector<MutationResult>> first =
      store()->Write({Put("https://a.example/", "A")});
  ASSERT_THAT(first, IsOk());
  EXPECT_TRUE(first->front().created);
  absl::StatusOr<std::vector<MutationResult>> second =
      store()->Write({Put("https://a.example/", "B")});
  ASSERT_THAT(second, IsOk());
  EXPECT_FALSE(second->front().created);
  EXPECT_TRUE(second->front().changed);
}

TEST_P(ArticleStoreTest, CountsArticlesExactlyAcrossReopen) {
  PutOne("https://a.example/", "A");
  PutOne("https://b.example/", "B");
  PutOne("https://b.example/", "B2");  // update: same count
  ASSERT_THAT(store()->Write({Put("https://a.example/", "A")}), IsOk());
  EXPECT_EQ(store()->ArticleCount(), 2);
  ASSERT_THAT(store()->Write({Delete("https://a.example/")}), IsOk());
  EXPECT_EQ(store()->ArticleCount(), 1);
  Reopen();
  EXPECT_EQ(store()->ArticleCount(), 1);
}

TEST_P(ArticleStoreTest, ConcurrentWritersGetOrderedRevisions) {
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 25;
  std::vector<std::vector<int64_t>> revisions(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        revisions[t].push_back(
            PutOne(absl::StrCat("https://", t, ".example/", i), "x")
                .revision());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  std::set<int64_t> all;
  for (const std::vector<int64_t>& mine : revisions) {
    // Each writer's own writes commit in order.
    EXPECT_TRUE(std::is_sorted(mine.begin(), mine.end()));
    EXPECT_TRUE(std::adjacent_find(mine.begin(), mine.end()) == mine.end());
    all.insert(mine.begin(), mine.end());
  }
  EXPECT_EQ(*all.rbegin(), store()->LastRevision());
  if (revision_per_write()) {
    EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kWritesPerThread));
    EXPECT_EQ(*all.begin(), 1);
    EXPECT_EQ(*all.rbegin(), kThreads * kWritesPerThread);
  }
  // Every write is stored, and the change feed holds each once.
  absl::StatusOr<std::vector<ArticleChange>> changes =
      store()->ReadChanges(1, 10 * kThreads * kWritesPerThread);
  ASSERT_THAT(changes, IsOk());
  EXPECT_EQ(changes->size(), static_cast<size_t>(kThreads * kWritesPerThread));
  EXPECT_EQ(store()->ArticleCount(), kThreads * kWritesPerThread);
}

TEST_P(ArticleStoreTest, RacingConditionalWritesHaveExactlyOneWinner) {
  const v1::Article stored = PutOne("https://a.example/", "start");
  // An expected etag on a stored article; create-only on a new key.
  for (const bool create_only : {false, true}) {
    const std::string key =
        create_only ? "https://b.example/" : "https://a.example/";
    constexpr int kThreads = 8;
    std::atomic<int> winners{0};
    std::atomic<int> losers{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        ArticleMutation mutation = Put(key, absl::StrCat(t));
        if (create_only) {
          mutation.create_only = true;
        } else {
          mutation.expected_etag = stored.etag();
        }
        absl::Status status = store()->Write({mutation}).status();
        if (status.ok()) ++winners;
        if (status.code() == (create_only ? absl::StatusCode::kAlreadyExists
                                          : absl::StatusCode::kAborted)) {
          ++losers;
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(winners.load(), 1) << (create_only ? "create_only" : "etag");
    EXPECT_EQ(losers.load(), kThreads - 1);
  }
}

TEST_P(ArticleStoreTest, GetSerializedIsTheStoredArticleUnparsed) {
  ArticleMutation put = Put("https://a.example/", "title");
  put.alias_keys = {"https://amp.example/a"};
  (*put.article.mutable_extra()->mutable_fields())["k"].set_string_value("v");
  ASSERT_THAT(store()->Write({put}), IsOk());
  const absl::StatusOr<v1::Article> article =
      store()->Get("https://a.example/");
  ASSERT_THAT(article, IsOk());
  for (const std::string key :
       {"https://a.example/", "https://amp.example/a"}) {
    absl::StatusOr<std::string> bytes = store()->GetSerialized(key);
    ASSERT_THAT(bytes, IsOk());
    v1::Article parsed;
    ASSERT_TRUE(parsed.ParseFromString(*bytes));
    EXPECT_EQ(parsed.SerializeAsString(), article->SerializeAsString()) << key;
  }
  EXPECT_THAT(store()->GetSerialized("https://b.example/").status(),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace content
