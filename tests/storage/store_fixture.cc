#include "tests/storage/store_fixture.h"

#include "storage/rocksdb/rocksdb_engine.h"
#include "tests/support/status_matchers.h"

namespace content::testing {

void StoreTest::Reopen(const KvArticleStoreOptions& options) {
  store_.reset();
  engine_.reset();
  if (GetParam() == EngineKind::kRocksDb) {
    RocksDbOptions engine_options;
    engine_options.path = dir_.path();
    absl::StatusOr<std::unique_ptr<RocksDbEngine>> engine =
        RocksDbEngine::Open(engine_options);
    ASSERT_THAT(engine, IsOk());
    engine_ = std::move(*engine);
  } else {
    engine_ = std::make_unique<MemoryEngine>(volume_);
  }
  absl::StatusOr<std::unique_ptr<KvArticleStore>> store =
      KvArticleStore::Open(engine_.get(), options);
  ASSERT_THAT(store, IsOk());
  store_ = std::move(*store);
}

std::string EngineName(const ::testing::TestParamInfo<EngineKind>& info) {
  return info.param == EngineKind::kRocksDb ? "RocksDb" : "Memory";
}

}  // namespace content::testing
