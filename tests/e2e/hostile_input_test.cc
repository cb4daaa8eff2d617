// Hostile requests against the real content-server binary: each gets its
// documented status, and the server answers the next request.

#include <future>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/article_client.h"
#include "content/v1/article_service.pb.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "gtest/gtest.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace content {
namespace {

using ::testing::HasSubstr;

constexpr char kService[] = "/content.v1.ArticleService/";
constexpr char kStored[] = "https://news.example/stored";

// One hostile request: the method, the request bytes as sent on the wire,
// and what must come back.
struct HostileCase {
  std::string name;
  std::string method;
  std::string request;
  grpc::StatusCode code;
  std::string message;  // a substring of the error message, e.g. the field
};

std::string Bytes(const google::protobuf::Message& message) {
  return message.SerializeAsString();
}

std::string GetUrl(const std::string& url) {
  v1::GetArticleRequest request;
  request.set_url(url);
  return Bytes(request);
}

v1::Article Valid(const std::string& url = "https://news.example/new") {
  v1::Article article;
  article.set_web_url(url);
  article.set_title("Fine");
  return article;
}

template <typename Change>
std::string PutWith(Change change) {
  v1::PutArticleRequest request;
  *request.mutable_article() = Valid();
  change(request.mutable_article());
  return Bytes(request);
}

std::string ListWith(int page_size, const std::string& token,
                     const std::string& filter = "",
                     const std::string& order_by = "") {
  v1::ListArticlesRequest request;
  request.set_page_size(page_size);
  request.set_page_token(token);
  request.set_filter(filter);
  request.set_order_by(order_by);
  return Bytes(request);
}

// A protobuf field tag and length prefix, for hand-made wire bytes.
std::string LengthDelimited(int field, const std::string& payload) {
  std::string out;
  uint64_t tag = (static_cast<uint64_t>(field) << 3) | 2;
  for (uint64_t value : {tag, static_cast<uint64_t>(payload.size())}) {
    while (value >= 0x80) {
      out.push_back(static_cast<char>((value & 0x7f) | 0x80));
      value >>= 7;
    }
    out.push_back(static_cast<char>(value));
  }
  return out + payload;
}

// `extra` (Article field 19, a Struct) nested `depth` levels deep:
// {"k": {"k": ...}} as Struct -> Value -> Struct ...
std::string DeeplyNestedExtra(int depth) {
  std::string value;  // an empty Struct at the bottom
  for (int i = 0; i < depth; ++i) {
    const std::string entry =
        LengthDelimited(1, "k") + LengthDelimited(2, LengthDelimited(5, value));
    value = LengthDelimited(1, entry);  // Struct.fields map entry
  }
  const std::string article =
      LengthDelimited(3, "https://news.example/nested") +
      LengthDelimited(19, value);
  return LengthDelimited(1, article);
}

std::vector<HostileCase> Cases(const std::string& valid_token,
                               const std::string& stored_etag) {
  using Code = grpc::StatusCode;
  const std::string get = absl::StrCat(kService, "GetArticle");
  const std::string batch = absl::StrCat(kService, "BatchGetArticles");
  const std::string put = absl::StrCat(kService, "PutArticle");
  const std::string del = absl::StrCat(kService, "DeleteArticle");
  const std::string list = absl::StrCat(kService, "ListArticles");
  const std::string invalid_utf8 = "https://news.example/\xc3\x28";
  std::vector<HostileCase> cases = {
      {"EmptyUrl", get, GetUrl(""), Code::INVALID_ARGUMENT, "url"},
      {"Url100KB", get, GetUrl("https://a.example/" + std::string(100000, 'a')),
       Code::INVALID_ARGUMENT, "url"},
      // WHATWG URL parsing percent-encodes a NUL and drops CR and LF: valid
      // URLs, whose keys hold neither.
      {"UrlWithNul", get, GetUrl(std::string("https://a.example/\0x", 20)),
       Code::NOT_FOUND, "no article"},
      {"JavascriptUrl", get, GetUrl("javascript:alert(1)"),
       Code::INVALID_ARGUMENT, "url"},
      {"UrlWithoutHost", get, GetUrl("https://"), Code::INVALID_ARGUMENT,
       "url"},
      {"UrlWithCrLf", get, GetUrl("https://a.example/\r\nX-Evil: 1"),
       Code::NOT_FOUND, "no article"},
      {"UrlWithCredentials", get, GetUrl("https://editor:secret@a.example/p"),
       Code::INVALID_ARGUMENT, "carries credentials"},
      {"BrokenIpv6Host", get, GetUrl("https://[::1/x"), Code::INVALID_ARGUMENT,
       "url"},
      {"InvalidUtf8Url", get, GetUrl(invalid_utf8), Code::INVALID_ARGUMENT,
       "GetArticleRequest"},
      {"NotProtobufAtAll", get, "\xff\xff\xff\xff\xff", Code::INVALID_ARGUMENT,
       "GetArticleRequest"},
      // The synchronous methods are parsed by gRPC's generated code, which
      // answers INTERNAL with no message; the server says what it is.
      {"NotProtobufAtAllToList", absl::StrCat(kService, "ListArticles"),
       "\xff\xff\xff\xff\xff", Code::INVALID_ARGUMENT,
       "not a content.v1.ListArticlesRequest"},
      {"NotProtobufAtAllToBatchGet", batch, "\xff\xff\xff\xff\xff",
       Code::INVALID_ARGUMENT, "not a content.v1.BatchGetArticlesRequest"},
      {"NotProtobufAtAllToPut", put, "\xff\xff\xff\xff\xff",
       Code::INVALID_ARGUMENT, "PutArticle does not parse"},
      {"EmptyBatch", batch, Bytes(v1::BatchGetArticlesRequest()),
       Code::INVALID_ARGUMENT, "urls"},
      {"Batch of 10,000 URLs", batch,
       [] {
         v1::BatchGetArticlesRequest request;
         for (int i = 0; i < 10000; ++i) {
           request.add_urls(absl::StrCat("https://a.example/", i));
         }
         return Bytes(request);
       }(),
       Code::INVALID_ARGUMENT, "urls"},
      {"BatchWithOneBadUrl", batch,
       [] {
         v1::BatchGetArticlesRequest request;
         request.add_urls(kStored);
         request.add_urls("not a url");
         return Bytes(request);
       }(),
       Code::INVALID_ARGUMENT, "urls[1]"},
      {"PutWithoutArticle", put, Bytes(v1::PutArticleRequest()),
       Code::INVALID_ARGUMENT, "article"},
      {"Body10MB", put,
       PutWith([](v1::Article* a) { a->set_body(std::string(10 << 20, 'b')); }),
       Code::RESOURCE_EXHAUSTED, ""},
      {"Body3MB", put,
       PutWith([](v1::Article* a) { a->set_body(std::string(3 << 20, 'b')); }),
       Code::INVALID_ARGUMENT, "article.body"},
      {"Related100000", put, PutWith([](v1::Article* a) {
         for (int i = 0; i < 100000; ++i) {
           a->add_related()->set_web_url(absl::StrCat("https://r.ex/", i));
         }
       }),
       Code::INVALID_ARGUMENT, "article.related"},
      {"Topics100000", put, PutWith([](v1::Article* a) {
         for (int i = 0; i < 100000; ++i) a->add_topics("t");
       }),
       Code::INVALID_ARGUMENT, "article.topics"},
      {"Title100KB", put,
       PutWith([](v1::Article* a) { a->set_title(std::string(100000, 't')); }),
       Code::INVALID_ARGUMENT, "article.title"},
      {"InvalidUtf8Title", put,
       PutWith([](v1::Article* a) { a->set_title("\xff\xfe title"); }),
       Code::INVALID_ARGUMENT, "not UTF-8"},
      {"ExtraNested1000Deep", put, DeeplyNestedExtra(1000),
       Code::INVALID_ARGUMENT, "does not parse"},
      {"ExtraOver64KB", put, PutWith([](v1::Article* a) {
         (*a->mutable_extra()->mutable_fields())["big"].set_string_value(
             std::string(70000, 'x'));
       }),
       Code::INVALID_ARGUMENT, "article.extra"},
      {"TimestampNanosOutOfRange", put, PutWith([](v1::Article* a) {
         a->mutable_published_date_time()->set_nanos(2000000000);
       }),
       Code::INVALID_ARGUMENT, "article.published_date_time"},
      {"NegativeHeat", put, PutWith([](v1::Article* a) { a->set_heat(-5); }),
       Code::INVALID_ARGUMENT, "article.heat"},
      {"NegativeQuality", put,
       PutWith([](v1::Article* a) { a->set_quality(-1); }),
       Code::INVALID_ARGUMENT, "article.quality"},
      {"TimestampOutOfRange", put, PutWith([](v1::Article* a) {
         a->mutable_published_date_time()->set_seconds(1000000000000000);
       }),
       Code::INVALID_ARGUMENT, "article.published_date_time"},
      {"FtpWebUrl", put,
       PutWith([](v1::Article* a) { a->set_web_url("ftp://files.example/x"); }),
       Code::INVALID_ARGUMENT, "article.web_url"},
      {"NegativeImageWidth", put, PutWith([](v1::Article* a) {
         v1::Image* image = a->add_images();
         image->set_url("https://img.example/1.jpg");
         image->set_width(-1);
       }),
       Code::INVALID_ARGUMENT, "article.images[0].width"},
      {"RelatedWithoutUrl", put,
       PutWith([](v1::Article* a) { a->add_related()->set_title("x"); }),
       Code::INVALID_ARGUMENT, "article.related[0].web_url"},
      {"EtagForNothingStored", put,
       PutWith([](v1::Article* a) { a->set_etag("0123456789abcdef"); }),
       Code::NOT_FOUND, ""},
      {"StaleEtag", put, PutWith([](v1::Article* a) {
         a->set_web_url(kStored);
         a->set_etag("0000000000000000");
       }),
       Code::ABORTED, ""},
      {"DeleteNothingStored", del,
       [] {
         v1::DeleteArticleRequest request;
         request.set_url("https://news.example/never");
         return Bytes(request);
       }(),
       Code::NOT_FOUND, ""},
      {"DeleteWithWrongEtag", del,
       [&] {
         v1::DeleteArticleRequest request;
         request.set_url(kStored);
         request.set_etag(stored_etag + "0");
         return Bytes(request);
       }(),
       Code::ABORTED, ""},
      {"NegativePageSize", list, ListWith(-1, ""), Code::INVALID_ARGUMENT,
       "page_size"},
      {"HugePageSize", list, ListWith(2147483647, ""), Code::OK, ""},
      {"ForgedPageToken", list, ListWith(10, "AAAAAAAAAAAAAAAAAAAAAAAA"),
       Code::INVALID_ARGUMENT, "page_token"},
      {"TruncatedPageToken", list,
       ListWith(10, valid_token.substr(0, valid_token.size() / 2)),
       Code::INVALID_ARGUMENT, "page_token"},
      {"NonBase64PageToken", list, ListWith(10, "!!!$$$"),
       Code::INVALID_ARGUMENT, "page_token"},
      {"PageToken100KB", list, ListWith(10, std::string(100000, 'A')),
       Code::INVALID_ARGUMENT, "page_token"},
      {"UnknownFieldsAreDropped", put,
       PutWith([](v1::Article*) {}) +
           LengthDelimited(1, LengthDelimited(999, "from a future schema")),
       Code::OK, ""},
      {"NulInTitleIsStoredAsIs", put,
       PutWith([](v1::Article* a) { a->set_title(std::string("a\0b", 3)); }),
       Code::OK, ""},
      {"UnknownMethod", absl::StrCat(kService, "DropAllArticles"), "",
       Code::UNIMPLEMENTED, ""},
      {"Filter100KB", list, ListWith(10, "", std::string(100000, 'x')),
       Code::INVALID_ARGUMENT, "filter: is 100000 bytes long"},
      {"FilterOf500DistinctTopics", list,
       ListWith(10, "",
                [] {
                  std::string filter = "topics:t0";
                  for (int i = 1; i < 500; ++i)
                    absl::StrAppend(&filter, " AND topics:t", i);
                  return filter;
                }()),
       Code::OK, ""},
      {"FilterWithNul", list, ListWith(10, "", std::string("topics:\0", 8)),
       Code::OK, ""},
      {"FilterUnclosedQuote", list, ListWith(10, "", "category = \"news"),
       Code::INVALID_ARGUMENT, "not closed"},
      {"TimeBeyondYear9999", list,
       ListWith(10, "", "publishedDateTime > \"99999-01-01T00:00:00Z\""),
       Code::INVALID_ARGUMENT, "RFC 3339"},
      {"OrderByTitle", list, ListWith(10, "", "", "title"),
       Code::INVALID_ARGUMENT, "order_by"},
      {"TokenOfAnotherFilter", list, ListWith(10, valid_token, "topics:a"),
       Code::INVALID_ARGUMENT, "another query"},
      {"UpdateWithUnknownPath", absl::StrCat(kService, "UpdateArticle"),
       [] {
         v1::UpdateArticleRequest request;
         *request.mutable_article() = Valid(kStored);
         request.mutable_update_mask()->add_paths("secured.x");
         return Bytes(request);
       }(),
       Code::INVALID_ARGUMENT, "update_mask"},
      {"ReferencingAJavascriptUrl",
       absl::StrCat(kService, "ListReferencingArticles"),
       [] {
         v1::ListReferencingArticlesRequest request;
         request.set_url("javascript:alert(1)");
         return Bytes(request);
       }(),
       Code::INVALID_ARGUMENT, "url"},
  };
  return cases;
}

grpc::Status Call(grpc::GenericStub& stub, const std::string& method,
                  const std::string& bytes) {
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status status) { done.set_value(status); });
  return done.get_future().get();
}

