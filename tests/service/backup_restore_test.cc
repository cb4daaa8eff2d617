// Online backup with `contentctl backup` while writes go on, and restore
// with ContentServer::Restore: the restored store holds exactly the writes
// up to the backup's revision.

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "backup/backup_format.h"
#include "client/article_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/content_server.h"
#include "storage/rocksdb/rocksdb_engine.h"
#include "tests/support/contentctl_in_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace content {
namespace {

using ::content::testing::IsOk;
using ::content::testing::LoopbackConfig;
using ::content::testing::StatusIs;
using ::testing::HasSubstr;

v1::Article NewArticle(const std::string& name) {
  v1::Article article;
  article.set_web_url(absl::StrCat("https://news.example/", name));
  article.set_original_url(absl::StrCat("https://origin.example/", name));
  article.set_title(absl::StrCat("Title of ", name));
  article.set_body(std::string(2000, 'b'));
  return article;
}

testing::CommandResult Contentctl(const std::string& address,
                                  std::vector<std::string> args) {
  args.insert(args.begin(), {"--server", address});
  return testing::RunContentctlInProcess(args);
}

TEST(BackupRestoreTest, RestoresExactlyTheStateOfTheBackupsRevision) {
  testing::TempDir dir;
  const std::string backup = dir.path() + "/backup";
  absl::StatusOr<std::unique_ptr<ContentServer>> source = ContentServer::Start(
      LoopbackConfig(dir.path() + "/source"), RocksDbEngine::OpenEngine);
  ASSERT_THAT(source, IsOk());
  ArticleClient client(CreateArticleChannel((*source)->address()));

  // url -> revision of its acknowledged put; all URLs are distinct.
  std::mutex mu;
  std::map<std::string, int64_t> acknowledged;
  const auto put = [&](const std::string& name) {
    absl::StatusOr<v1::Article> stored = client.PutArticle(NewArticle(name));
    ASSERT_THAT(stored, IsOk());
    std::lock_guard<std::mutex> lock(mu);
    acknowledged[stored->web_url()] = stored->revision();
  };
  for (int i = 0; i < 50; ++i) put(absl::StrCat("before-", i));

  // Writes go on while the backup runs (bounded: at most 2,000).
  std::atomic<bool> backing_up{true};
  std::thread writer([&] {
    for (int i = 0; i < 2000 && backing_up; ++i)
      put(absl::StrCat("during-", i));
  });
  const testing::CommandResult backed_up =
      Contentctl((*source)->address(), {"backup", backup});
  backing_up = false;
  writer.join();
  ASSERT_EQ(backed_up.exit_code, 0) << backed_up.err;
  std::smatch match;
  ASSERT_TRUE(std::regex_search(backed_up.out, match,
                                std::regex("backed up revision ([0-9]+)")))
      << backed_up.out;
  int64_t backup_revision = 0;
  ASSERT_TRUE(absl::SimpleAtoi(match[1].str(), &backup_revision));
  EXPECT_FALSE(std::filesystem::exists(backup + ".partial"));

  // After the backup: more puts and a delete the restore must not show.
  put("after");
  ASSERT_THAT(client.DeleteArticle("https://news.example/before-0"), IsOk());
  (*source)->Shutdown();

  ServerConfig restored_config = LoopbackConfig(dir.path() + "/restored");
  restored_config.restore_from = backup;
  ASSERT_THAT(ContentServer::Restore(restored_config), IsOk());
  EXPECT_THAT(ContentServer::Restore(restored_config).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  restored_config.restore_from.clear();
  absl::StatusOr<std::unique_ptr<ContentServer>> restored =
      ContentServer::Start(restored_config, RocksDbEngine::OpenEngine);
  ASSERT_THAT(restored, IsOk());
  ArticleClient reader(CreateArticleChannel((*restored)->address()));

  std::map<std::string, int64_t> expected;
  for (const auto& [url, revision] : acknowledged) {
    if (revision <= backup_revision) expected[url] = revision;
  }
  std::map<std::string, int64_t> found;
  ArticlePager pager =
      reader.ListAllArticles(ListQuery{500, /*filter=*/"", /*order_by=*/""});
  while (pager.HasNext()) {
    absl::StatusOr<std::vector<v1::Article>> page = pager.NextPage();
    ASSERT_THAT(page, IsOk());
    for (const v1::Article& article : *page) {
      found[article.web_url()] = article.revision();
    }
  }
  EXPECT_EQ(found, expected);
  EXPECT_GE(expected.size(), 50u);
  // Aliases came along.
  EXPECT_THAT(reader.GetArticle("https://origin.example/before-0"), IsOk());

  const testing::CommandResult verified =
      Contentctl((*restored)->address(), {"verify"});
  EXPECT_EQ(verified.exit_code, 0) << verified.err;
  EXPECT_THAT(verified.out,
              ::testing::ContainsRegex("state digest [0-9a-f]{64}\n"));
}

TEST(BackupRestoreTest, RefusesDamagedOrUnfinishedBackups) {
  testing::TempDir dir;
  const std::string backup = dir.path() + "/backup";
  {
    absl::StatusOr<std::unique_ptr<ContentServer>> source =
        ContentServer::Start(LoopbackConfig(dir.path() + "/source"),
                             RocksDbEngine::OpenEngine);
    ASSERT_THAT(source, IsOk());
    ArticleClient client(CreateArticleChannel((*source)->address()));
    ASSERT_THAT(client.PutArticle(NewArticle("x")), IsOk());
    const testing::CommandResult first =
        Contentctl((*source)->address(), {"backup", backup});
    ASSERT_EQ(first.exit_code, 0) << first.err;
    const testing::CommandResult again =
        Contentctl((*source)->address(), {"backup", backup});
    EXPECT_EQ(again.exit_code, 1);
    EXPECT_THAT(again.err, HasSubstr("already exists"));
  }
  ServerConfig config = LoopbackConfig(dir.path() + "/restored");
  config.restore_from = backup;

  // Damage one file: restore names it and leaves no database behind.
  std::string victim;
  for (const auto& entry : std::filesystem::directory_iterator(backup)) {
    if (entry.path().extension() == ".sst") victim = entry.path().string();
  }
  ASSERT_FALSE(victim.empty());
  std::filesystem::resize_file(victim, 10);
  EXPECT_THAT(ContentServer::Restore(config).status(),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_FALSE(std::filesystem::exists(config.data_dir + "/db"));

  std::filesystem::remove(std::filesystem::path(backup) / kBackupManifestName);
  EXPECT_THAT(ContentServer::Restore(config).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace content
