// Secondary indexes, the reverse related index and the change feed of
// the article store, checked against brute force, on every engine.

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/storage/store_fixture.h"
#include "tests/support/status_matchers.h"

namespace content {
namespace {

using ::content::testing::IsOk;
using ::content::testing::StatusIs;
using Field = ArticleQuery::Field;
using SortBy = ArticleQuery::SortBy;

constexpr const char* kCategories[] = {"news", "sport", "tech"};
constexpr const char* kTopics[] = {"AI", "Go", "Rust", "Space", "Food"};
constexpr const char* kDomains[] = {"a.example", "b.example", "c.example"};

std::string KeyOf(int i) { return absl::StrCat("https://site.example/", i); }

// Few distinct values, so that ties and shared postings are common.
v1::Article RandomArticle(const std::string& key, std::mt19937* random) {
  auto pick = [random](int n) {
    return std::uniform_int_distribution<int>(0, n - 1)(*random);
  };
  v1::Article article;
  article.set_web_url(key);
  article.set_title(absl::StrCat("title ", pick(1000)));
  article.set_category(kCategories[pick(3)]);
  article.set_type(pick(2) == 0 ? "article" : "video");
  article.mutable_provider()->set_domain(kDomains[pick(3)]);
  article.set_published(pick(3) != 0);
  article.set_quality(pick(5));
  if (pick(8) != 0) {
    article.mutable_published_date_time()->set_seconds(1700000000 +
                                                       3600 * pick(6));
  }
  for (int t = pick(4); t > 0; --t) article.add_topics(kTopics[pick(5)]);
  return article;
}

ArticleMutation Put(v1::Article article) {
  ArticleMutation mutation;
  mutation.key = article.web_url();
  mutation.article = std::move(article);
  return mutation;
}

// The expected answer: every matching article, sorted as the query says.
std::vector<std::string> BruteForce(
    const ArticleQuery& query,
    const std::map<std::string, v1::Article>& model) {
  std::vector<std::pair<std::tuple<absl::Time, int32_t>, std::string>> rows;
  for (const auto& [key, article] : model) {
    if (!Matches(query, article)) continue;
    const absl::Time time = query.sort_by == SortBy::kPublishedTime
                                ? PublishedTime(article)
                                : absl::UnixEpoch();
    const int32_t quality =
        query.sort_by == SortBy::kQuality ? article.quality() : 0;
    rows.push_back({{time, quality}, key});
  }
  std::sort(rows.begin(), rows.end());
  if (query.descending) std::reverse(rows.begin(), rows.end());
  std::vector<std::string> keys;
  for (const auto& row : rows) keys.push_back(row.second);
  return keys;
}

class ArticleIndexTest : public testing::StoreTest {
 protected:
  // Every key the query returns, page by page, each page within `limit`.
  std::vector<std::string> QueryAll(const ArticleQuery& query,
                                    PageLimits limit) {
    std::vector<std::string> keys;
    std::string start;
    for (int pages = 0; pages < 10000; ++pages) {
      absl::StatusOr<QueryPage> page = store()->Query(query, start, limit);
      EXPECT_THAT(page, IsOk());
      if (!page.ok()) break;
      size_t bytes = 0;
      for (const QueryHit& hit : page->hits) {
        keys.push_back(hit.key);
        bytes += hit.article.size();
      }
      EXPECT_LE(page->hits.size(), limit.articles);
      if (page->hits.size() > 1) {
        EXPECT_LE(bytes, limit.bytes);
      }
      if (page->next_start.empty()) break;
      start = page->next_start;
    }
    return keys;
  }
};
INSTANTIATE_ENGINES(ArticleIndexTest);

TEST_P(ArticleIndexTest, QueriesAgreeWithBruteForceAfterRandomWrites) {
  std::mt19937 random(7);
  std::map<std::string, v1::Article> model;
  for (int op = 0; op < 600; ++op) {
    const std::string key = KeyOf(random() % 150);
    if (random() % 5 == 0) {
      ArticleMutation mutation;
      mutation.kind = ArticleMutation::Kind::kDelete;
      mutation.key = key;
      mutation.allow_missing = true;
      ASSERT_THAT(store()->Write({mutation}), IsOk());
      model.erase(key);
    } else {
      v1::Article article = RandomArticle(key, &random);
      ASSERT_THAT(store()->Write({Put(article)}), IsOk());
      model[key] = article;
    }
  }
  for (int q = 0; q < 200; ++q) {
    ArticleQuery query;
    for (int n = random() % 3; n > 0; --n) {
      switch (random() % 5) {
        case 0:
          query.equals.push_back({Field::kCategory, kCategories[random() % 3]});
          break;
        case 1:
          query.equals.push_back({Field::kTopic, kTopics[random() % 5]});
          break;
        case 2:
          query.equals.push_back(
              {Field::kProviderDomain, kDomains[random() % 3]});
          break;
        case 3:
          query.equals.push_back(
              {Field::kPublished, random() % 2 ? "true" : "false"});
          break;
        default:
          query.equals.push_back({Field::kType, "video"});
      }
    }
    if (random() % 3 == 0) {
      query.published_min =
          absl::FromUnixSeconds(1700000000 + 3600 * (random() % 6));
    }
    if (random() % 3 == 0) {
      query.published_max =
          absl::FromUnixSeconds(1700000000 + 3600 * (random() % 6));
    }
    if (random() % 3 == 0) query.quality_min = random() % 5;
    if (random() % 4 == 0) query.quality_max = random() % 5;
    query.sort_by = random() % 2 ? SortBy::kQuality : SortBy::kPublishedTime;
    query.descending = random() % 2;
    // Pages end by count, and every other query also by bytes (the articles
    // here are 100-200 bytes).
    PageLimits limit;
    limit.articles = 1 + random() % 9;
    if (q % 2 == 1) limit.bytes = 1 + random() % 800;
    EXPECT_EQ(QueryAll(query, limit), BruteForce(query, model))
        << "query " << q << ", page size " << limit.articles << ", bytes "
        << limit.bytes;
  }
}

TEST_P(ArticleIndexTest, IndexedFilterReadsOnlyTheEntriesItReturns) {
  std::mt19937 random(11);
  std::vector<ArticleMutation> batch;
  for (int i = 0; i < 2000; ++i) {
    v1::Article article = RandomArticle(KeyOf(i), &random);
    article.clear_topics();
    article.add_topics(i % 100 == 0 ? "rare" : "common");
    article.mutable_published_date_time()->set_seconds(1700000000 + i);
    batch.push_back(Put(std::move(article)));
    if (batch.size() == 500) {
      ASSERT_THAT(store()->Write(std::move(batch)), IsOk());
      batch.clear();
    }
  }
  ArticleQuery query;  // 20 "rare" articles, 10 of them in the range
  query.equals.push_back({Field::kTopic, "rare"});
  query.published_min = absl::FromUnixSeconds(1700000000 + 1000);
  absl::StatusOr<QueryPage> page = store()->Query(query, "", {50});
  ASSERT_THAT(page, IsOk());
  EXPECT_EQ(page->hits.size(), 10u);
  EXPECT_LE(page->index_entries_read, 11);

  // Two postings: a leapfrog join, not a walk of the larger one.
  query.equals.push_back({Field::kCategory, "news"});
  page = store()->Query(query, "", {50});
  ASSERT_THAT(page, IsOk());
  EXPECT_LE(page->index_entries_read, 3 * 10 + 2);
  for (const QueryHit& hit : page->hits) {
    v1::Article article;
    ASSERT_TRUE(article.ParseFromString(hit.article));
    EXPECT_EQ(article.category(), "news");
  }
}

TEST_P(ArticleIndexTest, PagingUnderConcurrentWritesNeitherRepeatsNorSkips) {
  std::mt19937 random(3);
  std::set<std::string> stable;
  for (int i = 0; i < 300; ++i) {
    ASSERT_THAT(store()->Write({Put(RandomArticle(KeyOf(i), &random))}),
                IsOk());
    stable.insert(KeyOf(i));
  }
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    std::mt19937 churn(5);
    for (int i = 0; i < 3000 && !stop; ++i) {
      const std::string key = KeyOf(1000 + churn() % 200);
      if (churn() % 3 == 0) {
        ArticleMutation remove;
        remove.kind = ArticleMutation::Kind::kDelete;
        remove.key = key;
        remove.allow_missing = true;
        ASSERT_THAT(store()->Write({remove}), IsOk());
      } else {
        ASSERT_THAT(store()->Write({Put(RandomArticle(key, &churn))}), IsOk());
      }
    }
  });
  for (SortBy sort_by : {SortBy::kPublishedTime, SortBy::kQuality}) {
    ArticleQuery query;
    query.sort_by = sort_by;
    const std::vector<std::string> seen = QueryAll(query, {7});
    // Exactly once for each article that did not change. One the writer
    // moves from a page already read to a later one is legitimately seen at
    // both positions, so the churned keys are not counted.
    std::multiset<std::string> counted(seen.begin(), seen.end());
    for (const std::string& key : stable) {
      EXPECT_EQ(counted.count(key), 1u) << key;
    }
  }
  stop = true;
  writer.join();
}

