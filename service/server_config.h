#ifndef CONTENT_SERVICE_SERVER_CONFIG_H_
#define CONTENT_SERVICE_SERVER_CONFIG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/article_service.h"
#include "service/log.h"
#include "url/canonical_url.h"

namespace content {

// Everything content-server can be told. Each field is a setting with the
// same name in the YAML file, as an environment variable CONTENT_<NAME> and
// as a flag --<name>; see the README for the meaning of each.
struct ServerConfig {
  std::string listen = "127.0.0.1:50051";
  std::string data_dir = "./data";
  bool durable_writes = true;
  bool read_only = false;
  int block_cache_mb = 192;
  // Writes fail RESOURCE_EXHAUSTED while the disk of data_dir has less free
  // space than this, and resume once it has it (0: no check).
  int min_free_disk_mb = 128;
  int max_message_bytes = 4 << 20;
  absl::Duration shutdown_grace = absl::Seconds(10);
  std::vector<std::string> tracking_params = DefaultTrackingParams();
  ServiceLimits limits;
  LogFormat log_format = LogFormat::kPlain;
  std::string metrics_listen = "127.0.0.1:9464";  // empty: no metrics
  absl::Duration slow_request = absl::Seconds(1);

  // Security (README "Security"). TLS when both files are set; mutual TLS
  // when the client CA is set too. Bearer tokens when a tokens file is set.
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;
  std::string auth_tokens_file;
  bool reflection = true;

  int max_concurrent_streams = 100;  // calls in flight per connection
  // Most threads gRPC starts for the synchronous methods (Put, Update,
  // Delete, the admin service), whatever a peer opens (its ResourceQuota).
  int max_threads = 64;
  // Revisions the change feed keeps for WatchArticles to resume from.
  int watch_history_revisions = 100000;

  // Replicated mode (README "Running replicated"): "" for one process on
  // its own RocksDB, "etcd" for a replica of the etcd log at etcd_endpoints.
  std::string replication;
  std::vector<std::string> etcd_endpoints;  // host:port of etcd members
  std::string etcd_prefix = "/content/";
  std::string replica_id;
  // TLS to etcd: its CA; a client certificate and key for
  // --client-cert-auth (ReplicationOptions, EtcdLogOptions).
  std::string etcd_tls_ca_file;
  std::string etcd_tls_cert_file;
  std::string etcd_tls_key_file;
  // A replica that has not reported progress for this long stops holding
  // the log back (ReplicationOptions::lease_ttl).
  absl::Duration replica_lease = absl::Seconds(10);

  // When set, content-server restores this backup into data_dir and exits.
  std::string restore_from;
};

// Builds the configuration from, in rising precedence: the defaults, the
// YAML file named by --config (or CONTENT_CONFIG), environment variables
// from `environ`-style `env` (NAME=value strings, nullptr-terminated), and
// the flags in `argv` (--name=value or --name value).
//
// INVALID_ARGUMENT for an unknown flag, key or value, naming where it came
// from ("config.yaml:3: durable_writes: ..."); nothing is silently ignored.
// `--help` yields CANCELLED with the usage text as message.
absl::StatusOr<ServerConfig> LoadServerConfig(int argc, const char* const* argv,
                                              const char* const* env);

// Every setting of `config` by name, as it would be written in the file,
// for the start-up log.
std::vector<LogField> DescribeConfig(const ServerConfig& config);

}  // namespace content

#endif  // CONTENT_SERVICE_SERVER_CONFIG_H_
