// TLS, mutual TLS and bearer-token roles, through a real server on a
// loopback port and the client library.

#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/article_client.h"
#include "content/v1/admin_service.grpc.pb.h"
#include "content/v1/article_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "service/access_policy.h"
#include "storage/rocksdb/rocksdb_engine.h"
#include "tests/support/contentctl_in_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_certs.h"
#include "tests/support/test_server.h"

namespace content {
namespace {

using ::content::testing::IsOk;
using ::content::testing::StatusIs;
using ::content::testing::TempDir;
using ::content::testing::TestServer;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kReadToken[] = "reader-secret-1";
constexpr char kWriteToken[] = "writer-secret-2";
constexpr char kAdminToken[] = "admin-secret-3";

std::string WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

std::string TokensFile(const std::string& dir) {
  return WriteFile(
      dir + "/tokens",
      absl::StrCat("# role hash name\n", "read sha256:", TokenHash(kReadToken),
                   " dashboards\n", "write sha256:", TokenHash(kWriteToken),
                   " importer\n\n", "admin  sha256:", TokenHash(kAdminToken),
                   "\n"));
}

std::shared_ptr<grpc::Channel> Channel(const std::string& address,
                                       ChannelOptions options) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      CreateArticleChannel(address, options);
  EXPECT_THAT(channel.status(), IsOk());
  return channel.ok() ? *channel : nullptr;
}

ChannelOptions WithToken(const std::string& token) {
  ChannelOptions options;
  options.bearer_token = token;
  return options;
}

absl::Status Verify(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = v1::AdminService::NewStub(channel);
  grpc::ClientContext context;
  v1::VerifyStoreResponse response;
  const grpc::Status status =
      stub->VerifyStore(&context, v1::VerifyStoreRequest(), &response);
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

bool Serving(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(5));
  grpc::health::v1::HealthCheckResponse response;
  return stub->Check(&context, {}, &response).ok() &&
         response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
}

class TokenTest : public ::testing::Test {
 protected:
  TokenTest() : server_(Config()) {}

  ServerConfig Config() {
    ServerConfig config;
    config.auth_tokens_file = TokensFile(files_.path());
    return config;
  }

  ArticleClient Client(const std::string& token) {
    return ArticleClient(Channel(server_.address(), WithToken(token)));
  }

