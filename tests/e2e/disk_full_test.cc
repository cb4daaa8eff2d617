// A full disk under the real content-server binary: writes fail with
// RESOURCE_EXHAUSTED once less than min_free_disk_mb is free, reads go on,
// the process stays up, writes resume once space is back, and a restart on
// the full disk serves reads. Needs to mount a small tmpfs (root): CTest label
// "root"; skipped where mounting is not allowed.

#include <sys/mount.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/article_client.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace content {
namespace {

using ::content::testing::IsOk;
using ::content::testing::StatusIs;

constexpr int kVolumeMiB = 96;
constexpr int kReserveMiB = 24;  // a file deleted to give space back

// A tmpfs of kVolumeMiB mounted on a fresh directory while in scope.
class SmallVolume {
 public:
  SmallVolume() {
    mounted_ = mount("tmpfs", dir_.path().c_str(), "tmpfs", 0,
                     absl::StrCat("size=", kVolumeMiB, "m").c_str()) == 0;
  }
  ~SmallVolume() {
    if (mounted_) umount2(dir_.path().c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& path() const { return dir_.path(); }

 private:
  testing::TempDir dir_;
  bool mounted_ = false;
};

v1::Article Large(int i) {
  v1::Article article;
  article.set_web_url(absl::StrCat("https://full.example/", i));
  article.set_title(absl::StrCat("Article ", i));
  article.set_body(std::string(100 << 10, static_cast<char>('a' + i % 26)));
  return article;
}

TEST(DiskFullTest, WritesFailResourceExhaustedReadsGoOnAndWritesResume) {
  SmallVolume volume;
  if (!volume.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here";
  const std::string reserve = volume.path() + "/reserve";
  std::ofstream(reserve) << std::string(kReserveMiB << 20, 'r');
  const std::string data = volume.path() + "/data";
  testing::ServerProcess server(data, {"--min_free_disk_mb=16"});
  ASSERT_TRUE(server.started());
  ArticleClient client(CreateArticleChannel(server.address()));

  // Fill the volume: 100 KB puts until one fails.
  absl::Status failed;
  int stored = 0;
  const absl::Time end = absl::Now() + absl::Seconds(120);
  while (stored < 2000 && absl::Now() < end) {
    failed = client.PutArticle(Large(stored)).status();
    if (!failed.ok()) break;
    ++stored;
  }
  ASSERT_GT(stored, 0);
  EXPECT_THAT(failed, StatusIs(absl::StatusCode::kResourceExhausted));
  // The process is up and reads go on.
  EXPECT_THAT(client.GetArticle(Large(0).web_url()), IsOk());
  EXPECT_THAT(client.GetArticle(Large(stored - 1).web_url()), IsOk());

  // Space comes back: writes resume by themselves.
  std::filesystem::remove(reserve);
  const absl::Time freed = absl::Now();
  absl::Status resumed;
  while (absl::Now() < freed + absl::Seconds(60)) {
    resumed = client.PutArticle(Large(stored)).status();
    if (resumed.ok()) break;
    absl::SleepFor(absl::Milliseconds(500));
  }
  EXPECT_THAT(resumed, IsOk());
  std::cout << stored << " puts of 100 KB filled a " << kVolumeMiB
            << " MiB volume (" << failed.message() << "); writes resumed "
            << absl::FormatDuration(absl::Now() - freed) << " after "
            << kReserveMiB << " MiB were freed\n";

  // A restart on the full disk serves reads.
  std::ofstream(reserve) << std::string(kReserveMiB << 20, 'r');
  ASSERT_EQ(server.Stop(SIGTERM), 0) << server.log();
  testing::ServerProcess again(data, {"--min_free_disk_mb=16"});
  ASSERT_TRUE(again.started());
  ArticleClient reader(CreateArticleChannel(again.address()));
  EXPECT_THAT(reader.GetArticle(Large(1).web_url()), IsOk());
}

}  // namespace
}  // namespace content
