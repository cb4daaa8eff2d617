// ArticleService's queries and partial reads and writes: filters, orders,
// read and update masks, create-only puts, the reverse related index and
// the change feed, through an in-process server.

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/status_conversion.h"
#include "content/v1/article_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/field_mask_util.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/test_server.h"

namespace content {
namespace {

using ::google::protobuf::util::FieldMaskUtil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Article i: published i hours after the epoch of the test, quality i % 4,
// topic "AI" for even i, category "tech" for i < 6.
v1::Article Numbered(int i) {
  v1::Article article;
  article.set_web_url(absl::StrCat("https://n.example/", i));
  article.set_title(absl::StrCat("Article ", i));
  article.set_excerpt("excerpt");
  article.mutable_provider()->set_name("N");
  article.mutable_provider()->set_domain("n.example");
  article.mutable_published_date_time()->set_seconds(1700000000 + 3600 * i);
  article.set_quality(i % 4);
  article.set_category(i < 6 ? "tech" : "news");
  if (i % 2 == 0) article.add_topics("AI");
  return article;
}

std::string Violated(const grpc::Status& status) {
  std::string fields;
  for (const auto& violation : FieldViolations(FromGrpcStatus(status))) {
    absl::StrAppend(&fields, violation.field(), ": ", violation.description());
  }
  return fields;
}

std::vector<std::string> Urls(
    const google::protobuf::RepeatedPtrField<v1::Article>& articles) {
  std::vector<std::string> urls;
  for (const v1::Article& article : articles) urls.push_back(article.web_url());
  return urls;
}

class QueriesTest : public ::testing::Test {
 protected:
  explicit QueriesTest(ServerConfig config = {})
      : server_(std::move(config)),
        stub_(
            v1::ArticleService::NewStub(server_.server().InProcessChannel())) {}

  // Puts articles 0..count-1; returns the revision of each.
  std::vector<int64_t> PutNumbered(int count) {
    std::vector<int64_t> revisions;
    for (int i = 0; i < count; ++i) {
      v1::Article stored;
      EXPECT_TRUE(Put(Numbered(i), false, &stored).ok());
      revisions.push_back(stored.revision());
    }
    return revisions;
  }

  // Puts `article`; returns its revision (0 if the put failed).
  int64_t PutRevision(const v1::Article& article) {
    v1::Article stored;
    EXPECT_TRUE(Put(article, false, &stored).ok());
    return stored.revision();
  }

  grpc::Status Put(const v1::Article& article, bool create_only = false,
                   v1::Article* stored = nullptr) {
    grpc::ClientContext context;
    v1::PutArticleRequest request;
    *request.mutable_article() = article;
    request.set_create_only(create_only);
    v1::PutArticleResponse response;
    grpc::Status status = stub_->PutArticle(&context, request, &response);
    if (stored != nullptr) *stored = response.article();
    return status;
  }

  grpc::Status List(v1::ListArticlesRequest request,
                    v1::ListArticlesResponse* response) {
    grpc::ClientContext context;
    return stub_->ListArticles(&context, request, response);
  }

