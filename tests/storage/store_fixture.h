#ifndef CONTENT_TESTS_STORAGE_STORE_FIXTURE_H_
#define CONTENT_TESTS_STORAGE_STORE_FIXTURE_H_

// The store conformance suite's fixture: a KvArticleStore on each engine.
// Suites written against it run, through INSTANTIATE_ENGINES, on every
// engine, so they test the ArticleStore contract, not one engine.

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "storage/engine.h"
#include "storage/kv_article_store.h"
#include "storage/memory/memory_engine.h"
#include "tests/support/temp_dir.h"

namespace content::testing {

enum class EngineKind { kRocksDb, kMemory };

class StoreTest : public ::testing::TestWithParam<EngineKind> {
 protected:
  void SetUp() override { Reopen(); }

  // Closes the store and its engine and opens them again on the same data
  // (RocksDB's directory; the memory engine's volume).
  void Reopen(const KvArticleStoreOptions& options = {});

  ArticleStore* store() { return store_.get(); }
  KvEngine* engine() { return engine_.get(); }

 private:
  TempDir dir_;
  std::shared_ptr<MemoryEngine::Volume> volume_ =
      std::make_shared<MemoryEngine::Volume>();
  std::unique_ptr<KvEngine> engine_;
  std::unique_ptr<KvArticleStore> store_;  // after engine_: closed first
};

std::string EngineName(const ::testing::TestParamInfo<EngineKind>& info);

}  // namespace content::testing

// Runs the StoreTest subclass `suite` on every engine.
#define INSTANTIATE_ENGINES(suite)                                \
  INSTANTIATE_TEST_SUITE_P(                                       \
      Engines, suite,                                             \
      ::testing::Values(::content::testing::EngineKind::kRocksDb, \
                        ::content::testing::EngineKind::kMemory), \
      ::content::testing::EngineName)

#endif  // CONTENT_TESTS_STORAGE_STORE_FIXTURE_H_