TEST_P(ArticleIndexTest, ReverseIndexFollowsRelatedItems) {
  const std::string x = "https://x.example/";
  auto put = [&](const std::string& key, std::vector<std::string> related) {
    v1::Article article;
    article.set_web_url(key);
    article.set_title(absl::StrCat(key, related.size()));
    ArticleMutation mutation = Put(std::move(article));
    mutation.related_keys = std::move(related);
    ASSERT_THAT(store()->Write({mutation}), IsOk());
  };
  auto referencing = [&](const std::string& url, size_t page_size) {
    std::vector<std::string> keys;
    std::string start;
    do {
      absl::StatusOr<QueryPage> page =
          store()->ListReferencing(url, start, {page_size});
      EXPECT_THAT(page, IsOk());
      if (!page.ok()) break;
      for (const QueryHit& hit : page->hits) keys.push_back(hit.key);
      start = page->next_start;
    } while (!start.empty());
    return keys;
  };
  put("https://c.example/", {x, "https://y.example/"});
  put("https://a.example/", {x});
  put("https://b.example/", {x});
  put("https://d.example/", {"https://y.example/"});
  EXPECT_EQ(referencing(x, 2), (std::vector<std::string>{
                                   "https://a.example/", "https://b.example/",
                                   "https://c.example/"}));
  put("https://b.example/", {});  // no longer points at x
  ArticleMutation remove;
  remove.kind = ArticleMutation::Kind::kDelete;
  remove.key = "https://a.example/";
  ASSERT_THAT(store()->Write({remove}), IsOk());
  EXPECT_EQ(referencing(x, 10),
            (std::vector<std::string>{"https://c.example/"}));
  EXPECT_EQ(
      referencing("https://y.example/", 1),
      (std::vector<std::string>{"https://c.example/", "https://d.example/"}));
  EXPECT_TRUE(referencing("https://nobody.example/", 10).empty());
}

