// End-to-end: documents in and out through the real binaries.

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/article_client.h"
#include "document/article_document.h"
#include "document/corpus_generator.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace content {
namespace {

using ::content::testing::CommandResult;
using ::content::testing::IsOk;
using ::content::testing::RunCommand;
using ::content::testing::ServerProcess;
using ::content::testing::TempDir;
using ::content::testing::WithoutServerFields;
using ::google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;

constexpr int kGenerated = 300;

CommandResult Contentctl(std::vector<std::string> args) {
  args.insert(args.begin(), CONTENTCTL_BIN);
  return RunCommand(args);
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::set<std::string> FilesIn(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.insert(entry.path().filename().string());
  }
  return names;
}

class ImportExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    corpus_ = work_.path() + "/corpus";
    ASSERT_EQ(Contentctl({"generate", "--count", absl::StrCat(kGenerated),
                          "--seed", "7", "--out", corpus_ + "/generated"})
                  .exit_code,
              0);
    std::filesystem::copy_file(
        content::testing::TestDataPath("seed_document.txt"),
        corpus_ + "/seed.md");
  }

  TempDir work_;
  TempDir data_;
  std::string corpus_;
};

TEST_F(ImportExportTest, ImportsGoodDocumentsNamesBadOnesAndRoundTrips) {
  std::filesystem::create_directories(corpus_ + "/bad");
  WriteFile(corpus_ + "/bad/no_front_matter.md", "# Only markdown\n");
  WriteFile(
      corpus_ + "/bad/bad_date.md",
      "---\nwebUrl: https://bad.example/1\npublishedDateTime: soon\n---\n");
  WriteFile(corpus_ + "/bad/ftp.md", "---\nwebUrl: ftp://bad.example/2\n---\n");
  // Passes the codec, fails the server's validation.
  WriteFile(
      corpus_ + "/bad/image_url.md",
      "---\nwebUrl: https://bad.example/3\nimages:\n  - url: nowhere\n---\n");

  ServerProcess server(data_.path());
  ASSERT_TRUE(server.started());
  const std::string address = server.address();

  CommandResult imported = Contentctl({"--server", address, "import", corpus_});
  EXPECT_EQ(imported.exit_code, 1);
  EXPECT_THAT(imported.out, HasSubstr(absl::StrCat(
                                kGenerated + 5, " documents: ", kGenerated + 1,
                                " created, 0 updated, "
                                "0 unchanged, 4 failed")));
  EXPECT_THAT(imported.err,
              HasSubstr("no_front_matter.md:1:1: no front matter"));
  EXPECT_THAT(imported.err, HasSubstr("bad_date.md:3:20: publishedDateTime"));
  EXPECT_THAT(imported.err, HasSubstr("ftp.md:2:9: webUrl"));
  EXPECT_THAT(imported.err, HasSubstr("image_url.md: article.images[0].url"));

  ArticleClient client(CreateArticleChannel(address));
  for (const char* url : {"https://bad.example/1", "https://bad.example/3"}) {
    EXPECT_FALSE(client.GetArticle(url).ok()) << url;
  }
  // Stored field for field; originalUrl (some with tracking parameters)
  // resolves to the article.
  const CorpusGenerator generator(7);
  for (int i = 0; i < kGenerated; i += 37) {
    const v1::Article expected = generator.Article(i);
    absl::StatusOr<v1::Article> stored =
        client.GetArticle(expected.original_url());
    ASSERT_THAT(stored, IsOk()) << expected.original_url();
    EXPECT_TRUE(
        MessageDifferencer::Equals(WithoutServerFields(*stored), expected))
        << i;
  }
  const int64_t revision =
      client.GetArticle(generator.Article(0).web_url())->revision();

  // Re-importing changes nothing.
  std::filesystem::remove_all(corpus_ + "/bad");
  imported = Contentctl({"--server", address, "import", corpus_});
  EXPECT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_THAT(imported.out,
              HasSubstr(absl::StrCat("0 created, 0 updated, ", kGenerated + 1,
                                     " unchanged, 0 failed")));
  EXPECT_EQ(client.GetArticle(generator.Article(0).web_url())->revision(),
            revision);

  // Export: one file per article, stable names; re-export gives the same.
  const std::string exported = work_.path() + "/exported";
  CommandResult result =
      Contentctl({"--server", address, "export", "--out", exported});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::set<std::string> names = FilesIn(exported);
  EXPECT_EQ(names.size(), static_cast<size_t>(kGenerated + 1));
  ASSERT_EQ(
      Contentctl({"--server", address, "export", "--out", exported}).exit_code,
      0);
  EXPECT_EQ(FilesIn(exported), names);

  // `get --output yaml` prints the same document the export wrote.
  const v1::Article first = generator.Article(0);
  result = Contentctl(
      {"--server", address, "get", first.web_url(), "--output", "yaml"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(MessageDifferencer::Equals(
      *ParseArticleDocument(result.out, "stdout"), first));

  // Re-import the export into a fresh server: the same articles.
  TempDir other_data;
  ServerProcess other(other_data.path());
  ASSERT_TRUE(other.started());
  result = Contentctl({"--server", other.address(), "import", exported});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  ArticleClient other_client(CreateArticleChannel(other.address()));
  ArticlePager pager =
      client.ListAllArticles(ListQuery{100, /*filter=*/"", /*order_by=*/""});
  int compared = 0;
  while (pager.HasNext()) {
    absl::StatusOr<std::vector<v1::Article>> page = pager.NextPage();
    ASSERT_THAT(page, IsOk());
    for (const v1::Article& article : *page) {
      absl::StatusOr<v1::Article> copy =
          other_client.GetArticle(article.web_url());
      ASSERT_THAT(copy, IsOk());
      EXPECT_TRUE(MessageDifferencer::Equals(WithoutServerFields(*copy),
                                             WithoutServerFields(article)));
      ++compared;
    }
  }
  EXPECT_EQ(compared, kGenerated + 1);
}

TEST_F(ImportExportTest, DrawsAProgressLineOnATerminal) {
  ServerProcess server(data_.path());
  ASSERT_TRUE(server.started());
  // script(1) gives contentctl a pseudo-terminal for stdout and stderr.
  const CommandResult result =
      RunCommand({"/usr/bin/script", "-qec",
                  absl::StrCat(CONTENTCTL_BIN, " --server ", server.address(),
                               " import ", corpus_),
                  "/dev/null"});
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_THAT(result.out,
              HasSubstr(absl::StrCat("\rimporting ", kGenerated + 1, "/",
                                     kGenerated + 1, " (100%)")));
  EXPECT_THAT(result.out, HasSubstr("docs/s  ETA"));
  // Without a terminal there is no progress line.
  const CommandResult piped =
      Contentctl({"--server", server.address(), "import", corpus_});
  EXPECT_THAT(piped.err, ::testing::Not(HasSubstr("importing")));
}

TEST_F(ImportExportTest, MissingPathIsAFailure) {
  ServerProcess server(data_.path());
  ASSERT_TRUE(server.started());
  const CommandResult result = Contentctl(
      {"--server", server.address(), "import", work_.path() + "/nowhere"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("nowhere: no such file or directory"));
}

}  // namespace
}  // namespace content
