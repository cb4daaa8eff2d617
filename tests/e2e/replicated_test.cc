// Replicated mode: three content-servers (in this process) that share a
// one-member etcd 3.4 as their commit log, each on its own RocksDB. Needs
// Debian's etcd-server (CTest label etcd).

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/article_channel.h"
#include "client/article_client.h"
#include "content/v1/admin_service.grpc.pb.h"
#include "content/v1/article_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "replication/etcd_log.h"
#include "replication/replicated_article_store.h"
#include "service/article_service.h"
#include "service/content_server.h"
#include "service/health_service.h"
#include "storage/rocksdb/rocksdb_engine.h"
#include "tests/support/contentctl_in_process.h"
#include "tests/support/etcd_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_certs.h"
#include "tests/support/test_server.h"

namespace content {
namespace {

using ::content::testing::IsOk;
using ::content::testing::StatusIs;

constexpr int kReplicas = 3;

v1::Article MakeArticle(const std::string& url, const std::string& title) {
  v1::Article article;
  article.set_web_url(url);
  article.set_title(title);
  return article;
}

class ReplicatedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    etcd_ = std::make_unique<testing::EtcdCluster>(dir_.path());
    ASSERT_TRUE(etcd_->started());
    for (int i = 0; i < kReplicas; ++i) {
      absl::StatusOr<std::unique_ptr<ContentServer>> server =
          ContentServer::Start(Config(i), RocksDbEngine::OpenEngine);
      ASSERT_THAT(server, IsOk());
      servers_.push_back(std::move(*server));
      clients_.push_back(std::make_unique<ArticleClient>(
          CreateArticleChannel(servers_.back()->address())));
    }
  }

  // Replica `replica`'s configuration, its data in `data_dir` or its own
  // directory.
  ServerConfig Config(int replica, const std::string& data_dir = "") {
    ServerConfig config = testing::LoopbackConfig(
        data_dir.empty() ? absl::StrCat(dir_.path(), "/replica", replica)
                         : data_dir);
    config.replication = "etcd";
    config.etcd_endpoints = {etcd_->endpoints()[0]};
    config.replica_id = absl::StrCat("r", replica);
    // Short, so a stopped replica soon stops holding the log back.
    config.replica_lease = absl::Seconds(1);
    return config;
  }