TEST_P(ArticleIndexTest, ChangeFeedHoldsEveryChangeInRevisionOrder) {
  std::mt19937 random(1);
  const v1::Article a = RandomArticle("https://a.example/", &random);
  const v1::Article b = RandomArticle("https://b.example/", &random);
  // Revision of the write that made `results`.
  const auto revision_of =
      [](const absl::StatusOr<std::vector<MutationResult>>& results) {
        return results.ok() ? results->front().article.revision() : -1;
      };
  absl::StatusOr<std::vector<MutationResult>> written =
      store()->Write({Put(a), Put(b)});
  ASSERT_THAT(written, IsOk());
  const int64_t first = revision_of(written);
  ASSERT_THAT(store()->Write({Put(a)}), IsOk());  // unchanged: no change
  v1::Article a2 = a;
  a2.set_title("changed");
  written = store()->Write({Put(a2)});
  ASSERT_THAT(written, IsOk());
  const int64_t second = revision_of(written);
  EXPECT_GT(second, first);
  ArticleMutation remove;
  remove.kind = ArticleMutation::Kind::kDelete;
  remove.key = b.web_url();
  ASSERT_THAT(store()->Write({remove}), IsOk());
  const int64_t third = store()->LastRevision();
  EXPECT_GT(third, second);
  if (dense_revisions()) {
    EXPECT_EQ(first, 1);
    EXPECT_EQ(second, 2);
    EXPECT_EQ(third, 3);
  }

  Reopen();  // the feed survives a restart
  absl::StatusOr<std::vector<ArticleChange>> changes =
      store()->ReadChanges(1, 100);
  ASSERT_THAT(changes, IsOk());
  ASSERT_EQ(changes->size(), 4u);
  EXPECT_EQ((*changes)[0].revision, first);
  EXPECT_EQ((*changes)[0].key, a.web_url());
  EXPECT_EQ((*changes)[1].revision, first);
  EXPECT_EQ((*changes)[1].key, b.web_url());
  EXPECT_EQ((*changes)[2].revision, second);
  EXPECT_EQ((*changes)[2].article.title(), "changed");
  EXPECT_EQ((*changes)[2].article.revision(), second);
  EXPECT_FALSE((*changes)[0].previous.has_value());  // a creation
  ASSERT_TRUE((*changes)[2].previous.has_value());   // what it replaced
  EXPECT_EQ((*changes)[2].previous->category(), a.category());
  EXPECT_THAT((*changes)[2].previous->topics(),
              ::testing::ElementsAreArray(a.topics()));
  EXPECT_TRUE((*changes)[2].previous->title().empty());  // filter fields only
  EXPECT_EQ((*changes)[3].kind, ArticleChange::Kind::kDelete);
  EXPECT_EQ((*changes)[3].revision, third);
  EXPECT_EQ((*changes)[3].article.title(), b.title());  // as it was

  // Whole revisions only: a limit of 1 still returns both changes of the
  // first.
  changes = store()->ReadChanges(1, 1);
  ASSERT_THAT(changes, IsOk());
  EXPECT_EQ(changes->size(), 2u);
  changes = store()->ReadChanges(third + 1, 100);
  ASSERT_THAT(changes, IsOk());
  EXPECT_TRUE(changes->empty());
}

