// Replicated mode under faults, with the real binaries: a 3-member etcd
// 3.4 and 3 content-server replicas, two writers through a client of all
// replicas, and 21 faults at random moments: SIGKILL of the etcd leader
// (and its restart), SIGKILL of a replica (and its restart), and a replica
// stopped until the log is compacted past it (restarted, seen stale, then
// restored from another replica's backup). Afterwards every acknowledged
// write reads back exactly on every replica, the replicas' digests agree
// at one revision, and VerifyStore is clean. Prints the time from each
// fault to the next acknowledged write. Needs etcd-server (label etcd).

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "client/article_channel.h"
#include "client/article_client.h"
#include "content/v1/admin_service.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "replication/etcd_log.h"
#include "tests/support/etcd_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace content {
namespace {

using ::content::testing::IsOk;

constexpr int kReplicas = 3;
constexpr int kFaults = 21;

class ReplicatedFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    etcd_ = std::make_unique<testing::EtcdCluster>(dir_.path(), 3);
    ASSERT_TRUE(etcd_->started());
    for (int i = 0; i < kReplicas; ++i) {
      ports_.push_back(testing::FreeLoopbackPort());
      data_dirs_.push_back(absl::StrCat(dir_.path(), "/replica", i));
      replicas_.emplace_back();
      StartReplica(i);
      ASSERT_TRUE(replicas_[i]->started());
    }
  }

  std::string Address(int i) const {
    return absl::StrCat("127.0.0.1:", ports_[i]);
  }

  void StartReplica(int i) {
    replicas_[i] = std::make_unique<testing::ServerProcess>(
        data_dirs_[i],
        std::vector<std::string>{"--listen", Address(i), "--metrics_listen", "",
                                 "--replication", "etcd", "--etcd_endpoints",
                                 absl::StrJoin(etcd_->endpoints(), ","),
                                 "--replica_id", absl::StrCat("r", i),
                                 "--replica_lease_seconds", "5"});
  }

  grpc::health::v1::HealthCheckResponse::ServingStatus Health(int i) {
    auto stub =
        grpc::health::v1::Health::NewStub(CreateArticleChannel(Address(i)));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(2));
    grpc::health::v1::HealthCheckResponse response;
    stub->Check(&context, grpc::health::v1::HealthCheckRequest(), &response)
        .IgnoreError();
    return response.status();
  }

  // SIGKILL of the etcd leader, a pause, its restart.
  void KillEtcdLeader(std::mt19937* random) {
    int leader = -1;
    for (int attempt = 0; attempt < 50 && leader < 0; ++attempt) {
      leader = etcd_->Leader();
      if (leader < 0) absl::SleepFor(absl::Milliseconds(100));
    }
    ASSERT_GE(leader, 0) << "no etcd leader";
    etcd_->Kill(leader);
    absl::SleepFor(absl::Milliseconds(
        std::uniform_int_distribution<int>(200, 1500)(*random)));
    ASSERT_TRUE(etcd_->Restart(leader));
  }

  // SIGKILL of a replica and its restart on the same data.
  void KillReplica(int i) {
    replicas_[i]->Stop(SIGKILL);
    StartReplica(i);
    ASSERT_TRUE(replicas_[i]->started());
  }

  // A replica stopped until the log is compacted past it: restarted, it
  // says it is stale; restored from replica `source`'s backup, it follows
  // again.
  void CompactPastReplica(int i, int source, int cycle) {
    replicas_[i]->Stop(SIGKILL);
    EtcdLogOptions options;
    options.endpoints = etcd_->endpoints();
    absl::StatusOr<std::unique_ptr<EtcdLog>> log = EtcdLog::Connect(options);
    ASSERT_THAT(log, IsOk());
    absl::StatusOr<int64_t> last = (*log)->LastEntryRevision();
    ASSERT_THAT(last, IsOk());
    // Its lease lapses within about 5 s; then the log moves past it.
    bool compacted = false;
    for (const absl::Time deadline = absl::Now() + absl::Seconds(30);
         !compacted && absl::Now() < deadline;) {
      absl::StatusOr<int64_t> slowest = (*log)->CompactBehindReplicas();
      compacted = slowest.ok() && *slowest > *last;
      if (!compacted) absl::SleepFor(absl::Milliseconds(200));
    }
    ASSERT_TRUE(compacted) << "the log was not compacted past revision "
                           << *last;
    StartReplica(i);
    ASSERT_TRUE(replicas_[i]->started());
    bool stale = false;
    for (int attempt = 0; attempt < 100 && !stale; ++attempt) {
      stale = Health(i) == grpc::health::v1::HealthCheckResponse::NOT_SERVING;
      if (!stale) absl::SleepFor(absl::Milliseconds(50));
    }
    EXPECT_TRUE(stale) << "replica " << i << " behind the log looks healthy";
    replicas_[i]->Stop(SIGKILL);

    const std::string backup = absl::StrCat(dir_.path(), "/backup", cycle);
    const testing::CommandResult backed_up = testing::RunCommand(
        {CONTENTCTL_BIN, "--server", Address(source), "backup", backup});
    ASSERT_EQ(backed_up.exit_code, 0) << backed_up.err;
    data_dirs_[i] = absl::StrCat(dir_.path(), "/replica", i, "-", cycle);
    const testing::CommandResult restored =
        testing::RunCommand({CONTENT_SERVER_BIN, "--data_dir", data_dirs_[i],
                             "--restore_from", backup});
    ASSERT_EQ(restored.exit_code, 0) << restored.err;
    StartReplica(i);
    ASSERT_TRUE(replicas_[i]->started());
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::EtcdCluster> etcd_;
  std::vector<int> ports_;
  std::vector<std::string> data_dirs_;
  std::vector<std::unique_ptr<testing::ServerProcess>> replicas_;
};

