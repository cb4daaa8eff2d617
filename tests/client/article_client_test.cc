#include "client/article_client.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "client/status_conversion.h"
#include "gmock/gmock.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_server.h"

namespace content {
namespace {

using ::content::testing::IsOk;
using ::content::testing::StatusIs;
using ::testing::ElementsAre;

// A scripted ArticleService: fails the first `failures` reads and every
// delete with UNAVAILABLE, serves List from `pages`, and stalls Put.
class ScriptedService final : public v1::ArticleService::Service {
 public:
  grpc::Status GetArticle(grpc::ServerContext*, const v1::GetArticleRequest* r,
                          v1::GetArticleResponse* response) override {
    if (++get_calls <= failures) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "try again");
    }
    response->mutable_article()->set_web_url(r->url());
    return grpc::Status::OK;
  }
  grpc::Status DeleteArticle(grpc::ServerContext*,
                             const v1::DeleteArticleRequest*,
                             v1::DeleteArticleResponse*) override {
    ++delete_calls;
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "try again");
  }
  grpc::Status PutArticle(grpc::ServerContext* context,
                          const v1::PutArticleRequest*,
                          v1::PutArticleResponse*) override {
    for (int i = 0; i < 100 && !context->IsCancelled(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return grpc::Status::OK;
  }
  grpc::Status ListArticles(grpc::ServerContext*,
                            const v1::ListArticlesRequest* request,
                            v1::ListArticlesResponse* response) override {
    int start = 0;
    if (!request->page_token().empty())
      start = std::stoi(request->page_token());
    for (int i = start; i < start + request->page_size() && i < 5; ++i) {
      response->add_articles()->set_web_url(
          absl::StrCat("https://a.example/", i));
    }
    if (start + request->page_size() < 5) {
      response->set_next_page_token(absl::StrCat(start + request->page_size()));
    }
    return grpc::Status::OK;
  }

  int failures = 0;
  std::atomic<int> get_calls{0};
  std::atomic<int> delete_calls{0};
};

class ArticleClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(port, 0);
    target_ = absl::StrCat("127.0.0.1:", port);
  }
  void TearDown() override { server_->Shutdown(); }

  ScriptedService service_;
  std::unique_ptr<grpc::Server> server_;
  std::string target_;
};

TEST_F(ArticleClientTest, ReadsAreRetriedWhileTheServerIsUnavailable) {
  service_.failures = 2;
  ArticleClient client(CreateArticleChannel(target_));
  absl::StatusOr<v1::Article> article = client.GetArticle("https://a.example/");
  ASSERT_THAT(article, IsOk());
  EXPECT_EQ(article->web_url(), "https://a.example/");
  EXPECT_EQ(service_.get_calls.load(), 3);
}

