#include "tests/storage/store_fixture.h"

#include <atomic>

#include "absl/strings/str_cat.h"
#include "replication/replicated_article_store.h"
#include "storage/rocksdb/rocksdb_engine.h"
#include "tests/support/etcd_process.h"
#include "tests/support/status_matchers.h"

namespace content::testing {
namespace {

// One etcd for the process, started on first use and killed at exit; each
// test's log lives under a prefix of its own.
const std::string& SharedEtcdEndpoint() {
  static TempDir dir;
  static EtcdCluster etcd(dir.path());
  return etcd.endpoints().front();
}

std::string UniquePrefix() {
  static std::atomic<int> next{0};
  const ::testing::TestInfo* test =
      ::testing::UnitTest::GetInstance()->current_test_info();
  return absl::StrCat("/test/", getpid(), "/", next++, "/",
                      test != nullptr ? test->name() : "", "/");
}

}  // namespace

void StoreTest::Reopen(const KvArticleStoreOptions& options) {
  store_.reset();
  engine_.reset();
  if (GetParam() == EngineKind::kMemory) {
    engine_ = std::make_unique<MemoryEngine>(volume_);
  } else {
    RocksDbOptions engine_options;
    engine_options.path = dir_.path();
    absl::StatusOr<std::unique_ptr<RocksDbEngine>> engine =
        RocksDbEngine::Open(engine_options);
    ASSERT_THAT(engine, IsOk());
    engine_ = std::move(*engine);
  }
  if (GetParam() == EngineKind::kReplicated) {
    if (prefix_.empty()) prefix_ = UniquePrefix();
    ReplicationOptions replication;
    replication.etcd.endpoints = {SharedEtcdEndpoint()};
    replication.etcd.prefix = prefix_;
    replication.replica_id = "r0";
    absl::StatusOr<std::unique_ptr<ReplicatedArticleStore>> store =
        ReplicatedArticleStore::Open(engine_.get(), options, replication);
    ASSERT_THAT(store, IsOk());
    store_ = std::move(*store);
    return;
  }
  absl::StatusOr<std::unique_ptr<KvArticleStore>> store =
      KvArticleStore::Open(engine_.get(), options);
  ASSERT_THAT(store, IsOk());
  store_ = std::move(*store);
}

std::string EngineName(const ::testing::TestParamInfo<EngineKind>& info) {
  switch (info.param) {
    case EngineKind::kRocksDb:
      return "RocksDb";
    case EngineKind::kMemory:
      return "Memory";
    case EngineKind::kReplicated:
      return "ReplicatedOnRocksDb";
  }
  return "";
}

}  // namespace content::testing
