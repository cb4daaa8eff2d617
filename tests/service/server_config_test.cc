#include "service/server_config.h"

#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace content {
namespace {

using ::content::testing::IsOk;
using ::content::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ServerConfigTest : public ::testing::Test {
 protected:
  std::string WriteConfig(const std::string& yaml) {
    const std::string path = dir_.path() + "/config.yaml";
    std::ofstream(path) << yaml;
    return path;
  }

  absl::StatusOr<ServerConfig> Load(std::vector<std::string> args,
                                    std::vector<std::string> env = {}) {
    args.insert(args.begin(), "content-server");
    std::vector<const char*> argv;
    for (const std::string& arg : args) argv.push_back(arg.c_str());
    std::vector<const char*> envp;
    for (const std::string& var : env) envp.push_back(var.c_str());
    envp.push_back(nullptr);
    return LoadServerConfig(static_cast<int>(argv.size()), argv.data(),
                            envp.data());
  }

  content::testing::TempDir dir_;
};

TEST_F(ServerConfigTest, DefaultsServeLoopbackFromDataInTheWorkingDirectory) {
  absl::StatusOr<ServerConfig> config = Load({});
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->listen, "127.0.0.1:50051");
  EXPECT_EQ(config->data_dir, "./data");
  EXPECT_TRUE(config->durable_writes);
}

TEST_F(ServerConfigTest, EnvironmentOverridesFileAndFlagsOverrideBoth) {
  const std::string path = WriteConfig(
      "listen: 127.0.0.1:1000\n"
      "data_dir: /from/file\n"
      "block_cache_mb: 8\n"
      "tracking_params: [ref, src_*]\n");
  absl::StatusOr<ServerConfig> config =
      Load({"--config", path, "--listen=127.0.0.1:3000"},
           {"CONTENT_LISTEN=127.0.0.1:2000", "CONTENT_DATA_DIR=/from/env",
            "CONTENT_UNRELATED=ignored"});
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->listen, "127.0.0.1:3000");
  EXPECT_EQ(config->data_dir, "/from/env");
  EXPECT_EQ(config->block_cache_mb, 8);
  EXPECT_THAT(config->tracking_params, ElementsAre("ref", "src_*"));
}

TEST_F(ServerConfigTest, ConfigFileMayComeFromTheEnvironment) {
  const std::string path = WriteConfig("durable_writes: false\n");
  absl::StatusOr<ServerConfig> config = Load({}, {"CONTENT_CONFIG=" + path});
  ASSERT_THAT(config, IsOk());
  EXPECT_FALSE(config->durable_writes);
}

TEST_F(ServerConfigTest, UnknownKeyInFileIsAnErrorNamingItsLine) {
  const std::string path = WriteConfig("listen: 127.0.0.1:1\nlisten_port: 5\n");
  absl::StatusOr<ServerConfig> config = Load({"--config", path});
  EXPECT_THAT(config, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(config.status().message(), HasSubstr("config.yaml:2"));
  EXPECT_THAT(config.status().message(), HasSubstr("listen_port"));
}

TEST_F(ServerConfigTest, BadValuesAreErrorsNamingTheirSource) {
  const std::string path = WriteConfig("durable_writes: maybe\n");
  absl::StatusOr<ServerConfig> config = Load({"--config", path});
  EXPECT_THAT(config, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      config.status().message(),
      HasSubstr("config.yaml:1: durable_writes: expected true or false"));

  config = Load({}, {"CONTENT_BLOCK_CACHE_MB=lots"});
  EXPECT_THAT(config.status().message(),
              HasSubstr("CONTENT_BLOCK_CACHE_MB: block_cache_mb"));
  config = Load({"--max_page_size=0"});
  EXPECT_THAT(config.status().message(), HasSubstr("flag --max_page_size"));
  config = Load({"--default_page_size=500", "--max_page_size=100"});
  EXPECT_THAT(config, StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(ServerConfigTest, MalformedOrMissingFileIsAnError) {
  const std::string path = WriteConfig("listen: [unclosed\n");
  EXPECT_THAT(Load({"--config", path}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Load({"--config", dir_.path() + "/missing.yaml"}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Load({"--config", WriteConfig("- a\n- b\n")}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Load({"--config", WriteConfig("listen: {a: b}\n")}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(ServerConfigTest, UnknownFlagsAndStrayArgumentsAreErrors) {
  EXPECT_THAT(Load({"--port=5"}), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Load({"serve"}), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Load({"--listen"}), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Load({"--help"}), StatusIs(absl::StatusCode::kCancelled));
}

TEST_F(ServerConfigTest, ReplicationTakesEtcdEndpointsAndAReplicaId) {
  absl::StatusOr<ServerConfig> config =
      Load({"--replication=etcd", "--etcd_endpoints=127.0.0.1:1, 127.0.0.1:2",
            "--replica_id=r1", "--etcd_prefix=/news/"});
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->replication, "etcd");
  EXPECT_THAT(config->etcd_endpoints,
              ::testing::ElementsAre("127.0.0.1:1", "127.0.0.1:2"));
  EXPECT_EQ(config->replica_id, "r1");
  EXPECT_EQ(config->etcd_prefix, "/news/");
  absl::StatusOr<ServerConfig> raft = Load({"--replication=raft"});
  EXPECT_THAT(raft, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(raft.status().message()),
              ::testing::HasSubstr("replication"));
}

TEST_F(ServerConfigTest, DescriptionNamesEverySettingWithItsValue) {
  absl::StatusOr<ServerConfig> config =
      Load({"--durable_writes=false", "--tracking_params=a,b*"});
  ASSERT_THAT(config, IsOk());
  const std::vector<LogField> fields = DescribeConfig(*config);
  EXPECT_EQ(fields.size(), 41u);
  EXPECT_THAT(fields, ::testing::Contains(LogField("durable_writes", "false")));
  EXPECT_THAT(fields, ::testing::Contains(LogField("tracking_params", "a,b*")));
  // Every described name is a setting the server accepts as a flag.
  for (const LogField& field : fields) {
    EXPECT_THAT(Load({absl::StrCat("--", field.first, "=", field.second)}),
                IsOk())
        << field.first;
  }
}

}  // namespace
}  // namespace content