  TempDir files_;
  TestServer server_;
};

TEST_F(TokenTest, CallsWithoutAValidTokenAreUnauthenticated) {
  ArticleClient anonymous(CreateArticleChannel(server_.address()));
  EXPECT_THAT(anonymous.GetArticle("https://a.example/x").status(),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(
      Client("not-a-known-token").GetArticle("https://a.example/x").status(),
      StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(Verify(CreateArticleChannel(server_.address())),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

// Sends GetArticle with `headers` as authorization metadata, one each.
absl::Status GetWithAuthorization(const std::string& address,
                                  const std::vector<std::string>& headers) {
  auto stub = v1::ArticleService::NewStub(CreateArticleChannel(address));
  grpc::ClientContext context;
  for (const std::string& header : headers) {
    context.AddMetadata("authorization", header);
  }
  v1::GetArticleRequest request;
  request.set_url("https://a.example/x");
  v1::GetArticleResponse response;
  const grpc::Status status = stub->GetArticle(&context, request, &response);
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

TEST_F(TokenTest, TheBearerSchemeNameIsCaseInsensitive) {
  for (const char* scheme : {"Bearer ", "bearer ", "BEARER ", "bEaReR  "}) {
    EXPECT_THAT(GetWithAuthorization(server_.address(),
                                     {absl::StrCat(scheme, kReadToken)}),
                StatusIs(absl::StatusCode::kNotFound))
        << scheme;
  }
  for (const std::string& value :
       {std::string("Basic ") + kReadToken, std::string("Bearer"),
        std::string("Bearer "), std::string("Bearer") + kReadToken}) {
    EXPECT_THAT(GetWithAuthorization(server_.address(), {value}),
                StatusIs(absl::StatusCode::kUnauthenticated))
        << value;
  }
}

TEST_F(TokenTest, TwoAuthorizationHeadersAreRefused) {
  const absl::Status status = GetWithAuthorization(
      server_.address(), {absl::StrCat("Bearer ", kReadToken),
                          absl::StrCat("Bearer ", kAdminToken)});
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(status.message(), HasSubstr("more than one authorization"));
}

TEST_F(TokenTest, RolesGrantReadsWritesAndAdministration) {
  ArticleClient reader = Client(kReadToken);
  ArticleClient writer = Client(kWriteToken);
  v1::Article article = testing::SeedArticle();

  const absl::Status denied = reader.PutArticle(article).status();
  EXPECT_THAT(denied, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(denied.message(), HasSubstr("needs the write role"));
  EXPECT_THAT(denied.message(), Not(HasSubstr(kReadToken)));

  ASSERT_THAT(writer.PutArticle(article).status(), IsOk());
  EXPECT_THAT(reader.GetArticle(article.web_url()).status(), IsOk());
  EXPECT_THAT(reader.DeleteArticle(article.web_url()),
              StatusIs(absl::StatusCode::kPermissionDenied));

  EXPECT_THAT(Verify(Channel(server_.address(), WithToken(kWriteToken))),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Verify(Channel(server_.address(), WithToken(kAdminToken))),
              IsOk());
  ArticleClient admin = Client(kAdminToken);
  EXPECT_THAT(admin.DeleteArticle(article.web_url()), IsOk());
}

TEST_F(TokenTest, HealthNeedsNoToken) {
  EXPECT_TRUE(Serving(CreateArticleChannel(server_.address())));
}

TEST_F(TokenTest, ContentctlTakesTheTokenFromAFileAndNeverPrintsIt) {
  const std::string token_file = WriteFile(files_.path() + "/admin.token",
                                           absl::StrCat(kAdminToken, "\n"));
  const std::string reader_file =
      WriteFile(files_.path() + "/read.token", kReadToken);
  const auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server_.address()});
    return testing::RunContentctlInProcess(args);
  };
  const testing::CommandResult admin =
      run({"--token_file", token_file, "verify"});
  EXPECT_EQ(admin.exit_code, 0) << admin.err;
  EXPECT_THAT(admin.out, HasSubstr("consistent"));

  const testing::CommandResult reader =
      run({"--token_file", reader_file, "verify"});
  EXPECT_EQ(reader.exit_code, 1);
  EXPECT_THAT(reader.err, HasSubstr("PERMISSION_DENIED"));
  EXPECT_THAT(reader.out + reader.err, Not(HasSubstr(kReadToken)));

  const testing::CommandResult anonymous = run({"verify"});
  EXPECT_EQ(anonymous.exit_code, 1);
  EXPECT_THAT(anonymous.err, HasSubstr("UNAUTHENTICATED"));
}

TEST_F(TokenTest, ContentctlTakesTheTokenFromTheEnvironment) {
  setenv("CONTENT_TOKEN", kAdminToken, 1);
  const testing::CommandResult result = testing::RunContentctlInProcess(
      {"--server", server_.address(), "verify"});
  unsetenv("CONTENT_TOKEN");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out + result.err, Not(HasSubstr(kAdminToken)));
}

TEST(AccessPolicyTest, TokensFileErrorsNameTheLine) {
  TempDir dir;
  const std::string good_hash = absl::StrCat("sha256:", TokenHash("t"));
  const struct {
    std::string text;
    std::string error;
  } cases[] = {
      {"owner " + good_hash + "\n", ":1: role must be read, write or admin"},
      {"# c\nread sha256:abc\n", ":2: expected ROLE sha256:HEX"},
      {"read " + TokenHash("t") + "\n", ":1: expected ROLE sha256:HEX"},
      {"read " + good_hash + "\nwrite " + good_hash + "\n",
       ":2: the same token hash is listed twice"},
      {"# nothing\n", "lists no tokens"},
  };
  for (const auto& c : cases) {
    const std::string path = WriteFile(dir.path() + "/tokens", c.text);
    EXPECT_THAT(AccessPolicy::Load(path).status(),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << c.text;
    EXPECT_THAT(std::string(AccessPolicy::Load(path).status().message()),
                HasSubstr(c.error));
  }
  EXPECT_THAT(AccessPolicy::Load(dir.path() + "/missing").status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

class TlsTest : public ::testing::Test {
 protected:
  TlsTest() : certs_(testing::MakeTestCerts(files_.path())) {}

  ServerConfig Config(bool mutual) {
    ServerConfig config;
    config.tls_cert_file = certs_.server_cert;
    config.tls_key_file = certs_.server_key;
    if (mutual) config.tls_client_ca_file = certs_.ca_cert;
    return config;
  }

  ChannelOptions Tls(const std::string& ca) {
    ChannelOptions options;
    options.tls = true;
    options.tls_ca_file = ca;
    return options;
  }

  TempDir files_;
  testing::TestCerts certs_;
};

TEST_F(TlsTest, ServesOnlyClientsThatTrustItsCertificate) {
  TestServer server(Config(/*mutual=*/false));
  EXPECT_TRUE(Serving(Channel(server.address(), Tls(certs_.ca_cert))));
  ArticleClient client(Channel(server.address(), Tls(certs_.ca_cert)));
  EXPECT_THAT(client.PutArticle(testing::SeedArticle()).status(), IsOk());

  ArticleClient plaintext(CreateArticleChannel(server.address()),
                          {absl::Seconds(2)});
  EXPECT_THAT(plaintext.GetArticle("https://a.example/x").status(),
              StatusIs(absl::StatusCode::kUnavailable));
  ArticleClient distrusting(
      Channel(server.address(), Tls(certs_.other_ca_cert)), {absl::Seconds(2)});
  EXPECT_THAT(distrusting.GetArticle("https://a.example/x").status(),
              StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(TlsTest, ContentctlConnectsWithTlsFlags) {
  TestServer server(Config(/*mutual=*/true));
  // By IP address, with the certificate's name given explicitly.
  const std::string address =
      "127.0.0.1:" + server.address().substr(server.address().rfind(':') + 1);
  const testing::CommandResult result = testing::RunContentctlInProcess(
      {"--server", address, "--tls_ca", certs_.ca_cert, "--tls_cert",
       certs_.client_cert, "--tls_key", certs_.client_key, "--tls_server_name",
       "localhost", "health"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "SERVING\n");
}

TEST_F(TlsTest, MutualTlsRequiresAClientCertificateFromItsCa) {
  TestServer server(Config(/*mutual=*/true));
  ChannelOptions with_cert = Tls(certs_.ca_cert);
  with_cert.tls_cert_file = certs_.client_cert;
  with_cert.tls_key_file = certs_.client_key;
  EXPECT_TRUE(Serving(Channel(server.address(), with_cert)));

  ArticleClient anonymous(Channel(server.address(), Tls(certs_.ca_cert)),
                          {absl::Seconds(2)});
  EXPECT_THAT(anonymous.GetArticle("https://a.example/x").status(),
              StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(TlsTest, UnreadableFilesFailTheStartNamingTheSetting) {
  ServerConfig config = Config(/*mutual=*/false);
  config.data_dir = files_.path() + "/data";
  config.listen = "127.0.0.1:0";
  config.metrics_listen = "";
  config.tls_key_file = files_.path() + "/missing.key";
  EXPECT_THAT(
      std::string(ContentServer::Start(config, RocksDbEngine::OpenEngine)
                      .status()
                      .message()),
      HasSubstr("tls_key_file"));

  ChannelOptions options = Tls(files_.path() + "/missing.pem");
  EXPECT_THAT(CreateArticleChannel("127.0.0.1:1", options).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(LimitsTest, ConfiguredFieldLimitsAreEnforcedNamingTheField) {
  ServerConfig config;
  config.limits.article.max_body_bytes = 100;
  config.limits.article.max_topics = 2;
  TestServer server(config);
  ArticleClient client(CreateArticleChannel(server.address()));
  v1::Article article = testing::SeedArticle();
  article.set_body(std::string(101, 'b'));
  article.add_topics("one");
  article.add_topics("two");
  article.add_topics("three");
  const absl::Status status = client.PutArticle(article).status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(status.message()), HasSubstr("article.body"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("article.topics"));
}

TEST(LimitsTest, StreamsEndAtTheServersCapWhateverTheClientsDeadline) {
  ServerConfig config;
  config.limits.max_stream_duration = absl::Milliseconds(300);
  TestServer server(config);
  ArticleClient client(CreateArticleChannel(server.address()));
  std::unique_ptr<ArticleImporter> importer = client.StartImport(1);
  ASSERT_TRUE(importer->Add(testing::SeedArticle()).ok());
  absl::SleepFor(absl::Milliseconds(400));
  // May already fail: no result.
  importer->Add(testing::SeedArticle()).IgnoreError();
  EXPECT_THAT(importer->Finish().status(),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
}

}  // namespace
}  // namespace content
