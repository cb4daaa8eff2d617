#ifndef CONTENT_TESTS_STORAGE_STORE_FIXTURE_H_
#define CONTENT_TESTS_STORAGE_STORE_FIXTURE_H_

// The store conformance suite's fixture: the ArticleStore on each engine
// (KvArticleStore on RocksDB and in memory) and in replicated mode
// (ReplicatedArticleStore on RocksDB, its log on an etcd this process
// starts). Suites written against it run, through INSTANTIATE_ENGINES, on
// each, so they test the ArticleStore contract, not one implementation. A
// build compiled with CONTENT_STORE_REPLICATED instantiates the replicated
// kind only (its tests need etcd-server: CTest label etcd).

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "storage/engine.h"
#include "storage/kv_article_store.h"
#include "storage/memory/memory_engine.h"
#include "tests/support/temp_dir.h"

namespace content::testing {

enum class EngineKind { kRocksDb, kMemory, kReplicated };

class StoreTest : public ::testing::TestWithParam<EngineKind> {
 protected:
  void SetUp() override { Reopen(); }

  // Closes the store and its engine and opens them again on the same data
  // (RocksDB's directory; the memory engine's volume).
  void Reopen(const KvArticleStoreOptions& options = {});

  ArticleStore* store() { return store_.get(); }
  KvEngine* engine() { return engine_.get(); }

  // Whether revisions count writes without gaps (1, 2, 3...): in a store of
  // one process. In replicated mode a revision is the entry's etcd
  // revision: it grows, with gaps, and advances with every entry, one that
  // changes nothing included.
  bool dense_revisions() const { return GetParam() != EngineKind::kReplicated; }
  // Whether concurrent writes get distinct revisions (in replicated mode
  // those that share a log entry share its revision).
  bool revision_per_write() const { return dense_revisions(); }

  // Whether `revision` is the first revision after `previous`: previous + 1
  // with dense revisions, above it otherwise.
  ::testing::AssertionResult IsNextRevision(int64_t previous,
                                            int64_t revision) const {
    if (dense_revisions() ? revision == previous + 1 : revision > previous) {
      return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure()
           << "revision " << revision << " does not follow " << previous;
  }

 private:
  TempDir dir_;
  std::shared_ptr<MemoryEngine::Volume> volume_ =
      std::make_shared<MemoryEngine::Volume>();
  std::string prefix_;  // replicated: this test's etcd keys
  std::unique_ptr<KvEngine> engine_;
  std::unique_ptr<ArticleStore> store_;  // after engine_: closed first
};

std::string EngineName(const ::testing::TestParamInfo<EngineKind>& info);

}  // namespace content::testing

// Runs the StoreTest subclass `suite` on every engine (or, built with
// CONTENT_STORE_REPLICATED, in replicated mode).
#ifdef CONTENT_STORE_REPLICATED
#define INSTANTIATE_ENGINES(suite)                                    \
  INSTANTIATE_TEST_SUITE_P(                                           \
      Replicated, suite,                                              \
      ::testing::Values(::content::testing::EngineKind::kReplicated), \
      ::content::testing::EngineName)
#else
#define INSTANTIATE_ENGINES(suite)                                \
  INSTANTIATE_TEST_SUITE_P(                                       \
      Engines, suite,                                             \
      ::testing::Values(::content::testing::EngineKind::kRocksDb, \
                        ::content::testing::EngineKind::kMemory), \
      ::content::testing::EngineName)
#endif

#endif  // CONTENT_TESTS_STORAGE_STORE_FIXTURE_H_
