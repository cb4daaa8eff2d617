// Every response the server builds stays within what a client with gRPC's
// default receive limit (4 MiB) accepts, whatever the stored articles'
// sizes: List pages end early by bytes, a BatchGet beyond the limit is
// refused naming it, and a store of large articles can still be exported.

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/article_channel.h"
#include "client/article_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/contentctl_in_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace content {
namespace {

using ::content::testing::IsOk;
using ::content::testing::StatusIs;
using ::testing::HasSubstr;

constexpr int kLargeArticles = 6;
constexpr size_t kBodyBytes = 900 << 10;  // under the 1 MiB body limit
constexpr char kCitedUrl[] = "https://cited.example/original";

std::string UrlOf(int i) { return absl::StrCat("https://big.example/a", i); }

class ResponseSizeTest : public ::testing::Test {
 protected:
  ResponseSizeTest()
      : client_(CreateArticleChannel(server_.address()),
                ArticleClientOptions{absl::Seconds(60)}) {}

  void SetUp() override {
    for (int i = 0; i < kLargeArticles; ++i) {
      v1::Article article;
      article.set_web_url(UrlOf(i));
      article.set_title(absl::StrCat("Large ", i));
      article.set_body(std::string(kBodyBytes, static_cast<char>('a' + i)));
      article.add_related()->set_web_url(kCitedUrl);
      ASSERT_THAT(client_.PutArticle(article), IsOk());
    }
  }

  content::testing::TestServer server_;
  ArticleClient client_;
};

TEST_F(ResponseSizeTest, ListPagesEndEarlyByBytesAndMissNothing) {
  std::set<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    absl::StatusOr<v1::ListArticlesResponse> page =
        client_.ListArticles(ListQuery{10, "", ""}, token);
    ASSERT_THAT(page, IsOk());
    EXPECT_LE(page->ByteSizeLong(), 4u << 20);
    for (const v1::Article& article : page->articles()) {
      EXPECT_TRUE(seen.insert(article.web_url()).second) << article.web_url();
    }
    token = page->next_page_token();
  } while (!token.empty() && ++pages < 20);
  EXPECT_EQ(seen.size(), static_cast<size_t>(kLargeArticles));
  EXPECT_GE(pages, 1);  // more than one page
}

TEST_F(ResponseSizeTest, ListReferencingPagesEndEarlyByBytes) {
  size_t seen = 0;
  std::string token;
  for (int pages = 0; pages < 20; ++pages) {
    absl::StatusOr<v1::ListReferencingArticlesResponse> page =
        client_.ListReferencingArticles(kCitedUrl, 100, token);
    ASSERT_THAT(page, IsOk());
    seen += page->articles_size();
    token = page->next_page_token();
    if (token.empty()) break;
  }
  EXPECT_EQ(seen, static_cast<size_t>(kLargeArticles));
}

TEST_F(ResponseSizeTest, BatchGetBeyondTheLimitIsRefusedNamingIt) {
  std::vector<std::string> all;
  for (int i = 0; i < kLargeArticles; ++i) all.push_back(UrlOf(i));
  const absl::Status refused = client_.BatchGetArticles(all).status();
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(refused.message(), HasSubstr("max_response_bytes"));
  // Within the limit, the same articles come back.
  EXPECT_THAT(client_.BatchGetArticles({all[0], all[1], all[2]}), IsOk());
}

TEST_F(ResponseSizeTest, OneArticleAskedForAHundredTimesIsRefused) {
  const std::vector<std::string> same(100, UrlOf(0));
  EXPECT_THAT(client_.BatchGetArticles(same),
              StatusIs(absl::StatusCode::kResourceExhausted));
}

TEST_F(ResponseSizeTest, AStoreOfLargeArticlesExportsWhole) {
  content::testing::TempDir out;
  const content::testing::CommandResult result =
      content::testing::RunContentctlInProcess(
          {"--server", server_.address(), "export", "--out", out.path()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(out.path())) {
    files += entry.is_regular_file();
  }
  EXPECT_EQ(files, static_cast<size_t>(kLargeArticles));
}

}  // namespace
}  // namespace content
