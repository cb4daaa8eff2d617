// Crash safety: the real content-server, under writes from several clients,
// is killed with SIGKILL at random moments. After every restart each
// acknowledged write must be readable with its exact content, and the
// server's own consistency walk (AdminService.VerifyStore) must find
// aliases, counts and etags in agreement.

#include <signal.h>

#include <atomic>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/article_client.h"
#include "content/v1/admin_service.grpc.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace content {
namespace {

using ::content::testing::ServerProcess;
using ::content::testing::WithoutServerFields;
using ::google::protobuf::util::MessageDifferencer;

constexpr int kCycles = 20;
constexpr int kWriters = 3;
constexpr int kUrlsPerWriter = 40;

// What a URL holds: an article, or nothing (never written, or deleted).
using State = std::optional<v1::Article>;

std::string Url(int writer, int slot) {
  return absl::StrCat("https://crash.example/w", writer, "/", slot);
}

// The expected state of every URL. A write that was sent but not
// acknowledged when the server died may or may not have been applied.
class Ledger {
 public:
  void Sent(const std::string& url, const State& state) {
    std::lock_guard<std::mutex> lock(mu_);
    in_flight_[url] = state;
  }
  void Acknowledged(const std::string& url) {
    std::lock_guard<std::mutex> lock(mu_);
    settled_[url] = in_flight_[url];
    in_flight_.erase(url);
    ++acknowledged_;
  }
  // Checks `found` against the ledger and settles in-flight writes to it.
  void Check(const std::string& url, const State& found) {
    std::lock_guard<std::mutex> lock(mu_);
    const State& settled = settled_[url];
    const auto in_flight = in_flight_.find(url);
    const bool matches_settled = Same(found, settled);
    const bool matches_in_flight =
        in_flight != in_flight_.end() && Same(found, in_flight->second);
    EXPECT_TRUE(matches_settled || matches_in_flight)
        << url << " holds "
        << (found.has_value() ? found->title() : std::string("nothing"))
        << "; acknowledged: "
        << (settled.has_value() ? settled->title() : std::string("nothing"));
    settled_[url] = found;
    if (in_flight != in_flight_.end()) in_flight_.erase(in_flight);
  }
  int64_t acknowledged() {
    std::lock_guard<std::mutex> lock(mu_);
    return acknowledged_;
  }

 private:
  static bool Same(const State& a, const State& b) {
    if (a.has_value() != b.has_value()) return false;
    return !a.has_value() || MessageDifferencer::Equals(*a, *b);
  }

  std::mutex mu_;
  std::map<std::string, State> settled_;
  std::map<std::string, State> in_flight_;
  int64_t acknowledged_ = 0;
};

v1::Article MakeArticle(const std::string& url, int writer, int64_t version) {
  v1::Article article;
  article.set_web_url(url);
  article.set_original_url(absl::StrCat(url, "?orig=", version % 3));
  article.set_amp_web_url(absl::StrCat(url, "/amp"));
  article.set_title(absl::StrCat("w", writer, " v", version));
  article.set_body(std::string(500 + version % 2000, 'x'));
  article.add_topics(absl::StrCat("topic", version % 7));
  return article;
}

// Puts and deletes on the writer's own URLs until `stop`, recording each in
// `ledger`. Bounded: at most 5,000 operations.
void Write(const std::string& address, int writer, uint32_t seed,
           const std::atomic<bool>& stop, Ledger* ledger) {
  ArticleClient client(CreateArticleChannel(address), {absl::Seconds(5)});
  std::mt19937 random(seed);
  for (int64_t op = 0; op < 5000 && !stop; ++op) {
    const std::string url = Url(writer, random() % kUrlsPerWriter);
    const bool put = random() % 10 != 0;
    State intended;
    if (put) intended = MakeArticle(url, writer, (int64_t{seed} << 16) + op);
    ledger->Sent(url, intended);
    const absl::Status status =
        put ? client.PutArticle(*intended).status() : client.DeleteArticle(url);
    if (status.ok() || (!put && absl::IsNotFound(status))) {
      ledger->Acknowledged(url);
    } else {
      return;  // the server died; the write stays in flight
    }
  }
}

v1::VerifyStoreResponse VerifyStore(const std::string& address) {
  auto stub = v1::AdminService::NewStub(CreateArticleChannel(address));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  v1::VerifyStoreResponse response;
  const grpc::Status status =
      stub->VerifyStore(&context, v1::VerifyStoreRequest(), &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response;
}

void CheckEverything(const std::string& address, Ledger* ledger) {
  ArticleClient client(CreateArticleChannel(address));
  for (int writer = 0; writer < kWriters; ++writer) {
    for (int slot = 0; slot < kUrlsPerWriter; ++slot) {
      const std::string url = Url(writer, slot);
      absl::StatusOr<v1::Article> article = client.GetArticle(url);
      ASSERT_TRUE(article.ok() || absl::IsNotFound(article.status()))
          << article.status();
      ledger->Check(url, article.ok()
                             ? State(WithoutServerFields(std::move(*article)))
                             : State());
    }
  }
  const v1::VerifyStoreResponse report = VerifyStore(address);
  for (const std::string& problem : report.problems()) {
    ADD_FAILURE() << "verify: " << problem;
  }
}

TEST(CrashTest, AcknowledgedWritesSurviveSigkill) {
  testing::TempDir data;
  Ledger ledger;
  std::mt19937 random(20261126);
  for (int cycle = 0; cycle < kCycles; ++cycle) {
    ServerProcess server(data.path(), {"--shutdown_grace_seconds=1"});
    ASSERT_TRUE(server.started());
    CheckEverything(server.address(), &ledger);
    if (::testing::Test::HasFailure()) return;

    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int writer = 0; writer < kWriters; ++writer) {
      writers.emplace_back(Write, server.address(), writer,
                           static_cast<uint32_t>(random()), std::cref(stop),
                           &ledger);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + random() % 250));
    server.Stop(SIGKILL);
    stop = true;
    for (std::thread& writer : writers) writer.join();
  }
  ServerProcess server(data.path());
  ASSERT_TRUE(server.started());
  CheckEverything(server.address(), &ledger);
  std::cout << kCycles << " SIGKILL cycles, " << ledger.acknowledged()
            << " acknowledged writes verified\n";
  EXPECT_GT(ledger.acknowledged(), kCycles * 10);
}

}  // namespace
}  // namespace content
