// End-to-end: the real content-server binary on a loopback port, driven by
// the client library, the contentctl binary and buf curl.

#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/article_client.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/etcd_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace content {
namespace {

using ::content::testing::CommandResult;
using ::content::testing::IsOk;
using ::content::testing::RunCommand;
using ::content::testing::ServerProcess;
using ::content::testing::StatusIs;
using ::content::testing::WithoutServerFields;
using ::testing::HasSubstr;
using HealthStatus = grpc::health::v1::HealthCheckResponse;

CommandResult Contentctl(const std::string& address,
                         std::vector<std::string> args) {
  args.insert(args.begin(), {CONTENTCTL_BIN, "--server", address});
  return RunCommand(args);
}

HealthStatus::ServingStatus CheckHealth(grpc::health::v1::Health::Stub& stub,
                                        const std::string& service) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(5));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  HealthStatus response;
  if (!stub.Check(&context, request, &response).ok())
    return HealthStatus::UNKNOWN;
  return response.status();
}

class ServerE2eTest : public ::testing::Test {
 protected:
  content::testing::TempDir data_;
};

TEST_F(ServerE2eTest, SeedPutWithContentctlSurvivesARestartFieldForField) {
  const v1::Article seed = content::testing::SeedArticle();
  int64_t put_revision = 0;
  {
    ServerProcess server(data_.path());
    ASSERT_TRUE(server.started());
    const CommandResult put = Contentctl(
        server.address(),
        {"put", content::testing::TestDataPath("seed_article.json")});
    ASSERT_EQ(put.exit_code, 0) << put.err;
    // Revision 1 in a store of one process; the log's in replicated mode.
    EXPECT_THAT(put.out, ::testing::ContainsRegex(testing::ReplicatedTestMode()
                                                      ? "revision [1-9]"
                                                      : "revision 1 "));
    put_revision = std::stoll(put.out.substr(put.out.rfind("revision ") + 9));
    EXPECT_EQ(server.Stop(SIGTERM), 0);
    EXPECT_THAT(server.log(), HasSubstr("event=stopped"));
    EXPECT_THAT(server.log(), ::testing::Not(HasSubstr(seed.secured())));
  }
  ServerProcess server(data_.path());
  ASSERT_TRUE(server.started());
  const CommandResult get =
      Contentctl(server.address(), {"get", seed.web_url()});
  ASSERT_EQ(get.exit_code, 0) << get.err;
  v1::Article printed;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(get.out, &printed).ok());
  EXPECT_EQ(printed.revision(), put_revision);

  ArticleClient client(CreateArticleChannel(server.address()));
  absl::StatusOr<v1::Article> read = client.GetArticle(seed.original_url());
  ASSERT_THAT(read, IsOk());
  std::string differences;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&differences);
  EXPECT_TRUE(differencer.Compare(seed, WithoutServerFields(*read)))
      << differences;
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(printed, *read));

  // contentctl update changes only the fields its mask names.
  const std::string change = data_.path() + "/change.json";
  std::ofstream(change) << absl::StrCat(R"({"webUrl": ")", seed.web_url(),
                                        R"(", "title": "Changed", "heat": 7})");
  const CommandResult updated =
      Contentctl(server.address(), {"update", change, "--mask", "title"});
  ASSERT_EQ(updated.exit_code, 0) << updated.err;
  EXPECT_THAT(updated.out, HasSubstr("updated " + seed.web_url()));
  read = client.GetArticle(seed.web_url());
  ASSERT_THAT(read, IsOk());
  EXPECT_EQ(read->title(), "Changed");
  EXPECT_EQ(read->heat(), seed.heat());
}

TEST_F(ServerE2eTest, EveryAcknowledgedWriteSurvivesSigterm) {
  auto server = std::make_unique<ServerProcess>(data_.path());
  ASSERT_TRUE(server->started());
  ArticleClient client(CreateArticleChannel(server->address()),
                       {absl::Seconds(5)});
  constexpr int kWriters = 4;
  constexpr int kMaxWritesEach = 500;
  std::vector<std::vector<v1::Article>> acknowledged(kWriters);
  std::atomic<int> total{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kMaxWritesEach; ++i) {
        v1::Article article;
        article.set_web_url(absl::StrCat("https://w", w, ".example/", i));
        article.set_title(absl::StrCat("writer ", w, " article ", i));
        absl::StatusOr<v1::Article> stored = client.PutArticle(article);
        if (!stored.ok()) return;  // the server is going away
        acknowledged[w].push_back(*stored);
        ++total;
      }
    });
  }
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  while (total.load() < 200 && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_EQ(server->Stop(SIGTERM), 0);
  for (std::thread& writer : writers) writer.join();
  ASSERT_GE(total.load(), 200);

  server = std::make_unique<ServerProcess>(data_.path());
  ASSERT_TRUE(server->started());
  ArticleClient reader(CreateArticleChannel(server->address()));
  for (const std::vector<v1::Article>& mine : acknowledged) {
    for (const v1::Article& article : mine) {
      absl::StatusOr<v1::Article> read = reader.GetArticle(article.web_url());
      ASSERT_THAT(read, IsOk()) << article.web_url();
      EXPECT_EQ(read->SerializeAsString(), article.SerializeAsString());
    }
  }
}

