// What only the RocksDB engine has: I/O faults (a full disk, a read-only
// database), where writes fail with a clear status, reads go on, nothing
// stored is damaged, and writes work again once the fault is gone; and
// checkpoints taken while writes go on.

#include "storage/rocksdb/rocksdb_engine.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/env.h"
#include "rocksdb/file_system.h"
#include "storage/kv_article_store.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace content {
namespace {

using ::content::testing::IsOk;
using ::content::testing::StatusIs;
using ::testing::HasSubstr;

// Fails every append with NoSpace while `full` is set, as a full disk does.
class FullDiskFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  explicit FullDiskFileSystem(const std::atomic<bool>* full)
      : FileSystemWrapper(rocksdb::FileSystem::Default()), full_(full) {}

  static const char* kClassName() { return "FullDiskFileSystem"; }
  const char* Name() const override { return kClassName(); }

  rocksdb::IOStatus NewWritableFile(
      const std::string& name, const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSWritableFile>* file,
      rocksdb::IODebugContext* debug) override {
    const rocksdb::IOStatus status =
        target()->NewWritableFile(name, options, file, debug);
    if (status.ok()) *file = std::make_unique<File>(std::move(*file), full_);
    return status;
  }

 private:
  class File final : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    File(std::unique_ptr<rocksdb::FSWritableFile> file,
         const std::atomic<bool>* full)
        : FSWritableFileOwnerWrapper(std::move(file)), full_(full) {}

    rocksdb::IOStatus Append(const rocksdb::Slice& data,
                             const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* debug) override {
      if (*full_) return rocksdb::IOStatus::NoSpace("disk full (test)");
      return FSWritableFileOwnerWrapper::Append(data, options, debug);
    }

   private:
    const std::atomic<bool>* full_;
  };

  const std::atomic<bool>* full_;
};

// The article store on a RocksDB engine.
struct Store {
  std::unique_ptr<RocksDbEngine> engine;
  std::unique_ptr<KvArticleStore> articles;

  KvArticleStore* operator->() const { return articles.get(); }
};

Store OpenStore(const RocksDbOptions& options) {
  Store store;
  absl::StatusOr<std::unique_ptr<RocksDbEngine>> engine =
      RocksDbEngine::Open(options);
  EXPECT_THAT(engine, IsOk());
  if (!engine.ok()) return store;
  store.engine = std::move(*engine);
  absl::StatusOr<std::unique_ptr<KvArticleStore>> articles =
      KvArticleStore::Open(store.engine.get());
  EXPECT_THAT(articles, IsOk());
  if (articles.ok()) store.articles = std::move(*articles);
  return store;
}

RocksDbOptions OptionsFor(const std::string& path) {
  RocksDbOptions options;
  options.path = path;
  return options;
}

ArticleMutation Put(const std::string& key) {
  ArticleMutation mutation;
  mutation.key = key;
  mutation.article.set_web_url(key);
  mutation.article.set_title("T");
  return mutation;
}

TEST(RocksDbEngineTest, AFullDiskFailsWritesButNotReadsAndPassesOver) {
  testing::TempDir dir;
  std::atomic<bool> full{false};
  const auto file_system = std::make_shared<FullDiskFileSystem>(&full);
  const std::unique_ptr<rocksdb::Env> env =
      rocksdb::NewCompositeEnv(file_system);
  RocksDbOptions options = OptionsFor(dir.path());
  options.env = env.get();
  {
    const Store store = OpenStore(options);
    ASSERT_NE(store.articles, nullptr);
    ASSERT_THAT(store->Write({Put("https://a.example/before")}), IsOk());

    full = true;
    const absl::Status failed =
        store->Write({Put("https://a.example/lost")}).status();
    EXPECT_THAT(failed, StatusIs(absl::StatusCode::kResourceExhausted));
    EXPECT_THAT(failed.message(), HasSubstr("disk full"));
    EXPECT_THAT(store->Get("https://a.example/before"), IsOk());
    EXPECT_THAT(store->Get("https://a.example/lost").status(),
                StatusIs(absl::StatusCode::kNotFound));
    EXPECT_EQ(store->LastRevision(), 1);

    full = false;
    // RocksDB recovers from a full disk in the background, polling for
    // space; meanwhile writes fail as UNAVAILABLE. Bounded: 60 s.
    absl::Status status;
    for (int attempt = 0; attempt < 600; ++attempt) {
      status = store->Write({Put("https://a.example/after")}).status();
      if (status.ok()) break;
      EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnavailable));
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_THAT(status, IsOk());
    EXPECT_EQ(store->LastRevision(), 2);
  }
  const Store reopened = OpenStore(options);
  ASSERT_NE(reopened.articles, nullptr);
  EXPECT_THAT(reopened->Get("https://a.example/before"), IsOk());
  EXPECT_THAT(reopened->Get("https://a.example/after"), IsOk());
  EXPECT_THAT(reopened->Get("https://a.example/lost").status(),
              StatusIs(absl::StatusCode::kNotFound));
  absl::StatusOr<VerifyReport> report = reopened->Verify(
      [](absl::string_view, const v1::Article&) { return std::string(); });
  ASSERT_THAT(report, IsOk());
  EXPECT_TRUE(report->problems.empty());
}

TEST(RocksDbEngineTest, AReadOnlyStoreServesReadsAndRefusesWrites) {
  testing::TempDir dir;
  {
    const Store store = OpenStore(OptionsFor(dir.path()));
    ASSERT_NE(store.articles, nullptr);
    ASSERT_THAT(store->Write({Put("https://a.example/kept")}), IsOk());
  }
  RocksDbOptions options = OptionsFor(dir.path());
  options.read_only = true;
  const Store store = OpenStore(options);
  ASSERT_NE(store.articles, nullptr);
  EXPECT_THAT(store->Get("https://a.example/kept"), IsOk());
  EXPECT_THAT(store->Write({Put("https://a.example/new")}).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(store->LastRevision(), 1);
}

TEST(RocksDbEngineTest, CheckpointDuringWritesHoldsExactlyItsRevision) {
  testing::TempDir dir;
  const Store store = OpenStore(OptionsFor(dir.path() + "/db"));
  ASSERT_NE(store.articles, nullptr);
  constexpr int kThreads = 4;
  constexpr int kWritesPerThread = 50;
  std::vector<std::vector<v1::Article>> written(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        absl::StatusOr<MutationResult> result =
            store->WriteOne(Put(absl::StrCat("https://", t, ".example/", i)));
        EXPECT_THAT(result, IsOk());
        if (result.ok()) written[t].push_back(result->article);
      }
    });
  }
  const std::string checkpoint = dir.path() + "/checkpoint";
  absl::StatusOr<int64_t> revision = store.engine->Checkpoint(checkpoint);
  for (std::thread& thread : threads) thread.join();
  ASSERT_THAT(revision, IsOk());

  const Store copy = OpenStore(OptionsFor(checkpoint));
  ASSERT_NE(copy.articles, nullptr);
  EXPECT_EQ(copy->LastRevision(), *revision);
  for (const std::vector<v1::Article>& mine : written) {
    for (const v1::Article& article : mine) {
      const bool expected = article.revision() <= *revision;
      EXPECT_EQ(copy->Get(article.web_url()).ok(), expected)
          << article.web_url() << " revision " << article.revision();
    }
  }
}

}  // namespace
}  // namespace content
