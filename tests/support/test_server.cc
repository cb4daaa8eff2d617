#include "tests/support/test_server.h"

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "storage/rocksdb/rocksdb_engine.h"
#include "tests/support/etcd_process.h"

namespace content::testing {

ServerConfig LoopbackConfig(const std::string& data_dir) {
  ServerConfig config;
  config.data_dir = data_dir;
  config.listen = "127.0.0.1:0";
  config.metrics_listen = "";
  return config;
}

TestServer::TestServer(ServerConfig config) {
  // The "replicated/" runs: every server a replica of its own log.
  if (ReplicatedTestMode()) {
    static std::atomic<int> next{0};
    config.replication = "etcd";
    config.etcd_endpoints = {SharedTestEtcd()};
    config.etcd_prefix = absl::StrCat("/test/", getpid(), "/", next++, "/");
    config.replica_id = "r0";
  }
  config.data_dir = dir_.path();
  config.listen = "127.0.0.1:0";
  if (!config.metrics_listen.empty()) config.metrics_listen = "127.0.0.1:0";
  absl::StatusOr<std::unique_ptr<ContentServer>> server =
      ContentServer::Start(config, RocksDbEngine::OpenEngine);
  if (!server.ok()) {
    ADD_FAILURE() << server.status();
    return;
  }
  server_ = std::move(*server);
}

}  // namespace content::testing
