#ifndef CONTENT_SERVICE_CONTENT_SERVER_H_
#define CONTENT_SERVICE_CONTENT_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "service/access_policy.h"
#include "service/admin_service.h"
#include "service/article_service.h"
#include "service/health_service.h"
#include "service/listener_watchdog.h"
#include "service/metrics_server.h"
#include "service/page_token.h"
#include "service/reflection_v1.h"
#include "service/rpc_metrics.h"
#include "service/server_config.h"
#include "storage/article_store.h"
#include "storage/engine.h"
#include "url/canonical_url.h"

namespace content {

// A running content server: the article store under `data_dir`, on the
// engine its composition root chooses (RocksDB in content-server), the
// ArticleService and AdminService, the health service (grpc.health.v1, Check
// and Watch; open to all) and, unless turned off, server reflection (v1 and
// v1alpha), listening on `listen` with TLS or in plaintext.
//
// Thread-safe.
class ContentServer {
 public:
  // Opens (or creates) the store on the engine `open_engine` opens in
  // `data_dir`/db, and starts serving. Fails if the data directory cannot
  // be opened, a TLS or tokens file cannot be read, or the address cannot
  // be bound.
  static absl::StatusOr<std::unique_ptr<ContentServer>> Start(
      const ServerConfig& config, const EngineOpener& open_engine);

  // Restores the backup in `config.restore_from` (see contentctl backup)
  // into `config.data_dir`, which must hold no database yet, and returns
  // the revision restored.
  static absl::StatusOr<int64_t> Restore(const ServerConfig& config);

  // Shuts down if Shutdown() has not been called.
  ~ContentServer();

  // The address actually bound, with the chosen port when 0 was asked for.
  const std::string& address() const { return address_; }

  // The bound address of the metrics endpoint; empty when it is off.
  std::string metrics_address() const;

  // The Prometheus exposition that /metrics serves.
  std::string RenderMetrics();

  // A channel into this server that bypasses the network (for tests).
  std::shared_ptr<grpc::Channel> InProcessChannel();

  // Graceful stop: health turns NOT_SERVING, new calls are refused, calls in
  // flight get up to the configured grace period to finish (then they are
  // cancelled), and the store is closed. Idempotent.
  void Shutdown();

 private:
  ContentServer() = default;

  // The steps of Start: the store (read-only when the disk is full), the
  // services, and a gRPC server listening on `listen` (also used to
  // restart it; sets address_).
  absl::Status OpenStore(const EngineOpener& open_engine);
  // The article store on engine_: the local one, or a replica of the etcd
  // log (config_.replication).
  absl::StatusOr<std::unique_ptr<ArticleStore>> OpenArticleStore();
  absl::Status MakeServices();
  absl::StatusOr<std::unique_ptr<grpc::Server>> StartGrpcServer(
      const std::string& listen);
  // Called by the watchdog when the listener no longer accepts: replaces the
  // gRPC server with a new one on the same port.
  void RestartGrpcServer() ABSL_LOCKS_EXCLUDED(shutdown_mu_);

  ServerConfig config_;
  std::unique_ptr<KvEngine> engine_;
  std::unique_ptr<ArticleStore> store_;  // after engine_: destroyed first
  bool read_only_ = false;
  uint64_t open_files_limit_ = 0;
  std::unique_ptr<WatchHub> watch_hub_;  // after store_: destroyed first
  std::unique_ptr<UrlCanonicalizer> canonicalizer_;
  std::unique_ptr<PageTokenCodec> page_tokens_;
  std::unique_ptr<AccessPolicy> access_;
  std::unique_ptr<ArticleServiceImpl> service_;
  std::unique_ptr<AdminServiceImpl> admin_;
  std::unique_ptr<HealthService> health_;
  std::unique_ptr<ReflectionV1Service> reflection_v1_;  // when turned on
  RpcMetrics rpc_metrics_;
  std::unique_ptr<MetricsServer> metrics_server_;
  std::shared_ptr<grpc::ServerCredentials> credentials_;
  std::unique_ptr<grpc::Server> server_ ABSL_GUARDED_BY(shutdown_mu_);
  std::unique_ptr<ListenerWatchdog> watchdog_;
  std::string address_;
  absl::Mutex shutdown_mu_;
  bool shut_down_ ABSL_GUARDED_BY(shutdown_mu_) = false;
};

}  // namespace content

#endif  // CONTENT_SERVICE_CONTENT_SERVER_H_
