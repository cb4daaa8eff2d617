#include "service/page_token.h"

#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace content {
namespace {

using ::content::testing::IsOk;
using ::content::testing::StatusIs;

TEST(PageTokenCodecTest, DecodesWhatItEncoded) {
  const PageTokenCodec codec("0123456789abcdef0123456789abcdef");
  for (const std::string& key :
       {std::string(""), std::string("https://a.example/x?y=1"),
        std::string("with\0nul", 8)}) {
    absl::StatusOr<std::string> decoded =
        codec.Decode(codec.Encode("scope", key), "scope");
    ASSERT_THAT(decoded, IsOk());
    EXPECT_EQ(*decoded, key);
  }
}

TEST(PageTokenCodecTest, RejectsTokensOfAnotherSecret) {
  const PageTokenCodec mine("0123456789abcdef0123456789abcdef");
  const PageTokenCodec theirs("fedcba9876543210fedcba9876543210");
  EXPECT_THAT(mine.Decode(theirs.Encode("", "https://a.example/"), ""),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(PageTokenCodecTest, RejectsTokensOfAnotherQuery) {
  const PageTokenCodec codec("0123456789abcdef0123456789abcdef");
  const std::string token = codec.Encode("topics:AI", "position");
  EXPECT_THAT(codec.Decode(token, "topics:AI"), IsOk());
  const absl::Status other = codec.Decode(token, "topics:Go").status();
  EXPECT_THAT(other, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(other.message()),
              ::testing::HasSubstr("another query"));
}

TEST(PageTokenCodecTest, RejectsEveryAlteredByte) {
  const PageTokenCodec codec("0123456789abcdef0123456789abcdef");
  const std::string token = codec.Encode("", "https://a.example/");
  for (size_t i = 0; i < token.size(); ++i) {
    std::string altered = token;
    altered[i] = altered[i] == 'x' ? 'y' : 'x';
    EXPECT_THAT(codec.Decode(altered, ""),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << "position " << i;
  }
  EXPECT_THAT(codec.Decode("%%%", ""),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(codec.Decode(token.substr(0, token.size() - 4), ""),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(LoadOrCreateTokenSecretTest, CreatesOnceThenReadsTheSameSecret) {
  const content::testing::TempDir dir;
  const std::string path = dir.path() + "/secret";
  absl::StatusOr<std::string> first = LoadOrCreateTokenSecret(path);
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->size(), 32u);
  absl::StatusOr<std::string> second = LoadOrCreateTokenSecret(path);
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(*first, *second);
}

TEST(LoadOrCreateTokenSecretTest, RejectsAShortSecretFile) {
  const content::testing::TempDir dir;
  const std::string path = dir.path() + "/secret";
  std::ofstream(path) << "short";
  EXPECT_THAT(LoadOrCreateTokenSecret(path),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace content