TEST_F(ServerE2eTest, HealthIsServingAndTurnsNotServingOnShutdown) {
  // This client leaves its connection idle and unpolled after the watch ends,
  // so gRPC's graceful GOAWAY (which waits for a PING ack) would run out the
  // whole grace period; keep it short.
  ServerProcess server(data_.path(), {"--shutdown_grace_seconds=1"});
  ASSERT_TRUE(server.started());
  auto stub =
      grpc::health::v1::Health::NewStub(CreateArticleChannel(server.address()));
  EXPECT_EQ(CheckHealth(*stub, ""), HealthStatus::SERVING);
  EXPECT_EQ(CheckHealth(*stub, "content.v1.ArticleService"),
            HealthStatus::SERVING);
  EXPECT_EQ(CheckHealth(*stub, "no.such.Service"), HealthStatus::UNKNOWN);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(20));
  grpc::health::v1::HealthCheckRequest request;
  auto watch = stub->Watch(&context, request);
  HealthStatus update;
  ASSERT_TRUE(watch->Read(&update));
  EXPECT_EQ(update.status(), HealthStatus::SERVING);
  std::thread stopper([&] { EXPECT_EQ(server.Stop(SIGTERM), 0); });
  ASSERT_TRUE(watch->Read(&update));
  EXPECT_EQ(update.status(), HealthStatus::NOT_SERVING);
  // The server ends the stream itself, so watchers never delay a stop.
  EXPECT_FALSE(watch->Read(&update));
  EXPECT_TRUE(watch->Finish().ok());
  stopper.join();
}

