// Operators' path: buf curl (npm @bufbuild/buf) against the real
// content-server through server reflection. Needs buf: CTest label "buf".

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/article_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace content {
namespace {

using ::content::testing::CommandResult;
using ::content::testing::RunCommand;
using ::content::testing::ServerProcess;
using ::content::testing::StatusIs;
using ::testing::HasSubstr;

class BufCurlE2eTest : public ::testing::Test {
 protected:
  content::testing::TempDir data_;
};

// `buf curl` of `path` on `address` through reflection, with `data` as the
// request when it is not empty, speaking reflection `protocol` ("grpc-v1"
// or "grpc-v1alpha"; empty: buf's default, v1 falling back to v1alpha).
CommandResult BufCurl(const std::string& address, const std::string& path,
                      const std::string& data = "",
                      const std::string& protocol = "") {
  std::vector<std::string> args = {BUF_BIN, "curl", "--protocol", "grpc",
                                   "--http2-prior-knowledge"};
  if (!protocol.empty()) {
    args.insert(args.end(), {"--reflect-protocol", protocol});
  }
  if (!data.empty()) args.insert(args.end(), {"--data", data});
  args.push_back(absl::StrCat("http://", address, path));
  return RunCommand(args);
}

TEST_F(BufCurlE2eTest, BufCurlReachesHealthAndArticlesThroughReflection) {
  ServerProcess server(data_.path());
  ASSERT_TRUE(server.started());
  const CommandResult health =
      BufCurl(server.address(), "/grpc.health.v1.Health/Check");
  ASSERT_EQ(health.exit_code, 0) << health.err;
  EXPECT_THAT(health.out, HasSubstr("SERVING"));

  const CommandResult put = BufCurl(
      server.address(), "/content.v1.ArticleService/PutArticle",
      R"({"article": {"webUrl": "https://a.example/x", "title": "X"}})");
  ASSERT_EQ(put.exit_code, 0) << put.err;
  EXPECT_THAT(put.out, HasSubstr("\"revision\": \"1\""));

  const CommandResult missing =
      BufCurl(server.address(), "/content.v1.ArticleService/GetArticle",
              R"({"url": "https://a.example/none"})");
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_THAT(missing.out + missing.err, HasSubstr("not_found"));
}

TEST_F(BufCurlE2eTest, ReflectionSpeaksV1AndV1alphaAndDescribesErrorDetails) {
  ServerProcess server(data_.path());
  ASSERT_TRUE(server.started());
  for (const std::string version : {"v1", "v1alpha"}) {
    const CommandResult health =
        BufCurl(server.address(), "/grpc.health.v1.Health/Check", "",
                "grpc-" + version);
    EXPECT_EQ(health.exit_code, 0) << version << ": " << health.err;
    EXPECT_THAT(health.out, HasSubstr("SERVING")) << version;
    // The types of the details our errors carry resolve by name.
    const CommandResult details =
        BufCurl(server.address(),
                absl::StrCat("/grpc.reflection.", version,
                             ".ServerReflection/ServerReflectionInfo"),
                R"({"file_containing_symbol": "google.rpc.BadRequest"})");
    EXPECT_EQ(details.exit_code, 0) << version << ": " << details.err;
    EXPECT_THAT(details.out, HasSubstr("fileDescriptorProto")) << version;
  }
}

TEST_F(BufCurlE2eTest, ReflectionCanBeTurnedOff) {
  ServerProcess server(data_.path(), {"--reflection=false"});
  ASSERT_TRUE(server.started());
  const CommandResult health =
      BufCurl(server.address(), "/grpc.health.v1.Health/Check");
  EXPECT_NE(health.exit_code, 0);
  EXPECT_THAT(health.err, HasSubstr("failed to find service"));
  // The services themselves still answer.
  ArticleClient client(CreateArticleChannel(server.address()));
  EXPECT_THAT(client.GetArticle("https://a.example/none"),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace content