  // Every URL the listing returns, following page tokens.
  std::vector<std::string> ListAll(const std::string& filter,
                                   const std::string& order_by,
                                   int page_size = 2) {
    std::vector<std::string> urls;
    v1::ListArticlesRequest request;
    request.set_filter(filter);
    request.set_order_by(order_by);
    request.set_page_size(page_size);
    for (int pages = 0; pages < 100; ++pages) {
      v1::ListArticlesResponse response;
      const grpc::Status status = List(request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      for (const std::string& url : Urls(response.articles())) {
        urls.push_back(url);
      }
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return urls;
  }

  grpc::Status Update(const v1::Article& article, const std::string& mask,
                      v1::Article* stored = nullptr) {
    grpc::ClientContext context;
    v1::UpdateArticleRequest request;
    *request.mutable_article() = article;
    FieldMaskUtil::FromString(mask, request.mutable_update_mask());
    v1::UpdateArticleResponse response;
    grpc::Status status = stub_->UpdateArticle(&context, request, &response);
    if (stored != nullptr) *stored = response.article();
    return status;
  }

  content::testing::TestServer server_;
  std::unique_ptr<v1::ArticleService::Stub> stub_;
};

TEST_F(QueriesTest, ListFiltersAndOrdersFromTheIndexes) {
  PutNumbered(10);
  const std::string n = "https://n.example/";
  EXPECT_THAT(ListAll("", ""),
              ElementsAre(n + "9", n + "8", n + "7", n + "6", n + "5", n + "4",
                          n + "3", n + "2", n + "1", n + "0"));
  EXPECT_THAT(ListAll("topics:AI AND category = tech", "publishedDateTime"),
              ElementsAre(n + "0", n + "2", n + "4"));
  EXPECT_THAT(ListAll("publishedDateTime >= \"2023-11-14T23:13:20Z\" AND "
                      "publishedDateTime < \"2023-11-15T02:13:20Z\"",
                      ""),
              ElementsAre(n + "3", n + "2", n + "1"));
  // quality: 0 1 2 3 0 1 2 3 0 1; ties by URL, in the same direction.
  EXPECT_THAT(ListAll("quality >= 2", "quality desc", 3),
              ElementsAre(n + "7", n + "3", n + "6", n + "2"));
  EXPECT_THAT(ListAll("provider.domain = n.example AND published = true", ""),
              ::testing::IsEmpty());
}

TEST_F(QueriesTest, BadFilterOrOrderIsInvalidArgumentNamingIt) {
  v1::ListArticlesRequest request;
  request.set_filter("topics:AI AND author = x");
  v1::ListArticlesResponse response;
  grpc::Status status = List(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Violated(status), HasSubstr("filter: at character 15"));

  request.clear_filter();
  request.set_order_by("title");
  status = List(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Violated(status), HasSubstr("order_by: 'title'"));
}

TEST_F(QueriesTest, PageTokenOfAnotherFilterIsRejected) {
  PutNumbered(4);
  v1::ListArticlesRequest request;
  request.set_page_size(1);
  request.set_filter("topics:AI");
  v1::ListArticlesResponse response;
  ASSERT_TRUE(List(request, &response).ok());
  ASSERT_FALSE(response.next_page_token().empty());
  request.set_page_token(response.next_page_token());
  request.set_filter("category = tech");
  const grpc::Status status = List(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Violated(status), HasSubstr("page_token: belongs to another"));
}

TEST_F(QueriesTest, ReadMaskReturnsOnlyTheAskedFields) {
  PutNumbered(2);
  google::protobuf::FieldMask mask;
  FieldMaskUtil::FromString("title,provider.name,etag", &mask);
  auto check = [](const v1::Article& article) {
    EXPECT_FALSE(article.title().empty());
    EXPECT_EQ(article.provider().name(), "N");
    EXPECT_FALSE(article.etag().empty());
    EXPECT_EQ(article.provider().domain(), "");
    EXPECT_EQ(article.web_url(), "");
    EXPECT_EQ(article.excerpt(), "");
    EXPECT_FALSE(article.has_published_date_time());
  };
  {
    grpc::ClientContext context;
    v1::GetArticleRequest request;
    request.set_url("https://n.example/1");
    *request.mutable_read_mask() = mask;
    v1::GetArticleResponse response;
    ASSERT_TRUE(stub_->GetArticle(&context, request, &response).ok());
    check(response.article());
  }
  {
    grpc::ClientContext context;
    v1::BatchGetArticlesRequest request;
    request.add_urls("https://n.example/0");
    *request.mutable_read_mask() = mask;
    v1::BatchGetArticlesResponse response;
    ASSERT_TRUE(stub_->BatchGetArticles(&context, request, &response).ok());
    check(response.articles(0));
  }
  v1::ListArticlesRequest list;
  FieldMaskUtil::FromString("title,publishedDateTime",
                            list.mutable_read_mask());
  v1::ListArticlesResponse listed;
  ASSERT_TRUE(List(list, &listed).ok());
  ASSERT_EQ(listed.articles_size(), 2);
  EXPECT_TRUE(listed.articles(0).has_published_date_time());
  EXPECT_EQ(listed.articles(0).excerpt(), "");

  grpc::ClientContext context;
  v1::GetArticleRequest request;
  request.set_url("https://n.example/1");
  FieldMaskUtil::FromString("title,author", request.mutable_read_mask());
  v1::GetArticleResponse response;
  const grpc::Status status = stub_->GetArticle(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(Violated(status), HasSubstr("read_mask: path 'author'"));
}

TEST_F(QueriesTest, UpdateChangesOnlyTheMaskedFields) {
  v1::Article stored;
  ASSERT_TRUE(Put(Numbered(1), false, &stored).ok());
  v1::Article change;
  change.set_web_url("https://n.example/1");
  change.set_title("New title");
  change.set_excerpt("ignored: not in the mask");
  v1::Article updated;
  ASSERT_TRUE(Update(change, "title,quality", &updated).ok());
  EXPECT_EQ(updated.title(), "New title");
  EXPECT_EQ(updated.excerpt(), "excerpt");
  EXPECT_EQ(updated.quality(), 0);  // masked but unset: cleared
  EXPECT_EQ(updated.provider().name(), "N");
  EXPECT_GT(updated.revision(), stored.revision());

  // No mask: the fields the request sets.
  change.clear_title();
  ASSERT_TRUE(Update(change, "", &updated).ok());
  EXPECT_EQ(updated.title(), "New title");
  EXPECT_EQ(updated.excerpt(), "ignored: not in the mask");

  // "*" replaces the whole article.
  v1::Article replacement;
  replacement.set_web_url("https://n.example/1");
  replacement.set_title("Replaced");
  ASSERT_TRUE(Update(replacement, "*", &updated).ok());
  EXPECT_EQ(updated.excerpt(), "");
  EXPECT_FALSE(updated.has_provider());

  EXPECT_THAT(Violated(Update(change, "title,author")),
              HasSubstr("update_mask: path 'author'"));
  EXPECT_THAT(Violated(Update(change, "etag")), HasSubstr("output only"));
  change.set_etag("stale");
  EXPECT_EQ(Update(change, "title").error_code(), grpc::StatusCode::ABORTED);
  change.set_etag(updated.etag());
  EXPECT_TRUE(Update(change, "title").ok());
  change.set_web_url("https://n.example/missing");
  change.clear_etag();
  EXPECT_EQ(Update(change, "title").error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(QueriesTest, ConcurrentUpdatesOfDifferentFieldsBothLand) {
  ASSERT_TRUE(Put(Numbered(1)).ok());
  constexpr int kRounds = 30;
  auto updater = [&](const std::string& field) {
    for (int i = 0; i < kRounds; ++i) {
      v1::Article change;
      change.set_web_url("https://n.example/1");
      if (field == "title") change.set_title(absl::StrCat("title ", i));
      if (field == "excerpt") change.set_excerpt(absl::StrCat("excerpt ", i));
      const grpc::Status status = Update(change, field);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
  };
  std::thread titles(updater, "title");
  std::thread excerpts(updater, "excerpt");
  titles.join();
  excerpts.join();
  v1::ListArticlesResponse response;
  ASSERT_TRUE(List(v1::ListArticlesRequest(), &response).ok());
  EXPECT_EQ(response.articles(0).title(), absl::StrCat("title ", kRounds - 1));
  EXPECT_EQ(response.articles(0).excerpt(),
            absl::StrCat("excerpt ", kRounds - 1));
}

TEST_F(QueriesTest, CreateOnlyPutOfAStoredUrlIsAlreadyExists) {
  EXPECT_TRUE(Put(Numbered(1), /*create_only=*/true).ok());
  v1::Article again = Numbered(1);
  again.set_web_url("HTTPS://N.EXAMPLE/1?utm_source=x");  // same key
  EXPECT_EQ(Put(again, /*create_only=*/true).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(QueriesTest, ListReferencingArticlesFindsWhoPointsAtAUrl) {
  for (int i = 0; i < 3; ++i) {
    v1::Article article = Numbered(i);
    article.add_related()->set_web_url(
        i < 2 ? "https://target.example/story?utm_campaign=x"
              : "https://other.example/");
    ASSERT_TRUE(Put(article).ok());
  }
  grpc::ClientContext context;
  v1::ListReferencingArticlesRequest request;
  request.set_url("HTTPS://target.example/story");
  v1::ListReferencingArticlesResponse response;
  ASSERT_TRUE(
      stub_->ListReferencingArticles(&context, request, &response).ok());
  EXPECT_THAT(Urls(response.articles()),
              ElementsAre("https://n.example/0", "https://n.example/1"));
  EXPECT_GT(response.revision(), 0);
}

class WatchTest : public QueriesTest {
 protected:
  static ServerConfig Config() {
    ServerConfig config;
    config.limits.watch_progress_interval = absl::Seconds(1);
    config.watch_history_revisions = 16;
    return config;
  }
  WatchTest() : QueriesTest(Config()) {}

  // A watch from `start_revision` with `filter`, cut off after 30 s at most.
  std::unique_ptr<grpc::ClientReader<v1::WatchArticlesResponse>> StartWatch(
      grpc::ClientContext* context, int64_t start_revision,
      const std::string& filter) {
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(30));
    v1::WatchArticlesRequest request;
    request.set_start_revision(start_revision);
    request.set_filter(filter);
    return stub_->WatchArticles(context, request);
  }
};

TEST_F(WatchTest, StreamsMatchingChangesFromTheStartRevisionThenProgress) {
  // Revisions grow: 1, 2, 3 in one process; with gaps in replicated mode.
  const std::vector<int64_t> revisions = PutNumbered(3);
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<v1::WatchArticlesResponse>> reader =
      StartWatch(&context, /*start_revision=*/revisions[1], "topics:AI");
  v1::WatchArticlesResponse response;
  ASSERT_TRUE(reader->Read(&response));
  EXPECT_EQ(response.revision(), revisions[1] - 1);  // where it starts
  EXPECT_EQ(response.events_size(), 0);
  ASSERT_TRUE(reader->Read(&response));  // article 2 has AI
  ASSERT_EQ(response.events_size(), 1);
  EXPECT_EQ(response.events(0).type(), v1::ArticleEvent::TYPE_PUT);
  EXPECT_EQ(response.events(0).revision(), revisions[2]);
  EXPECT_EQ(response.events(0).article().web_url(), "https://n.example/2");
  EXPECT_EQ(response.revision(), revisions[2]);

  grpc::ClientContext delete_context;
  v1::DeleteArticleRequest remove;
  remove.set_url("https://n.example/2");
  v1::DeleteArticleResponse removed;
  ASSERT_TRUE(stub_->DeleteArticle(&delete_context, remove, &removed).ok());
  ASSERT_TRUE(reader->Read(&response));
  ASSERT_EQ(response.events_size(), 1);
  EXPECT_EQ(response.events(0).type(), v1::ArticleEvent::TYPE_DELETE);
  const int64_t deleted = response.events(0).revision();
  EXPECT_GT(deleted, revisions[2]);

  ASSERT_TRUE(reader->Read(&response));  // idle: progress after ~1 s
  EXPECT_EQ(response.events_size(), 0);
  EXPECT_EQ(response.revision(), deleted);
  context.TryCancel();
  while (reader->Read(&response)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

TEST_F(WatchTest, AnArticleThatStopsMatchingIsSentAsLeftFilter) {
  v1::Article article = Numbered(0);  // has topic AI
  const int64_t first = PutRevision(article);
  article.clear_topics();
  const int64_t left = PutRevision(article);  // leaves the filter
  article.set_title("still without AI");
  PutRevision(article);  // was not matching, is not: nothing
  article.add_topics("AI");
  const int64_t back = PutRevision(article);  // back in

  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<v1::WatchArticlesResponse>> reader =
      StartWatch(&context, /*start_revision=*/first, "topics:AI");
  std::vector<v1::ArticleEvent> events;
  v1::WatchArticlesResponse response;
  while (reader->Read(&response)) {
    events.insert(events.end(), response.events().begin(),
                  response.events().end());
    if (response.revision() >= back) break;
  }
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].type(), v1::ArticleEvent::TYPE_PUT);
  EXPECT_EQ(events[1].type(), v1::ArticleEvent::TYPE_LEFT_FILTER);
  EXPECT_EQ(events[1].revision(), left);
  EXPECT_TRUE(events[1].article().topics().empty());  // the new version
  EXPECT_EQ(events[2].type(), v1::ArticleEvent::TYPE_PUT);
  EXPECT_EQ(events[2].revision(), back);
  context.TryCancel();
  while (reader->Read(&response)) {
  }
  reader->Finish();
}

TEST_F(WatchTest, AStartRevisionBeyondTheHistoryIsOutOfRange) {
  PutNumbered(60);  // keeps the last 16 revisions, trimmed in steps
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<v1::WatchArticlesResponse>> reader =
      StartWatch(&context, /*start_revision=*/1, /*filter=*/"");
  v1::WatchArticlesResponse response;
  while (reader->Read(&response)) {
  }
  const grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_THAT(status.error_message(), HasSubstr("list the articles again"));
}

}  // namespace
}  // namespace content