TEST(HostileInputTest, EachGetsItsStatusAndTheServerAnswersTheNext) {
  testing::TempDir data;
  testing::ServerProcess server(data.path());
  ASSERT_TRUE(server.started());
  ArticleClient client(CreateArticleChannel(server.address()));
  absl::StatusOr<v1::Article> stored = client.PutArticle(Valid(kStored));
  ASSERT_TRUE(stored.ok());
  ASSERT_TRUE(client.PutArticle(Valid("https://news.example/second")).ok());
  absl::StatusOr<v1::ListArticlesResponse> page =
      client.ListArticles(ListQuery{1, /*filter=*/"", /*order_by=*/""}, "");
  ASSERT_TRUE(page.ok());

  grpc::GenericStub stub(CreateArticleChannel(server.address()));
  const std::vector<HostileCase> cases =
      Cases(page->next_page_token(), stored->etag());
  ASSERT_GE(cases.size(), 30u);
  for (const HostileCase& c : cases) {
    const grpc::Status status = Call(stub, c.method, c.request);
    EXPECT_EQ(status.error_code(), c.code)
        << c.name << ": " << status.error_message();
    EXPECT_THAT(status.error_message(), HasSubstr(c.message)) << c.name;
    // The server is still there and still right.
    absl::StatusOr<v1::Article> again = client.GetArticle(kStored);
    ASSERT_TRUE(again.ok()) << "after " << c.name << ": " << again.status();
  }

  // What the accepted oddities stored.
  absl::StatusOr<v1::Article> nul =
      client.GetArticle("https://news.example/new");
  ASSERT_TRUE(nul.ok());
  EXPECT_EQ(nul->title(), std::string("a\0b", 3));
  EXPECT_TRUE(nul->GetReflection()->GetUnknownFields(*nul).empty());
  std::cout << cases.size() << " hostile requests, server healthy after each\n";
}

TEST(HostileInputTest, AReadOnlyServerServesReadsAndRefusesWrites) {
  testing::TempDir data;
  {
    testing::ServerProcess writer(data.path());
    ASSERT_TRUE(writer.started());
    ArticleClient client(CreateArticleChannel(writer.address()));
    ASSERT_TRUE(client.PutArticle(Valid(kStored)).ok());
  }
  testing::ServerProcess server(data.path(), {"--read_only=true"});
  ASSERT_TRUE(server.started());
  ArticleClient client(CreateArticleChannel(server.address()));
  EXPECT_TRUE(client.GetArticle(kStored).ok());
  const absl::Status refused = client.PutArticle(Valid()).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_THAT(std::string(refused.message()), HasSubstr("read-only"));
}

}  // namespace
}  // namespace content