  // VerifyStore of replica `i`.
  v1::VerifyStoreResponse Verify(int i) {
    auto stub =
        v1::AdminService::NewStub(CreateArticleChannel(servers_[i]->address()));
    grpc::ClientContext context;
    v1::VerifyStoreResponse response;
    EXPECT_TRUE(
        stub->VerifyStore(&context, v1::VerifyStoreRequest(), &response).ok());
    return response;
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::EtcdCluster> etcd_;
  std::vector<std::unique_ptr<ContentServer>> servers_;
  std::vector<std::unique_ptr<ArticleClient>> clients_;
};

TEST_F(ReplicatedTest, AWriteAcknowledgedByOneReplicaIsReadOnEveryOther) {
  for (int i = 0; i < 30; ++i) {
    const int writer = i % kReplicas;
    const std::string url = absl::StrCat("https://r.example/", i);
    absl::StatusOr<v1::Article> stored =
        clients_[writer]->PutArticle(MakeArticle(url, absl::StrCat("t", i)));
    ASSERT_THAT(stored, IsOk());
    for (int reader = 0; reader < kReplicas; ++reader) {
      absl::StatusOr<v1::Article> read = clients_[reader]->GetArticle(url);
      ASSERT_THAT(read, IsOk()) << "replica " << reader;
      EXPECT_EQ(read->SerializeAsString(), stored->SerializeAsString());
    }
  }
}

TEST_F(ReplicatedTest, RacingConditionalWritesAcrossReplicasHaveOneWinner) {
  for (int round = 0; round < 5; ++round) {
    // create_only on every replica at once.
    const std::string url = absl::StrCat("https://race.example/", round);
    std::atomic<int> created{0};
    std::atomic<int> refused{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kReplicas; ++i) {
      threads.emplace_back([&, i] {
        absl::StatusOr<v1::Article> put = clients_[i]->PutArticle(
            MakeArticle(url, absl::StrCat("by ", i)), /*create_only=*/true);
        if (put.ok()) ++created;
        if (absl::IsAlreadyExists(put.status())) ++refused;
      });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(created.load(), 1);
    EXPECT_EQ(refused.load(), kReplicas - 1);

    // An update conditional on one etag, from every replica at once.
    absl::StatusOr<v1::Article> current = clients_[0]->GetArticle(url);
    ASSERT_THAT(current, IsOk());
    std::atomic<int> updated{0};
    std::atomic<int> aborted{0};
    threads.clear();
    for (int i = 0; i < kReplicas; ++i) {
      threads.emplace_back([&, i] {
        v1::Article update = MakeArticle(url, absl::StrCat("update ", i));
        update.set_etag(current->etag());
        absl::StatusOr<v1::Article> result =
            clients_[i]->UpdateArticle(update, {"title"});
        if (result.ok()) ++updated;
        if (absl::IsAborted(result.status())) ++aborted;
      });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(updated.load(), 1);
    EXPECT_EQ(aborted.load(), kReplicas - 1);
  }
}

TEST_F(ReplicatedTest, AWatchOnOneReplicaSeesEveryWriteOfTheOthersOnce) {
  std::unique_ptr<ArticleWatch> watch = clients_[2]->WatchArticles(1, "");
  constexpr int kWrites = 40;
  std::map<std::string, int64_t> acknowledged;  // url -> revision
  for (int i = 0; i < kWrites; ++i) {
    const std::string url = absl::StrCat("https://w.example/", i);
    absl::StatusOr<v1::Article> stored =
        clients_[i % 2]->PutArticle(MakeArticle(url, "x"));
    ASSERT_THAT(stored, IsOk());
    acknowledged[url] = stored->revision();
  }
  std::map<std::string, int64_t> seen;
  int64_t last_revision = 0;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  v1::WatchArticlesResponse response;
  while (seen.size() < acknowledged.size() && absl::Now() < deadline &&
         watch->Next(&response)) {
    for (const v1::ArticleEvent& event : response.events()) {
      EXPECT_GE(event.revision(), last_revision);
      last_revision = event.revision();
      EXPECT_TRUE(
          seen.emplace(event.article().web_url(), event.revision()).second)
          << "twice: " << event.article().web_url();
    }
  }
  watch->Cancel();
  EXPECT_EQ(seen, acknowledged);
}

TEST_F(ReplicatedTest, ReplicasAtOneRevisionHaveOneDigest) {
  for (int i = 0; i < 20; ++i) {
    ASSERT_THAT(clients_[i % kReplicas]->PutArticle(
                    MakeArticle(absl::StrCat("https://d.example/", i), "d")),
                IsOk());
  }
  ASSERT_THAT(clients_[1]->DeleteArticle("https://d.example/3"), IsOk());
  // A default read on each brings it up to every acknowledged write.
  for (int i = 0; i < kReplicas; ++i) {
    ASSERT_THAT(clients_[i]->GetArticle("https://d.example/0"), IsOk());
  }
  const v1::VerifyStoreResponse first = Verify(0);
  EXPECT_THAT(first.problems(), ::testing::IsEmpty());
  EXPECT_EQ(first.article_count(), 19);
  for (int i = 1; i < kReplicas; ++i) {
    const v1::VerifyStoreResponse other = Verify(i);
    EXPECT_THAT(other.problems(), ::testing::IsEmpty());
    EXPECT_EQ(other.revision(), first.revision());
    EXPECT_EQ(other.state_digest(), first.state_digest()) << "replica " << i;
  }
}

TEST_F(ReplicatedTest, AClientOfAllReplicasReadsOnWhenOneStops) {
  std::string targets;
  for (const auto& server : servers_) {
    absl::StrAppend(&targets, targets.empty() ? "" : ",", server->address());
  }
  ArticleClient cluster(CreateArticleChannel(targets));
  for (int i = 0; i < 10; ++i) {
    ASSERT_THAT(cluster.PutArticle(
                    MakeArticle(absl::StrCat("https://c.example/", i), "c")),
                IsOk());
  }
  servers_[1]->Shutdown();
  // Reads that reach the stopped replica are retried on another.
  for (int i = 0; i < 10; ++i) {
    EXPECT_THAT(cluster.GetArticle(absl::StrCat("https://c.example/", i)),
                IsOk());
  }
  absl::StatusOr<std::shared_ptr<grpc::Channel>> hostnames =
      CreateArticleChannel("a.example:1,b.example:2", ChannelOptions());
  EXPECT_THAT(hostnames.status(), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(ReplicatedTest, WithEtcdLostWritesAndDefaultReadsFailLocalReadsGoOn) {
  const std::string url = "https://lost.example/";
  ASSERT_THAT(clients_[0]->PutArticle(MakeArticle(url, "kept")), IsOk());
  ASSERT_THAT(clients_[1]->GetArticle(url), IsOk());  // replica 1 has it
  etcd_.reset();                                      // SIGKILL

  EXPECT_THAT(clients_[0]->PutArticle(MakeArticle(url, "lost")).status(),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(clients_[1]->GetArticle(url).status(),
              StatusIs(absl::StatusCode::kUnavailable));
  auto stub =
      v1::ArticleService::NewStub(CreateArticleChannel(servers_[1]->address()));
  grpc::ClientContext local;
  local.AddMetadata(kReadConsistencyHeader, "local");
  v1::GetArticleRequest request;
  request.set_url(url);
  v1::GetArticleResponse response;
  EXPECT_TRUE(stub->GetArticle(&local, request, &response).ok());
  EXPECT_EQ(response.article().title(), "kept");

  // Health says NOT_SERVING, and why, once the replica sees its log gone.
  auto health = grpc::health::v1::Health::NewStub(
      CreateArticleChannel(servers_[1]->address()));
  grpc::health::v1::HealthCheckResponse status;
  std::string reason;
  for (int attempt = 0; attempt < 100; ++attempt) {
    grpc::ClientContext context;
    ASSERT_TRUE(
        health->Check(&context, grpc::health::v1::HealthCheckRequest(), &status)
            .ok());
    if (status.status() == grpc::health::v1::HealthCheckResponse::NOT_SERVING) {
      const auto& trailers = context.GetServerTrailingMetadata();
      const auto it = trailers.find(kNotServingReasonKey);
      if (it != trailers.end())
        reason.assign(it->second.data(), it->second.size());
      break;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_EQ(status.status(),
            grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  EXPECT_THAT(reason, ::testing::HasSubstr("etcd"));
}

TEST_F(ReplicatedTest, AReplicaBehindTheCompactedLogRestartsFromABackup) {
  for (int i = 0; i < 10; ++i) {
    ASSERT_THAT(clients_[0]->PutArticle(MakeArticle(
                    absl::StrCat("https://old.example/", i), "old")),
                IsOk());
  }
  ASSERT_THAT(clients_[2]->GetArticle("https://old.example/9"), IsOk());
  const int64_t stopped_at = Verify(2).revision();
  servers_[2]->Shutdown();
  servers_[2].reset();

  // The others write on and, once replica 2's lease is gone, drop the log
  // it would need (bounded: 30 s).
  EtcdLogOptions log_options;
  log_options.endpoints = {etcd_->endpoints()[0]};
  absl::StatusOr<std::unique_ptr<EtcdLog>> log = EtcdLog::Connect(log_options);
  ASSERT_THAT(log, IsOk());
  int written = 0;
  for (const absl::Time deadline = absl::Now() + absl::Seconds(30);
       absl::Now() < deadline;) {
    ASSERT_THAT(clients_[written % 2]->PutArticle(MakeArticle(
                    absl::StrCat("https://new.example/", written), "new")),
                IsOk());
    ++written;
    absl::StatusOr<int64_t> compacted = (*log)->CompactBehindReplicas();
    ASSERT_THAT(compacted, IsOk());
    if (*compacted > stopped_at + 1 && written >= 5) break;
    absl::SleepFor(absl::Milliseconds(100));
  }

  // Restarted on its old data, it cannot catch up, and says so.
  {
    absl::StatusOr<std::unique_ptr<ContentServer>> stale =
        ContentServer::Start(Config(2), RocksDbEngine::OpenEngine);
    ASSERT_THAT(stale, IsOk());
    ArticleClient client(CreateArticleChannel((*stale)->address()));
    absl::Status read = absl::OkStatus();
    for (int attempt = 0; attempt < 100 && read.ok(); ++attempt) {
      read = client.GetArticle("https://old.example/0").status();
      if (read.ok()) absl::SleepFor(absl::Milliseconds(100));
    }
    EXPECT_THAT(read, StatusIs(absl::StatusCode::kUnavailable));
    EXPECT_THAT(std::string(read.message()), ::testing::HasSubstr("backup"));
  }

  // From replica 0's backup it follows the log again.
  const std::string backup = dir_.path() + "/backup";
  const testing::CommandResult backed_up = testing::RunContentctlInProcess(
      {"--server", servers_[0]->address(), "backup", backup});
  ASSERT_EQ(backed_up.exit_code, 0) << backed_up.err;
  ServerConfig restored = Config(2, dir_.path() + "/replica2-restored");
  restored.restore_from = backup;
  ASSERT_THAT(ContentServer::Restore(restored), IsOk());
  restored.restore_from.clear();
  absl::StatusOr<std::unique_ptr<ContentServer>> server =
      ContentServer::Start(restored, RocksDbEngine::OpenEngine);
  ASSERT_THAT(server, IsOk());
  servers_[2] = std::move(*server);
  clients_[2] = std::make_unique<ArticleClient>(
      CreateArticleChannel(servers_[2]->address()));
  ASSERT_THAT(
      clients_[0]->PutArticle(MakeArticle("https://last.example/", "l")),
      IsOk());
  ASSERT_THAT(clients_[2]->GetArticle("https://last.example/"), IsOk());
  ASSERT_THAT(clients_[1]->GetArticle("https://last.example/"), IsOk());
  const v1::VerifyStoreResponse first = Verify(0);
  EXPECT_EQ(first.article_count(), 10 + written + 1);
  for (int i = 1; i < kReplicas; ++i) {
    const v1::VerifyStoreResponse other = Verify(i);
    EXPECT_THAT(other.problems(), ::testing::IsEmpty());
    EXPECT_EQ(other.revision(), first.revision()) << "replica " << i;
    EXPECT_EQ(other.state_digest(), first.state_digest()) << "replica " << i;
  }
}

TEST(ReplicatedStartTest, ReachesEtcdOverTlsWithAClientCertificate) {
  testing::TempDir dir;
  const testing::TestCerts certs = testing::MakeTestCerts(dir.path());
  const testing::EtcdCluster::Tls tls{certs.server_cert, certs.server_key,
                                      certs.ca_cert};
  testing::EtcdCluster etcd(dir.path(), 1, &tls);
  ASSERT_TRUE(etcd.started());
  ServerConfig config = testing::LoopbackConfig(dir.path() + "/replica");
  config.replication = "etcd";
  config.etcd_endpoints = etcd.endpoints();
  config.replica_id = "r0";
  config.etcd_tls_ca_file = certs.ca_cert;

  // Without a client certificate etcd refuses the handshake.
  absl::StatusOr<std::unique_ptr<ContentServer>> refused =
      ContentServer::Start(config, RocksDbEngine::OpenEngine);
  EXPECT_THAT(refused.status(), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(std::string(refused.status().message()),
              ::testing::HasSubstr("etcd_endpoints"));

  config.etcd_tls_cert_file = certs.client_cert;
  config.etcd_tls_key_file = certs.client_key;
  absl::StatusOr<std::unique_ptr<ContentServer>> server =
      ContentServer::Start(config, RocksDbEngine::OpenEngine);
  ASSERT_THAT(server, IsOk());
  ArticleClient client(CreateArticleChannel((*server)->address()));
  ASSERT_THAT(client.PutArticle(MakeArticle("https://tls.example/", "t")),
              IsOk());
  EXPECT_THAT(client.GetArticle("https://tls.example/"), IsOk());

  ServerConfig unreadable = config;
  unreadable.data_dir = dir.path() + "/other";
  unreadable.etcd_tls_ca_file = dir.path() + "/missing.pem";
  EXPECT_THAT(
      ContentServer::Start(unreadable, RocksDbEngine::OpenEngine).status(),
      StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ReplicatedStoreTest,
     AWriteOverAnEntrySplitsAndAnOversizedArticleIsRefused) {
  testing::TempDir dir;
  testing::EtcdCluster etcd(dir.path());
  ASSERT_TRUE(etcd.started());
  RocksDbOptions engine_options;
  engine_options.path = dir.path() + "/db";
  absl::StatusOr<std::unique_ptr<RocksDbEngine>> engine =
      RocksDbEngine::Open(engine_options);
  ASSERT_THAT(engine, IsOk());
  ReplicationOptions options;
  options.etcd.endpoints = etcd.endpoints();
  options.replica_id = "r0";
  options.max_entry_bytes = 8 << 10;
  absl::StatusOr<std::unique_ptr<ReplicatedArticleStore>> store =
      ReplicatedArticleStore::Open(engine->get(), {}, options);
  ASSERT_THAT(store, IsOk());

  // 20 articles of about 2 KB in one write: several entries, none lost.
  std::vector<ArticleMutation> batch;
  for (int i = 0; i < 20; ++i) {
    ArticleMutation put;
    put.key = absl::StrCat("https://big.example/", i);
    put.article = MakeArticle(put.key, std::string(2000, 'x'));
    batch.push_back(std::move(put));
  }
  absl::StatusOr<std::vector<MutationResult>> written =
      (*store)->Write(std::move(batch));
  ASSERT_THAT(written, IsOk());
  ASSERT_EQ(written->size(), 20u);
  std::set<int64_t> revisions;
  for (const MutationResult& result : *written) {
    EXPECT_TRUE(result.created);
    revisions.insert(result.article.revision());
  }
  EXPECT_GT(revisions.size(), 1u);  // split
  EXPECT_EQ((*store)->ArticleCount(), 20);

  // One article over an entry: refused, not lost silently.
  ArticleMutation huge;
  huge.key = "https://big.example/huge";
  huge.article = MakeArticle(huge.key, std::string(10 << 10, 'y'));
  absl::StatusOr<MutationResult> refused = (*store)->WriteOne(huge);
  EXPECT_THAT(refused.status(), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(refused.status().message()),
              ::testing::HasSubstr(huge.key));
  EXPECT_THAT((*store)->Get(huge.key).status(),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(ReplicatedStartTest, AnUnreachableEtcdFailsTheStartNamingIt) {
  testing::TempDir dir;
  ServerConfig config = testing::LoopbackConfig(dir.path());
  config.replication = "etcd";
  const std::string endpoint =
      absl::StrCat("127.0.0.1:", testing::FreeLoopbackPort());
  config.etcd_endpoints = {endpoint};
  config.replica_id = "r0";
  const absl::Time start = absl::Now();
  absl::StatusOr<std::unique_ptr<ContentServer>> server =
      ContentServer::Start(config, RocksDbEngine::OpenEngine);
  EXPECT_THAT(server.status(), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(std::string(server.status().message()),
              ::testing::HasSubstr("etcd_endpoints " + endpoint));
  EXPECT_LT(absl::Now() - start, absl::Seconds(30));
}

}  // namespace
}  // namespace content
