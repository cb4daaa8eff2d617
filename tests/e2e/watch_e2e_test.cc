// End-to-end: the change feed and filtered listing of the real
// content-server binary, across a SIGKILL and restart, through the client
// library and contentctl.

#include <signal.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/article_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/contentctl_in_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace content {
namespace {

using ::content::testing::CommandResult;
using ::content::testing::IsOk;
using ::content::testing::RunContentctlInProcess;
using ::content::testing::ServerProcess;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

v1::Article Numbered(int i) {
  v1::Article article;
  article.set_web_url(absl::StrCat("https://w.example/", i));
  article.set_title(absl::StrCat("Article ", i));
  article.mutable_published_date_time()->set_seconds(1700000000 + i);
  if (i % 2 == 0) article.add_topics("even");
  return article;
}

// (revision, web_url) of each event until `count` events came, or the
// stream ended.
std::vector<std::pair<int64_t, std::string>> ReadEvents(ArticleWatch& watch,
                                                        size_t count) {
  std::vector<std::pair<int64_t, std::string>> events;
  v1::WatchArticlesResponse response;
  while (events.size() < count && watch.Next(&response)) {
    for (const v1::ArticleEvent& event : response.events()) {
      events.push_back({event.revision(), event.article().web_url()});
    }
  }
  return events;
}

TEST(WatchE2eTest, ResumingAfterAKilledServerLosesNothing) {
  const content::testing::TempDir data;
  std::vector<std::pair<int64_t, std::string>> acknowledged;
  int64_t last_seen = 0;
  size_t seen_count = 0;
  {
    ServerProcess server(data.path());
    ASSERT_TRUE(server.started());
    ArticleClient client(CreateArticleChannel(server.address()));
    std::unique_ptr<ArticleWatch> watch = client.WatchArticles(1, "");
    for (int i = 0; i < 5; ++i) {
      absl::StatusOr<v1::Article> stored = client.PutArticle(Numbered(i));
      ASSERT_THAT(stored, IsOk());
      acknowledged.push_back({stored->revision(), stored->web_url()});
    }
    // The watcher has seen at least the first three (a message may carry
    // several) when the server dies.
    const auto seen = ReadEvents(*watch, 3);
    ASSERT_GE(seen.size(), 3u);
    EXPECT_THAT(seen, ElementsAreArray(acknowledged.begin(),
                                       acknowledged.begin() + seen.size()));
    last_seen = seen.back().first;
    seen_count = seen.size();
    for (int i = 5; i < 8; ++i) {
      absl::StatusOr<v1::Article> stored = client.PutArticle(Numbered(i));
      ASSERT_THAT(stored, IsOk());
      acknowledged.push_back({stored->revision(), stored->web_url()});
    }
    EXPECT_EQ(server.Stop(SIGKILL), -1);
    v1::WatchArticlesResponse response;
    while (watch->Next(&response)) {
    }
    EXPECT_FALSE(watch->Finish().ok());
  }
  ServerProcess server(data.path());
  ASSERT_TRUE(server.started());
  ArticleClient client(CreateArticleChannel(server.address()));
  ASSERT_THAT(client.DeleteArticle(Numbered(0).web_url()), IsOk());
  std::unique_ptr<ArticleWatch> watch = client.WatchArticles(last_seen + 1, "");
  std::vector<std::pair<int64_t, std::string>> expected(
      acknowledged.begin() + seen_count, acknowledged.end());
  expected.push_back({acknowledged.back().first + 1, Numbered(0).web_url()});
  EXPECT_THAT(ReadEvents(*watch, expected.size()), ElementsAreArray(expected));
  watch->Cancel();

  // contentctl follows the same feed, filtered, and lists from the index.
  const CommandResult watched = RunContentctlInProcess(
      {"--server", server.address(), "watch", "--from", "1", "--filter",
       "topics:even", "--max_events", "5"});
  ASSERT_EQ(watched.exit_code, 0) << watched.err;
  EXPECT_EQ(std::count(watched.out.begin(), watched.out.end(), '\n'), 5);
  EXPECT_THAT(watched.out, HasSubstr("\"type\":\"TYPE_DELETE\""));
  const CommandResult listed = RunContentctlInProcess(
      {"--server", server.address(), "list", "--filter",
       "topics:even AND publishedDateTime >= \"2023-11-14T22:13:22Z\"",
       "--order_by", "publishedDateTime", "--page_size", "1"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("https://w.example/2"));
  EXPECT_THAT(listed.out, HasSubstr("https://w.example/6"));
  EXPECT_EQ(std::count(listed.out.begin(), listed.out.end(), '\n'), 3);
  const CommandResult bad = RunContentctlInProcess(
      {"--server", server.address(), "list", "--filter", "author = me"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, HasSubstr("unknown field 'author'"));
}

}  // namespace
}  // namespace content
