// The store under I/O faults: a full disk and a read-only database. Writes
// fail with a clear status, reads go on, nothing stored is damaged, and
// writes work again once the fault is gone.

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/env.h"
#include "rocksdb/file_system.h"
#include "storage/rocksdb_article_store.h"
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

ArticleMutation Put(const std::string& key) {
  ArticleMutation mutation;
  mutation.key = key;
  mutation.article.set_web_url(key);
  mutation.article.set_title("T");
  return mutation;
}

TEST(StoreFaultsTest, AFullDiskFailsWritesButNotReadsAndPassesOver) {
  testing::TempDir dir;
  std::atomic<bool> full{false};
  const auto file_system = std::make_shared<FullDiskFileSystem>(&full);
  const std::unique_ptr<rocksdb::Env> env =
      rocksdb::NewCompositeEnv(file_system);
  RocksDbOptions options{dir.path()};
  options.env = env.get();
  {
    absl::StatusOr<std::unique_ptr<RocksDbArticleStore>> store =
        RocksDbArticleStore::Open(options);
    ASSERT_THAT(store, IsOk());
    ASSERT_THAT((*store)->Write({Put("https://a.example/before")}), IsOk());

    full = true;
    const absl::Status failed =
        (*store)->Write({Put("https://a.example/lost")}).status();
    EXPECT_THAT(failed, StatusIs(absl::StatusCode::kResourceExhausted));
    EXPECT_THAT(failed.message(), HasSubstr("disk full"));
    EXPECT_THAT((*store)->Get("https://a.example/before"), IsOk());
    EXPECT_THAT((*store)->Get("https://a.example/lost").status(),
                StatusIs(absl::StatusCode::kNotFound));
    EXPECT_EQ((*store)->LastRevision(), 1);

    full = false;
    // RocksDB recovers from a full disk in the background, polling for
    // space; meanwhile writes fail as UNAVAILABLE. Bounded: 60 s.
    absl::Status status;
    for (int attempt = 0; attempt < 600; ++attempt) {
      status = (*store)->Write({Put("https://a.example/after")}).status();
      if (status.ok()) break;
      EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnavailable));
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_THAT(status, IsOk());
    EXPECT_EQ((*store)->LastRevision(), 2);
  }
  absl::StatusOr<std::unique_ptr<RocksDbArticleStore>> reopened =
      RocksDbArticleStore::Open(options);
  ASSERT_THAT(reopened, IsOk());
  EXPECT_THAT((*reopened)->Get("https://a.example/before"), IsOk());
  EXPECT_THAT((*reopened)->Get("https://a.example/after"), IsOk());
  EXPECT_THAT((*reopened)->Get("https://a.example/lost").status(),
              StatusIs(absl::StatusCode::kNotFound));
  absl::StatusOr<RocksDbArticleStore::VerifyReport> report =
      (*reopened)->Verify(
          [](absl::string_view, const v1::Article&) { return std::string(); });
  ASSERT_THAT(report, IsOk());
  EXPECT_TRUE(report->problems.empty());
}

TEST(StoreFaultsTest, AReadOnlyStoreServesReadsAndRefusesWrites) {
  testing::TempDir dir;
  {
    absl::StatusOr<std::unique_ptr<RocksDbArticleStore>> store =
        RocksDbArticleStore::Open({dir.path()});
    ASSERT_THAT(store, IsOk());
    ASSERT_THAT((*store)->Write({Put("https://a.example/kept")}), IsOk());
  }
  RocksDbOptions options{dir.path()};
  options.read_only = true;
  absl::StatusOr<std::unique_ptr<RocksDbArticleStore>> store =
      RocksDbArticleStore::Open(options);
  ASSERT_THAT(store, IsOk());
  EXPECT_THAT((*store)->Get("https://a.example/kept"), IsOk());
  EXPECT_THAT((*store)->Write({Put("https://a.example/new")}).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ((*store)->LastRevision(), 1);
}

}  // namespace
}  // namespace content
