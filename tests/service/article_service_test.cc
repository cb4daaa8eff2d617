#include "service/article_service.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/status_conversion.h"
#include "content/v1/article_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/test_server.h"

namespace content {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kSeedUrl[] =
    "https://www.computerweekly.com/ezine/Computer-Weekly/Making-the-case-for-"
    "and-against-police-use-of-facial-recognition-technology";

std::vector<std::string> ViolatedFields(const grpc::Status& status) {
  std::vector<std::string> fields;
  for (const auto& violation : FieldViolations(FromGrpcStatus(status))) {
    fields.push_back(violation.field());
  }
  return fields;
}

v1::Article Minimal(const std::string& url) {
  v1::Article article;
  article.set_web_url(url);
  article.set_title(absl::StrCat("Title of ", url));
  return article;
}

class ArticleServiceTest : public ::testing::Test {
 protected:
  explicit ArticleServiceTest(ServerConfig config = {})
      : server_(std::move(config)),
        stub_(
            v1::ArticleService::NewStub(server_.server().InProcessChannel())) {}

  grpc::Status Get(const std::string& url, v1::Article* article = nullptr) {
    grpc::ClientContext context;
    v1::GetArticleRequest request;
    request.set_url(url);
    v1::GetArticleResponse response;
    grpc::Status status = stub_->GetArticle(&context, request, &response);
    if (article != nullptr) *article = response.article();
    return status;
  }

  grpc::Status Put(const v1::Article& article, v1::Article* stored = nullptr) {
    grpc::ClientContext context;
    v1::PutArticleRequest request;
    *request.mutable_article() = article;
    v1::PutArticleResponse response;
    grpc::Status status = stub_->PutArticle(&context, request, &response);
    if (stored != nullptr) *stored = response.article();
    return status;
  }

  grpc::Status Delete(const std::string& url, const std::string& etag = "") {
    grpc::ClientContext context;
    v1::DeleteArticleRequest request;
    request.set_url(url);
    request.set_etag(etag);
    v1::DeleteArticleResponse response;
    return stub_->DeleteArticle(&context, request, &response);
  }

  grpc::Status BatchGet(const std::vector<std::string>& urls,
                        v1::BatchGetArticlesResponse* response) {
    grpc::ClientContext context;
    v1::BatchGetArticlesRequest request;
    request.mutable_urls()->Add(urls.begin(), urls.end());
    return stub_->BatchGetArticles(&context, request, response);
  }

  grpc::Status List(int page_size, const std::string& token,
                    v1::ListArticlesResponse* response) {
    grpc::ClientContext context;
    v1::ListArticlesRequest request;
    request.set_page_size(page_size);
    request.set_page_token(token);
    return stub_->ListArticles(&context, request, response);
  }