TEST_F(ArticleClientTest, ReadsGiveUpAfterFourAttempts) {
  service_.failures = 100;
  ArticleClient client(CreateArticleChannel(target_));
  EXPECT_THAT(client.GetArticle("https://a.example/"),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(service_.get_calls.load(), 4);
}

TEST_F(ArticleClientTest, WritesAreNeverRetried) {
  ArticleClient client(CreateArticleChannel(target_));
  EXPECT_THAT(client.DeleteArticle("https://a.example/"),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(service_.delete_calls.load(), 1);
}

TEST_F(ArticleClientTest, EveryCallHasADeadline) {
  ArticleClient client(CreateArticleChannel(target_),
                       {absl::Milliseconds(200)});
  const absl::Time start = absl::Now();
  EXPECT_THAT(client.PutArticle(v1::Article()),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
}

TEST_F(ArticleClientTest, PagerWalksEveryPageOnce) {
  ArticleClient client(CreateArticleChannel(target_));
  ArticlePager pager =
      client.ListAllArticles(ListQuery{2, /*filter=*/"", /*order_by=*/""});
  std::vector<int> sizes;
  std::vector<std::string> urls;
  while (pager.HasNext()) {
    absl::StatusOr<std::vector<v1::Article>> page = pager.NextPage();
    ASSERT_THAT(page, IsOk());
    sizes.push_back(static_cast<int>(page->size()));
    for (const v1::Article& article : *page) urls.push_back(article.web_url());
  }
  EXPECT_THAT(sizes, ElementsAre(2, 2, 1));
  EXPECT_EQ(urls.size(), 5u);
  EXPECT_THAT(pager.NextPage(), StatusIs(absl::StatusCode::kOutOfRange));
}

TEST(ArticleClientAgainstServerTest, CarriesFieldViolationsOfTheServer) {
  content::testing::TestServer server;
  ArticleClient client(server.server().InProcessChannel());
  v1::Article article;
  article.set_web_url("ftp://a.example/");
  absl::StatusOr<v1::Article> stored = client.PutArticle(article);
  EXPECT_THAT(stored, StatusIs(absl::StatusCode::kInvalidArgument));
  const auto violations = FieldViolations(stored.status());
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field(), "article.web_url");
}

TEST(ArticleClientAgainstServerTest, RoundTripsEveryRpc) {
  content::testing::TestServer server;
  ArticleClient client(CreateArticleChannel(server.address()));
  const v1::Article seed = content::testing::SeedArticle();
  absl::StatusOr<v1::Article> stored = client.PutArticle(seed);
  ASSERT_THAT(stored, IsOk());
  EXPECT_THAT(client.GetArticle(seed.web_url()), IsOk());
  absl::StatusOr<std::vector<v1::Article>> batch =
      client.BatchGetArticles({seed.web_url(), seed.original_url()});
  ASSERT_THAT(batch, IsOk());
  EXPECT_EQ(batch->size(), 2u);
  EXPECT_THAT(client.PutArticle(seed, /*create_only=*/true),
              StatusIs(absl::StatusCode::kAlreadyExists));
  absl::StatusOr<v1::ListArticlesResponse> page =
      client.ListArticles({10, "topics:\"Computer Vision\"", ""}, "");
  ASSERT_THAT(page, IsOk());
  EXPECT_EQ(page->articles_size(), 1);
  std::unique_ptr<ArticleWatch> watch =
      client.WatchArticles(stored->revision(), "");
  v1::Article change;
  change.set_web_url(seed.web_url());
  change.set_title("Retitled");
  absl::StatusOr<v1::Article> updated =
      client.UpdateArticle(change, {std::string("title")});
  ASSERT_THAT(updated, IsOk());
  EXPECT_EQ(updated->excerpt(), seed.excerpt());
  absl::StatusOr<v1::ListReferencingArticlesResponse> referencing =
      client.ListReferencingArticles(seed.related(0).web_url(), 10, "");
  ASSERT_THAT(referencing, IsOk());
  EXPECT_EQ(referencing->articles_size(), 1);
  // The watch sends where it starts, then the put and the update.
  std::vector<int64_t> revisions;
  v1::WatchArticlesResponse response;
  while (revisions.size() < 2 && watch->Next(&response)) {
    for (const v1::ArticleEvent& event : response.events()) {
      revisions.push_back(event.revision());
    }
  }
  EXPECT_THAT(revisions, ElementsAre(stored->revision(), updated->revision()));
  watch->Cancel();
  while (watch->Next(&response)) {
  }
  EXPECT_THAT(watch->Finish(), StatusIs(absl::StatusCode::kCancelled));
  EXPECT_THAT(client.DeleteArticle(seed.web_url(), updated->etag()), IsOk());
  EXPECT_THAT(client.GetArticle(seed.web_url()),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(ArticleClientAgainstServerTest, ImportKeepsMessagesUnderTheSizeLimit) {
  content::testing::TestServer server;  // 4 MiB request limit
  ArticleClient client(CreateArticleChannel(server.address()));
  std::unique_ptr<ArticleImporter> importer = client.StartImport(500);
  for (int i = 0; i < 30; ++i) {  // 30 x 200 KB: 6 MB in all
    v1::Article article;
    article.set_web_url(absl::StrCat("https://big.example/", i));
    article.set_body(std::string(200 << 10, 'b'));
    ASSERT_THAT(importer->Add(std::move(article)), IsOk());
  }
  absl::StatusOr<v1::ImportArticlesResponse> summary = importer->Finish();
  ASSERT_THAT(summary, IsOk());
  EXPECT_EQ(summary->created_count(), 30);
}

TEST(ArticleClientAgainstServerTest, ArticlesThatAreNotUtf8AreNeverSent) {
  content::testing::TestServer server;
  ArticleClient client(CreateArticleChannel(server.address()));
  v1::Article bad;
  bad.set_web_url("https://a.example/bad");
  bad.set_body("Caf\xE9 prices rose.");
  EXPECT_THAT(client.PutArticle(bad),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(client.UpdateArticle(bad, {}),
              StatusIs(absl::StatusCode::kInvalidArgument));

  // In an import, the bad article is refused and the stream goes on.
  std::unique_ptr<ArticleImporter> importer = client.StartImport(1);
  for (int i = 0; i < 3; ++i) {
    v1::Article article = bad;
    article.set_web_url(absl::StrCat("https://a.example/", i));
    if (i != 1) article.set_body("Caf\xC3\xA9 prices rose.");
    const absl::Status added = importer->Add(std::move(article));
    EXPECT_THAT(added, StatusIs(i == 1 ? absl::StatusCode::kInvalidArgument
                                       : absl::StatusCode::kOk));
  }
  absl::StatusOr<v1::ImportArticlesResponse> summary = importer->Finish();
  ASSERT_THAT(summary, IsOk());
  EXPECT_EQ(summary->created_count(), 2);
  EXPECT_THAT(client.GetArticle("https://a.example/2"), IsOk());
}

}  // namespace
}  // namespace content