TEST_F(ReplicatedFaultsTest, NothingAcknowledgedIsLostAndReplicasAgree) {
  std::vector<std::string> addresses;
  for (int i = 0; i < kReplicas; ++i) addresses.push_back(Address(i));
  const std::string cluster = absl::StrJoin(addresses, ",");

  std::mutex mu;
  std::map<std::string, std::string> acknowledged;  // url -> etag
  std::vector<absl::Time> acks;                     // when, in order
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w) {
    writers.emplace_back([&, w] {
      ArticleClient client(CreateArticleChannel(cluster));
      for (int n = 0; n < 20000 && !stop; ++n) {
        v1::Article article;
        article.set_web_url(absl::StrCat("https://f.example/", w, "/", n));
        article.set_title(absl::StrCat("write ", n));
        absl::StatusOr<v1::Article> stored = client.PutArticle(article);
        if (!stored.ok()) {
          absl::SleepFor(absl::Milliseconds(20));
          continue;
        }
        std::lock_guard<std::mutex> lock(mu);
        acknowledged[stored->web_url()] = stored->etag();
        acks.push_back(absl::Now());
      }
    });
  }

  std::mt19937 random(20261130);
  std::vector<std::pair<std::string, absl::Time>> faults;
  for (int cycle = 0; cycle < kFaults && !HasFatalFailure(); ++cycle) {
    // Each fault hits a cluster whose writes flow: one acknowledged in the
    // last 300 ms.
    bool flowing = false;
    for (const absl::Time deadline = absl::Now() + absl::Seconds(30);
         !flowing && absl::Now() < deadline;
         absl::SleepFor(absl::Milliseconds(20))) {
      std::lock_guard<std::mutex> lock(mu);
      flowing =
          !acks.empty() && absl::Now() - acks.back() < absl::Milliseconds(300);
    }
    ASSERT_TRUE(flowing) << "writes did not resume before fault " << cycle;
    absl::SleepFor(absl::Milliseconds(
        std::uniform_int_distribution<int>(100, 600)(random)));
    const int replica = std::uniform_int_distribution<int>(0, 2)(random);
    static const char* const kKinds[] = {"etcd leader SIGKILL",
                                         "replica SIGKILL",
                                         "replica behind the compacted log"};
    faults.emplace_back(kKinds[cycle % 3], absl::Now());
    switch (cycle % 3) {
      case 0:
        KillEtcdLeader(&random);
        break;
      case 1:
        KillReplica(replica);
        break;
      case 2:
        CompactPastReplica(replica, (replica + 1) % kReplicas, cycle);
        break;
    }
  }
  stop = true;
  for (std::thread& writer : writers) writer.join();

  // The window a fault opened: the longest time without an acknowledged
  // write from the fault until the next fault (or the end).
  std::map<std::string, std::vector<absl::Duration>> windows;
  for (size_t f = 0; f < faults.size(); ++f) {
    const absl::Time from = faults[f].second;
    const absl::Time to =
        f + 1 < faults.size() ? faults[f + 1].second : acks.back();
    absl::Duration longest;
    absl::Time previous = from;
    for (auto it = std::upper_bound(acks.begin(), acks.end(), from);
         it != acks.end() && *it <= to; ++it) {
      longest = std::max(longest, *it - previous);
      previous = *it;
    }
    windows[faults[f].first].push_back(longest);
  }
  for (auto& [kind, durations] : windows) {
    std::sort(durations.begin(), durations.end());
    std::printf(
        "%s: %zu faults, longest time without an acknowledged write: "
        "median %s, max %s\n",
        kind.c_str(), durations.size(),
        absl::FormatDuration(durations[durations.size() / 2]).c_str(),
        absl::FormatDuration(durations.back()).c_str());
  }
  std::printf("%zu writes acknowledged\n", acknowledged.size());
  ASSERT_GT(acknowledged.size(), 100u);

  // Every replica serves, holds every acknowledged write exactly, and they
  // agree.
  std::vector<v1::VerifyStoreResponse> verified;
  for (int i = 0; i < kReplicas; ++i) {
    bool serving = false;
    for (int attempt = 0; attempt < 200 && !serving; ++attempt) {
      serving = Health(i) == grpc::health::v1::HealthCheckResponse::SERVING;
      if (!serving) absl::SleepFor(absl::Milliseconds(50));
    }
    ASSERT_TRUE(serving) << "replica " << i;
    ArticleClient client(CreateArticleChannel(Address(i)));
    std::vector<std::string> urls;
    std::vector<std::string> etags;
    for (const auto& [url, etag] : acknowledged) {
      urls.push_back(url);
      etags.push_back(etag);
    }
    for (size_t start = 0; start < urls.size(); start += 100) {
      const size_t end = std::min(urls.size(), start + 100);
      absl::StatusOr<std::vector<v1::Article>> found = client.BatchGetArticles(
          absl::MakeConstSpan(urls).subspan(start, end - start));
      ASSERT_THAT(found, IsOk()) << "replica " << i;
      for (size_t k = start; k < end; ++k) {
        EXPECT_EQ((*found)[k - start].etag(), etags[k])
            << urls[k] << " on replica " << i;
      }
    }
    auto admin = v1::AdminService::NewStub(CreateArticleChannel(Address(i)));
    grpc::ClientContext context;
    v1::VerifyStoreResponse response;
    ASSERT_TRUE(
        admin->VerifyStore(&context, v1::VerifyStoreRequest(), &response).ok());
    EXPECT_TRUE(response.problems().empty()) << "replica " << i;
    verified.push_back(response);
  }
  for (int i = 1; i < kReplicas; ++i) {
    EXPECT_EQ(verified[i].revision(), verified[0].revision());
    EXPECT_EQ(verified[i].state_digest(), verified[0].state_digest())
        << "replica " << i;
  }
}

}  // namespace
}  // namespace content
