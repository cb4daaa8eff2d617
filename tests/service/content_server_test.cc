// ContentServer::Start over a data_dir that a crash left behind: it starts,
// and removes what the crash left.

#include "service/content_server.h"

#include <filesystem>
#include <fstream>
#include <string>

#include "base/whole_file.h"
#include "gtest/gtest.h"
#include "storage/rocksdb/rocksdb_engine.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace content {
namespace {

using ::content::testing::IsOk;
using ::content::testing::LoopbackConfig;
namespace fs = std::filesystem;

TEST(ContentServerTest, StartsAfterACrashWhileCreatingThePageTokenSecret) {
  testing::TempDir dir;
  std::ofstream(dir.path() + "/page_token_secret");  // created, never written
  absl::StatusOr<std::unique_ptr<ContentServer>> server = ContentServer::Start(
      LoopbackConfig(dir.path()), RocksDbEngine::OpenEngine);
  ASSERT_THAT(server, IsOk());
  EXPECT_EQ(fs::file_size(dir.path() + "/page_token_secret"), 32u);
}

TEST(ContentServerTest, StartRemovesBackupScratchAndTemporaryFiles) {
  testing::TempDir dir;
  const fs::path data(dir.path());
  {
    absl::StatusOr<std::unique_ptr<ContentServer>> first = ContentServer::Start(
        LoopbackConfig(dir.path()), RocksDbEngine::OpenEngine);
    ASSERT_THAT(first, IsOk());
  }
  const absl::StatusOr<std::string> secret =
      ReadWholeFile(dir.path() + "/page_token_secret");
  ASSERT_THAT(secret, IsOk());
  // What a SIGKILL during a backup and during an atomic write leaves.
  fs::create_directories(data / "scratch" / "backup-123-0");
  std::ofstream(data / "scratch" / "backup-123-0" / "000012.sst") << "x";
  std::ofstream(data / "page_token_secret.tmp-999") << "partial";

  absl::StatusOr<std::unique_ptr<ContentServer>> server = ContentServer::Start(
      LoopbackConfig(dir.path()), RocksDbEngine::OpenEngine);
  ASSERT_THAT(server, IsOk());
  EXPECT_FALSE(fs::exists(data / "scratch" / "backup-123-0"));
  EXPECT_FALSE(fs::exists(data / "page_token_secret.tmp-999"));
  // The secret is kept, so page tokens stay valid across the restart.
  EXPECT_EQ(*ReadWholeFile(dir.path() + "/page_token_secret"), *secret);
}

}  // namespace
}  // namespace content