  content::testing::TestServer server_;
  std::unique_ptr<v1::ArticleService::Stub> stub_;
};

TEST_F(ArticleServiceTest, PutSeedThenGetByAnotherSpellingReturnsIt) {
  const v1::Article seed = content::testing::SeedArticle();
  v1::Article stored;
  ASSERT_TRUE(Put(seed, &stored).ok());
  EXPECT_GT(stored.revision(), 0);
  EXPECT_FALSE(stored.etag().empty());
  EXPECT_TRUE(stored.has_create_time());

  v1::Article read;
  const std::string spelling = absl::StrCat(
      "HTTPS://WWW.computerweekly.com:443/ezine/./Computer-Weekly/Making-the-"
      "case-for-and-against-police-use-of-facial-recognition-technology"
      "?utm_source=feed#comments");
  ASSERT_TRUE(Get(spelling, &read).ok());
  EXPECT_EQ(read.SerializeAsString(), stored.SerializeAsString());
  // Values are stored verbatim; only the key is canonical.
  EXPECT_EQ(read.web_url(), kSeedUrl);
  EXPECT_EQ(content::testing::WithoutServerFields(read).SerializeAsString(),
            seed.SerializeAsString());
}

TEST_F(ArticleServiceTest, PutOfUnchangedArticleKeepsItsRevision) {
  v1::Article first;
  ASSERT_TRUE(Put(Minimal("https://a.example/1"), &first).ok());
  v1::Article second;
  ASSERT_TRUE(Put(Minimal("https://a.example/1"), &second).ok());
  EXPECT_EQ(second.revision(), first.revision());
  EXPECT_EQ(second.etag(), first.etag());
}

TEST_F(ArticleServiceTest, PutWithStaleEtagIsAbortedAndChangesNothing) {
  v1::Article stored;
  ASSERT_TRUE(Put(Minimal("https://a.example/1"), &stored).ok());
  v1::Article update = Minimal("https://a.example/1");
  update.set_title("new");
  update.set_etag("stale");
  EXPECT_EQ(Put(update).error_code(), grpc::StatusCode::ABORTED);
  update.set_etag(stored.etag());
  EXPECT_TRUE(Put(update).ok());
  v1::Article read;
  ASSERT_TRUE(Get("https://a.example/1", &read).ok());
  EXPECT_EQ(read.title(), "new");
}

TEST_F(ArticleServiceTest, PutWithEtagOfMissingArticleIsNotFound) {
  v1::Article article = Minimal("https://a.example/none");
  article.set_etag("anything");
  EXPECT_EQ(Put(article).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(ArticleServiceTest, GetOfUnknownUrlReturnsNotFound) {
  EXPECT_EQ(Get("https://a.example/unknown").error_code(),
            grpc::StatusCode::NOT_FOUND);
}

struct BadGet {
  std::string url;
  std::string why;
};

class BadGetTest : public ArticleServiceTest,
                   public ::testing::WithParamInterface<BadGet> {};

TEST_P(BadGetTest, GetAndDeleteRejectTheUrlNamingField) {
  const grpc::Status get = Get(GetParam().url);
  EXPECT_EQ(get.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(get), ElementsAre("url"));
  const grpc::Status del = Delete(GetParam().url);
  EXPECT_EQ(del.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(del), ElementsAre("url"));
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadGetTest,
    ::testing::Values(
        BadGet{"", "missing"}, BadGet{"ftp://a.example/", "scheme"},
        BadGet{"not a url", "garbage"},
        BadGet{absl::StrCat("https://a.example/", std::string(3000, 'x')),
               "too long"}),
    [](const auto& info) { return std::string(1, 'a' + info.index); });

TEST_F(ArticleServiceTest, BatchGetAnswersInRequestOrder) {
  ASSERT_TRUE(Put(Minimal("https://a.example/1")).ok());
  ASSERT_TRUE(Put(Minimal("https://a.example/2")).ok());
  v1::BatchGetArticlesResponse response;
  ASSERT_TRUE(BatchGet({"https://a.example/2", "https://a.example/1",
                        "https://A.example:443/2"},
                       &response)
                  .ok());
  ASSERT_EQ(response.articles_size(), 3);
  EXPECT_EQ(response.articles(0).web_url(), "https://a.example/2");
  EXPECT_EQ(response.articles(1).web_url(), "https://a.example/1");
  EXPECT_EQ(response.articles(2).web_url(), "https://a.example/2");
}

TEST_F(ArticleServiceTest, HttpAndHttpsNameDifferentArticles) {
  ASSERT_TRUE(Put(Minimal("https://a.example/1")).ok());
  EXPECT_EQ(Get("http://a.example/1").error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ArticleServiceTest, BatchGetWithAMissingUrlIsNotFoundNamingIt) {
  ASSERT_TRUE(Put(Minimal("https://a.example/1")).ok());
  v1::BatchGetArticlesResponse response;
  const grpc::Status status =
      BatchGet({"https://a.example/1", "https://a.example/gone"}, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("a.example/gone"));
  EXPECT_THAT(response.articles(), IsEmpty());
}

TEST_F(ArticleServiceTest, BatchGetRejectsBadRequestsNamingTheField) {
  v1::BatchGetArticlesResponse response;
  grpc::Status status = BatchGet({}, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("urls"));

  status =
      BatchGet(std::vector<std::string>(101, "https://a.example/"), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("urls"));

  status =
      BatchGet({"https://a.example/", "mailto:x@a.example", ""}, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("urls[1]", "urls[2]"));
}

struct BadPut {
  std::string name;
  void (*spoil)(v1::Article*);
  std::vector<std::string> fields;
};

class BadPutTest : public ArticleServiceTest,
                   public ::testing::WithParamInterface<BadPut> {};

TEST_P(BadPutTest, IsInvalidArgumentNamingTheField) {
  v1::Article article = content::testing::SeedArticle();
  GetParam().spoil(&article);
  const grpc::Status status = Put(article);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(status), GetParam().fields);
  EXPECT_EQ(Get(kSeedUrl).error_code(), grpc::StatusCode::NOT_FOUND);
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadPutTest,
    ::testing::Values(
        BadPut{"MissingWebUrl",
               [](v1::Article* a) { a->clear_web_url(); },
               {"article.web_url"}},
        BadPut{"NonHttpWebUrl",
               [](v1::Article* a) { a->set_web_url("file:///etc/passwd"); },
               {"article.web_url"}},
        BadPut{"BadOriginalUrl",
               [](v1::Article* a) { a->set_original_url("//no-scheme"); },
               {"article.original_url"}},
        BadPut{"LongTitle",
               [](v1::Article* a) { a->set_title(std::string(9000, 't')); },
               {"article.title"}},
        BadPut{"LongBody",
               [](v1::Article* a) { a->set_body(std::string(1100000, 'b')); },
               {"article.body"}},
        BadPut{"HeatBelowMinusOne",
               [](v1::Article* a) { a->set_heat(-2); },
               {"article.heat"}},
        BadPut{"NegativeQuality",
               [](v1::Article* a) { a->set_quality(-5); },
               {"article.quality"}},
        BadPut{"BadTimestamp",
               [](v1::Article* a) {
                 a->mutable_published_date_time()->set_nanos(-1);
               },
               {"article.published_date_time"}},
        BadPut{"NegativeImageWidth",
               [](v1::Article* a) { a->mutable_images(0)->set_width(-1); },
               {"article.images[0].width"}},
        BadPut{"RelatedWithoutUrl",
               [](v1::Article* a) { a->mutable_related(0)->clear_web_url(); },
               {"article.related[0].web_url"}},
        BadPut{"RelatedImageBadUrl",
               [](v1::Article* a) {
                 a->mutable_related(0)->mutable_images(0)->set_url("x");
               },
               {"article.related[0].images[0].url"}},
        BadPut{"TooManyTopics",
               [](v1::Article* a) {
                 for (int i = 0; i < 100; ++i) a->add_topics("t");
               },
               {"article.topics"}},
        BadPut{"TooManyRelated",
               [](v1::Article* a) {
                 for (int i = 0; i < 100; ++i)
                   *a->add_related() = a->related(0);
               },
               {"article.related"}},
        BadPut{"LongSecured",
               [](v1::Article* a) { a->set_secured(std::string(70000, 's')); },
               {"article.secured"}},
        BadPut{"SeveralAtOnce",
               [](v1::Article* a) {
                 a->clear_web_url();
                 a->set_heat(-9);
               },
               {"article.web_url", "article.heat"}}),
    [](const auto& info) { return info.param.name; });

TEST_F(ArticleServiceTest, PutWithoutArticleNamesTheField) {
  grpc::ClientContext context;
  v1::PutArticleResponse response;
  const grpc::Status status =
      stub_->PutArticle(&context, v1::PutArticleRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("article"));
}

TEST_F(ArticleServiceTest, OversizedRequestIsResourceExhausted) {
  v1::Article article = Minimal("https://a.example/big");
  article.set_body(std::string(5 << 20, 'b'));  // over the 4 MiB default
  EXPECT_EQ(Put(article).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(Put(Minimal("https://a.example/small")).ok());
}

TEST_F(ArticleServiceTest, DeleteRemovesAndThenIsNotFound) {
  v1::Article stored;
  ASSERT_TRUE(Put(Minimal("https://a.example/1"), &stored).ok());
  EXPECT_EQ(Delete("https://a.example/1", "stale").error_code(),
            grpc::StatusCode::ABORTED);
  EXPECT_TRUE(Delete("https://A.EXAMPLE/1#x", stored.etag()).ok());
  EXPECT_EQ(Get("https://a.example/1").error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Delete("https://a.example/1").error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ArticleServiceTest, ListWalksAllArticlesNewestFirstByPages) {
  for (int i = 0; i < 7; ++i) {
    v1::Article article = Minimal(absl::StrCat("https://a.example/", i));
    article.mutable_published_date_time()->set_seconds(1700000000 - i);
    ASSERT_TRUE(Put(article).ok());
  }
  std::vector<std::string> seen;
  std::vector<int> sizes;
  std::string token;
  do {
    v1::ListArticlesResponse response;
    ASSERT_TRUE(List(3, token, &response).ok());
    sizes.push_back(response.articles_size());
    for (const v1::Article& a : response.articles())
      seen.push_back(a.web_url());
    token = response.next_page_token();
  } while (!token.empty());
  EXPECT_THAT(sizes, ElementsAre(3, 3, 1));
  ASSERT_EQ(seen.size(), 7u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
}

TEST_F(ArticleServiceTest, ListWithDefaultPageSizeReturnsFifty) {
  for (int i = 0; i < 51; ++i) {
    ASSERT_TRUE(Put(Minimal(absl::StrCat("https://a.example/", i))).ok());
  }
  v1::ListArticlesResponse response;
  ASSERT_TRUE(List(0, "", &response).ok());
  EXPECT_EQ(response.articles_size(), 50);
  EXPECT_FALSE(response.next_page_token().empty());
}

TEST_F(ArticleServiceTest, ListRejectsNegativeSizeAndBadTokens) {
  ASSERT_TRUE(Put(Minimal("https://a.example/1")).ok());
  ASSERT_TRUE(Put(Minimal("https://a.example/2")).ok());
  v1::ListArticlesResponse response;
  grpc::Status status = List(-1, "", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("page_size"));

  ASSERT_TRUE(List(1, "", &response).ok());
  std::string token = response.next_page_token();
  ASSERT_FALSE(token.empty());
  for (const std::string& bad :
       {std::string("not-a-token!"), std::string("AAAA"), token.substr(0, 10),
        token + "A"}) {
    status = List(1, bad, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad;
    EXPECT_THAT(ViolatedFields(status), ElementsAre("page_token")) << bad;
  }
  // Flip one bit of the payload: the signature no longer matches.
  token[3] = token[3] == 'A' ? 'B' : 'A';
  EXPECT_EQ(List(1, token, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ArticleServiceTest, TokenFromAnotherServerIsRejected) {
  ASSERT_TRUE(Put(Minimal("https://a.example/1")).ok());
  ASSERT_TRUE(Put(Minimal("https://a.example/2")).ok());
  content::testing::TestServer other;
  auto other_stub =
      v1::ArticleService::NewStub(other.server().InProcessChannel());
  for (const char* url : {"https://a.example/1", "https://a.example/2"}) {
    grpc::ClientContext context;
    v1::PutArticleRequest request;
    *request.mutable_article() = Minimal(url);
    v1::PutArticleResponse response;
    ASSERT_TRUE(other_stub->PutArticle(&context, request, &response).ok());
  }
  grpc::ClientContext context;
  v1::ListArticlesRequest request;
  request.set_page_size(1);
  v1::ListArticlesResponse foreign;
  ASSERT_TRUE(other_stub->ListArticles(&context, request, &foreign).ok());
  v1::ListArticlesResponse response;
  EXPECT_EQ(List(1, foreign.next_page_token(), &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ArticleServiceTest, OriginalAndAmpUrlsResolveToTheArticle) {
  v1::Article article = Minimal("https://news.example/story");
  article.set_original_url("http://news.example/story?utm_source=rss");
  article.set_amp_web_url("https://news.example/amp/story");
  ASSERT_TRUE(Put(article).ok());
  for (const char* alias :
       {"http://NEWS.example:80/story", "https://news.example/amp/story#top",
        "http://news.example/story?utm_medium=x"}) {
    v1::Article read;
    ASSERT_TRUE(Get(alias, &read).ok()) << alias;
    EXPECT_EQ(read.web_url(), "https://news.example/story");
  }
  ASSERT_TRUE(Delete("https://news.example/amp/story").ok());  // by alias
  EXPECT_EQ(Get("http://news.example/story").error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Get("https://news.example/story").error_code(),
            grpc::StatusCode::NOT_FOUND);
}

v1::ImportArticlesResponse Import(
    v1::ArticleService::Stub& stub,
    const std::vector<std::vector<v1::Article>>& batches,
    grpc::Status* status) {
  grpc::ClientContext context;
  v1::ImportArticlesResponse response;
  auto writer = stub.ImportArticles(&context, &response);
  for (const auto& batch : batches) {
    v1::ImportArticlesRequest request;
    for (const v1::Article& article : batch) *request.add_articles() = article;
    if (!writer->Write(request)) break;
  }
  writer->WritesDone();
  *status = writer->Finish();
  return response;
}

TEST_F(ArticleServiceTest, ImportSummarisesWhatEachArticleDid) {
  ASSERT_TRUE(Put(Minimal("https://a.example/same")).ok());
  v1::Article changed = Minimal("https://a.example/changed");
  ASSERT_TRUE(Put(changed).ok());
  changed.set_title("new title");
  v1::Article bad = Minimal("ftp://a.example/bad");
  v1::Article also_bad = Minimal("https://a.example/bad-heat");
  also_bad.set_heat(-7);

  grpc::Status status;
  const v1::ImportArticlesResponse summary =
      Import(*stub_,
             {{Minimal("https://a.example/new1"), bad,
               Minimal("https://a.example/same")},
              {changed, also_bad, Minimal("https://a.example/new2")}},
             &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(summary.created_count(), 2);
  EXPECT_EQ(summary.updated_count(), 1);
  EXPECT_EQ(summary.unchanged_count(), 1);
  EXPECT_EQ(summary.failed_count(), 2);
  ASSERT_EQ(summary.failures_size(), 2);
  EXPECT_EQ(summary.failures(0).index(), 1);
  EXPECT_EQ(summary.failures(0).web_url(), "ftp://a.example/bad");
  EXPECT_THAT(summary.failures(0).reason(),
              ::testing::HasSubstr("article.web_url"));
  EXPECT_EQ(summary.failures(1).index(), 4);
  EXPECT_THAT(summary.failures(1).reason(),
              ::testing::HasSubstr("article.heat"));
  v1::Article read;
  ASSERT_TRUE(Get("https://a.example/changed", &read).ok());
  EXPECT_EQ(read.title(), "new title");
  EXPECT_EQ(Get("https://a.example/bad-heat").error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// A string that is not UTF-8 makes a message protobuf cannot parse; the
// generated C++ stub still sends it (logging an error), as a raw peer could.
v1::Article Latin1Body(const std::string& url) {
  v1::Article article = Minimal(url);
  article.set_body("Caf\xE9 prices rose.");
  return article;
}

TEST_F(ArticleServiceTest, ImportOfAnUnparsableMessageFailsTheStream) {
  grpc::Status status;
  const v1::ImportArticlesResponse summary = Import(
      *stub_,
      {{Minimal("https://a.example/first")},
       {Minimal("https://a.example/good"), Latin1Body("https://a.example/bad")},
       {Minimal("https://a.example/third")}},
      &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              ::testing::HasSubstr("message 2 of the stream"));
  EXPECT_TRUE(Get("https://a.example/first").ok());
  EXPECT_EQ(Get("https://a.example/good").error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ArticleServiceTest, PutOfAnUnparsableArticleIsNeverOk) {
  const grpc::Status status = Put(Latin1Body("https://a.example/bad"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("UTF-8"));
  EXPECT_EQ(Get("https://a.example/bad").error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ArticleServiceTest, ReimportingUnchangedArticlesMakesNoRevision) {
  std::vector<v1::Article> batch;
  for (int i = 0; i < 5; ++i) {
    batch.push_back(Minimal(absl::StrCat("https://a.example/", i)));
  }
  grpc::Status status;
  Import(*stub_, {batch}, &status);
  ASSERT_TRUE(status.ok());
  v1::Article before;
  ASSERT_TRUE(Get("https://a.example/4", &before).ok());
  const v1::ImportArticlesResponse again = Import(*stub_, {batch}, &status);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(again.unchanged_count(), 5);
  v1::Article after;
  ASSERT_TRUE(Get("https://a.example/4", &after).ok());
  EXPECT_EQ(after.revision(), before.revision());
  EXPECT_EQ(after.update_time().SerializeAsString(),
            before.update_time().SerializeAsString());
}

TEST_F(ArticleServiceTest, ImportRejectsEmptyAndOversizedBatches) {
  grpc::Status status;
  Import(*stub_, {{}}, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("articles"));
  Import(*stub_,
         {std::vector<v1::Article>(1001, Minimal("https://a.example/x"))},
         &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("articles"));
}

class SmallPagesTest : public ArticleServiceTest {
 protected:
  static ServerConfig Config() {
    ServerConfig config;
    config.limits.max_page_size = 2;
    config.limits.default_page_size = 1;
    return config;
  }
  SmallPagesTest() : ArticleServiceTest(Config()) {}
};

TEST_F(SmallPagesTest, PageSizeAboveTheMaximumIsReduced) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(Put(Minimal(absl::StrCat("https://a.example/", i))).ok());
  }
  v1::ListArticlesResponse response;
  ASSERT_TRUE(List(1000, "", &response).ok());
  EXPECT_EQ(response.articles_size(), 2);
}

}  // namespace
}  // namespace content