TEST_P(ArticleIndexTest, ChangeFeedKeepsTheConfiguredHistory) {
  constexpr int64_t kHistory = 32;
  KvArticleStoreOptions options;
  options.change_history_revisions = kHistory;
  Reopen(options);
  std::mt19937 random(2);
  std::vector<int64_t> revisions;
  for (int i = 0; i < 100; ++i) {
    absl::StatusOr<std::vector<MutationResult>> written =
        store()->Write({Put(RandomArticle(KeyOf(i), &random))});
    ASSERT_THAT(written, IsOk());
    revisions.push_back(written->front().article.revision());
  }
  // The last kHistory revisions are always there; much older ones are gone.
  const int64_t keep_from = store()->LastRevision() - kHistory + 1;
  const size_t kept = static_cast<size_t>(
      revisions.end() -
      std::lower_bound(revisions.begin(), revisions.end(), keep_from));
  absl::StatusOr<std::vector<ArticleChange>> recent =
      store()->ReadChanges(keep_from, 1000);
  ASSERT_THAT(recent, IsOk());
  EXPECT_EQ(recent->size(), kept);
  if (dense_revisions()) EXPECT_EQ(kept, static_cast<size_t>(kHistory));
  EXPECT_THAT(store()->ReadChanges(revisions.front(), 10),
              StatusIs(absl::StatusCode::kOutOfRange));
  Reopen(options);
  EXPECT_THAT(store()->ReadChanges(revisions.front(), 10),
              StatusIs(absl::StatusCode::kOutOfRange));
  EXPECT_THAT(store()->ReadChanges(keep_from, 10), IsOk());
}

TEST_P(ArticleIndexTest, WaitForRevisionReturnsOnceTheRevisionIsCommitted) {
  const int64_t base = store()->LastRevision();
  const absl::Time start = absl::Now();
  EXPECT_EQ(store()->WaitForRevision(base + 1, start + absl::Milliseconds(50)),
            base);
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(50));
  std::mt19937 random(4);
  std::thread writer([&] {
    absl::SleepFor(absl::Milliseconds(20));
    ASSERT_THAT(store()->Write({Put(RandomArticle(KeyOf(1), &random))}),
                IsOk());
  });
  EXPECT_TRUE(IsNextRevision(
      base,
      store()->WaitForRevision(base + 1, absl::Now() + absl::Seconds(30))));
  writer.join();
}

}  // namespace
}  // namespace content