TEST_F(ServerE2eTest, ContentctlReportsErrorsWithNonZeroExit) {
  ServerProcess server(data_.path());
  ASSERT_TRUE(server.started());
  const std::string& address = server.address();

  CommandResult result = Contentctl(address, {"get", "https://a.example/none"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("NOT_FOUND"));

  result = Contentctl(address, {"get", "ftp://a.example/"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(result.err, HasSubstr("url: is not an http(s) URL"));

  result = Contentctl(address, {"delete", "https://a.example/none"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("NOT_FOUND"));

  result = Contentctl(address, {"put", "/nonexistent/article.json"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("/nonexistent/article.json"));

  result = Contentctl(address,
                      {"put", content::testing::TestDataPath("bad_type.json")});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("bad_type.json"));
  EXPECT_THAT(result.err, HasSubstr("quality"));

  result = Contentctl(address, {"frobnicate"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("unknown command"));
  result = Contentctl(address, {"get"});
  EXPECT_EQ(result.exit_code, 2);
  result = Contentctl(address, {"list", "--page_size"});
  EXPECT_EQ(result.exit_code, 2);

  result = Contentctl("127.0.0.1:1",
                      {"--timeout", "2", "get", "https://a.example/"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("UNAVAILABLE"));
}

TEST_F(ServerE2eTest, ContentctlListFollowsEveryPage) {
  ServerProcess server(data_.path());
  ASSERT_TRUE(server.started());
  ArticleClient client(CreateArticleChannel(server.address()));
  for (int i = 0; i < 5; ++i) {
    v1::Article article;
    article.set_web_url(absl::StrCat("https://a.example/", i));
    ASSERT_THAT(client.PutArticle(article), IsOk());
  }
  const CommandResult list =
      Contentctl(server.address(), {"list", "--page_size", "2"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(std::count(list.out.begin(), list.out.end(), '\n'), 5);
  const CommandResult deleted =
      Contentctl(server.address(), {"delete", "https://a.example/3"});
  EXPECT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_THAT(client.GetArticle("https://a.example/3"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(ServerE2eTest, ContentctlHealthAnswersWithItsExitCode) {
  std::string address;
  {
    ServerProcess server(data_.path());
    ASSERT_TRUE(server.started());
    address = server.address();
    const CommandResult serving = Contentctl(address, {"health"});
    EXPECT_EQ(serving.exit_code, 0) << serving.err;
    EXPECT_EQ(serving.out, "SERVING\n");
  }
  const CommandResult gone = Contentctl(address, {"--timeout", "2", "health"});
  EXPECT_EQ(gone.exit_code, 1);
  EXPECT_THAT(gone.err, HasSubstr("UNAVAILABLE"));
}

TEST_F(ServerE2eTest, LogsOneJsonObjectPerLineWhenAsked) {
  ServerProcess server(data_.path(), {"--log_format=json"});
  ASSERT_TRUE(server.started());
  EXPECT_EQ(server.Stop(SIGTERM), 0);
  std::istringstream lines(server.log());
  std::vector<std::string> events;
  for (std::string line; std::getline(lines, line);) {
    EXPECT_EQ(line.front(), '{') << line;
    EXPECT_EQ(line.back(), '}') << line;
    const size_t at = line.find("\"event\":\"");
    ASSERT_NE(at, std::string::npos) << line;
    events.push_back(line.substr(at + 9, line.find('"', at + 9) - at - 9));
  }
  EXPECT_THAT(events, ::testing::ElementsAre("config", "listening", "stopping",
                                             "stopped"));
}

// The value of the sample `name` (with its labels) in a Prometheus scrape.
double Sample(const std::string& scrape, const std::string& name) {
  const size_t at = scrape.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stod(scrape.substr(at + name.size() + 2));
}

TEST_F(ServerE2eTest, MetricsMoveWithTraffic) {
  ServerProcess server(data_.path());
  ASSERT_TRUE(server.started());
  std::smatch match;
  ASSERT_TRUE(std::regex_search(server.log(), match,
                                std::regex("metrics_address=(\\S+)")));
  const std::string metrics_address = match[1];
  httplib::Client http(absl::StrCat("http://", metrics_address));
  const auto scrape = [&http] {
    auto response = http.Get("/metrics");
    return response && response->status == 200 ? response->body : "";
  };
  const std::string get_ok =
      "content_rpc_requests_total{method=\"/content.v1.ArticleService/"
      "GetArticle\",code=\"OK\"}";
  const std::string before = scrape();
  ASSERT_FALSE(before.empty());
  EXPECT_EQ(Sample(before, "content_articles"), 0);
  EXPECT_EQ(Sample(before, get_ok), -1);  // no such call yet

  ArticleClient client(CreateArticleChannel(server.address()));
  ASSERT_THAT(client.PutArticle(content::testing::SeedArticle()), IsOk());
  const std::string url = content::testing::SeedArticle().web_url();
  ASSERT_THAT(client.GetArticle(url), IsOk());
  ASSERT_THAT(client.GetArticle(url), IsOk());
  EXPECT_FALSE(client.GetArticle("https://a.example/none").ok());

  const std::string after = scrape();
  EXPECT_EQ(Sample(after, get_ok), 2);
  EXPECT_EQ(Sample(after,
                   "content_rpc_requests_total{method=\"/content.v1."
                   "ArticleService/GetArticle\",code=\"NOT_FOUND\"}"),
            1);
  EXPECT_EQ(Sample(after,
                   "content_rpc_duration_seconds_count{method=\"/content.v1."
                   "ArticleService/PutArticle\"}"),
            1);
  EXPECT_EQ(Sample(after,
                   "content_rpc_in_flight{method=\"/content.v1.ArticleService/"
                   "GetArticle\"}"),
            0);
  EXPECT_EQ(Sample(after, "content_articles"), 1);
  // 1 in a store of one process; the log's revision in replicated mode.
  if (!testing::ReplicatedTestMode()) {
    EXPECT_EQ(Sample(after, "content_store_revision"), 1);
  }
  EXPECT_GE(Sample(after, "content_store_revision"), 1);
  EXPECT_GE(Sample(after, "content_store_memtable_bytes"),
            Sample(before, "content_store_memtable_bytes"));
  EXPECT_EQ(Sample(after, "content_store_write_stopped"), 0);
}

TEST_F(ServerE2eTest, LogsSlowRequestsWithMethodAndCode) {
  // A threshold of 0 makes every unary call slow.
  ServerProcess server(data_.path(),
                       {"--slow_request_ms=0", "--shutdown_grace_seconds=1"});
  ASSERT_TRUE(server.started());
  ArticleClient client(CreateArticleChannel(server.address()));
  EXPECT_FALSE(client.GetArticle("https://a.example/none").ok());
  EXPECT_EQ(server.Stop(SIGTERM), 0);
  EXPECT_THAT(server.log(),
              HasSubstr("level=warn event=slow_request "
                        "method=/content.v1.ArticleService/GetArticle code=5"));
}

TEST_F(ServerE2eTest, ASecondServerOnTheSamePortsFailsToStart) {
  ServerProcess first(data_.path());
  ASSERT_TRUE(first.started());
  content::testing::TempDir other_data;
  CommandResult second =
      RunCommand({CONTENT_SERVER_BIN, "--listen", first.address(),
                  "--metrics_listen=", "--data_dir", other_data.path()});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_THAT(second.err, HasSubstr("cannot listen on " + first.address()));
  std::smatch metrics;
  ASSERT_TRUE(std::regex_search(first.log(), metrics,
                                std::regex("metrics_address=(\\S+)")));
  second = RunCommand({CONTENT_SERVER_BIN, "--listen", "127.0.0.1:0",
                       "--metrics_listen", metrics[1].str(), "--data_dir",
                       other_data.path()});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_THAT(second.err, HasSubstr("cannot listen for metrics"));
  // The first server is unaffected.
  ArticleClient client(CreateArticleChannel(first.address()));
  EXPECT_THAT(client.GetArticle("https://a.example/none"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(ServerStartupTest, BadConfigurationExitsWithAMessage) {
  const CommandResult result =
      RunCommand({CONTENT_SERVER_BIN, "--durable_writes=sometimes"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("durable_writes"));
}

}  // namespace
}  // namespace content
