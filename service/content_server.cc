#include "service/content_server.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "backup/backup_format.h"
#include "base/pem_file.h"
#include "base/process_limits.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/resource_quota.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "replication/replicated_article_store.h"
#include "service/listener_watchdog.h"
#include "service/log.h"
#include "service/rpc_observer.h"
#include "storage/kv_article_store.h"

namespace content {
namespace {

// TLS from the configured files (mutual when a client CA is set), else
// plaintext.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeCredentials(
    const ServerConfig& config) {
  if (config.tls_cert_file.empty()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions options;
  absl::StatusOr<std::string> cert =
      ReadPemFile(config.tls_cert_file, "tls_cert_file");
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key =
      ReadPemFile(config.tls_key_file, "tls_key_file");
  if (!key.ok()) return key.status();
  options.pem_key_cert_pairs.push_back({std::move(*key), std::move(*cert)});
  if (!config.tls_client_ca_file.empty()) {
    absl::StatusOr<std::string> ca =
        ReadPemFile(config.tls_client_ca_file, "tls_client_ca_file");
    if (!ca.ok()) return ca.status();
    options.pem_root_certs = std::move(*ca);
    options.client_certificate_request =
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(options);
}

// Turns server reflection on or off for one server. Linking
// grpc++_reflection registers its plugin for every server of the process,
// so "off" removes that plugin and "on" adds it if it is missing.
class ReflectionOption final : public grpc::ServerBuilderOption {
 public:
  explicit ReflectionOption(bool enabled) : enabled_(enabled) {}
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>*
                         plugins) override {
    const auto is_reflection =
        [name = grpc::reflection::ProtoServerReflectionPlugin().name()](
            const std::unique_ptr<grpc::ServerBuilderPlugin>& plugin) {
          return plugin->name() == name;
        };
    plugins->erase(
        std::remove_if(plugins->begin(), plugins->end(), is_reflection),
        plugins->end());
    if (enabled_) {
      plugins->push_back(
          std::make_unique<grpc::reflection::ProtoServerReflectionPlugin>());
    }
  }

 private:
  const bool enabled_;
};

// Removes what a crash can leave in `data_dir`: backup checkpoints under
// scratch/ and the temporary files of atomic writes ("NAME.tmp-PID"). Runs
// once the store holds the database's lock, so no other server of this
// data_dir is using them.
void RemoveCrashLeftovers(const std::filesystem::path& data_dir) {
  std::error_code error;
  std::vector<std::filesystem::path> leftovers;
  for (const auto& entry :
       std::filesystem::directory_iterator(data_dir / "scratch", error)) {
    leftovers.push_back(entry.path());
  }
  for (const auto& entry :
       std::filesystem::directory_iterator(data_dir, error)) {
    if (entry.path().filename().string().find(".tmp-") != std::string::npos) {
      leftovers.push_back(entry.path());
    }
  }
  for (const std::filesystem::path& path : leftovers) {
    std::filesystem::remove_all(path, error);
    LogEvent(error ? "warn" : "info", "crash_leftover_removed",
             {{"path", path.string()},
              {"outcome", error ? error.message() : "removed"}});
  }
}

// How often the listener is probed, and after how many silent probes in a
// row the gRPC server is restarted: 3 x 2 s, so that a busy server is not
// taken for a stalled one.
constexpr absl::Duration kListenerProbeInterval = absl::Seconds(2);
constexpr int kListenerProbeMisses = 3;

}  // namespace

absl::StatusOr<std::unique_ptr<ContentServer>> ContentServer::Start(
    const ServerConfig& config, const EngineOpener& open_engine) {
  std::unique_ptr<ContentServer> server(new ContentServer());
  server->config_ = config;
  absl::Status status = server->OpenStore(open_engine);
  if (status.ok()) status = server->MakeServices();
  if (status.ok() && !config.metrics_listen.empty()) {
    ContentServer* self = server.get();
    absl::StatusOr<std::unique_ptr<MetricsServer>> metrics =
        MetricsServer::Start(config.metrics_listen,
                             [self] { return self->RenderMetrics(); });
    status = metrics.status();
    if (metrics.ok()) server->metrics_server_ = std::move(*metrics);
  }
  if (!status.ok()) return status;

  absl::StatusOr<std::unique_ptr<grpc::Server>> grpc_server =
      server->StartGrpcServer(config.listen);
  if (!grpc_server.ok()) return grpc_server.status();
  {
    absl::MutexLock lock(&server->shutdown_mu_);
    server->server_ = std::move(*grpc_server);
  }
  ContentServer* self = server.get();
  server->watchdog_ = std::make_unique<ListenerWatchdog>(
      server->address_, kListenerProbeInterval, kListenerProbeMisses,
      [self] { self->RestartGrpcServer(); });
  LogEvent("info", "listening",
           {{"address", server->address_},
            {"metrics_address", server->metrics_address()},
            {"data_dir", config.data_dir},
            {"durable_writes", config.durable_writes ? "true" : "false"},
            {"read_only", server->read_only_ ? "true" : "false"},
            {"open_files_limit", absl::StrCat(server->open_files_limit_)},
            {"tls", config.tls_cert_file.empty()        ? "off"
                    : config.tls_client_ca_file.empty() ? "on"
                                                        : "mutual"},
            {"auth", config.auth_tokens_file.empty() ? "off" : "tokens"},
            {"revision", absl::StrCat(server->store_->LastRevision())}});
  return server;
}

absl::Status ContentServer::OpenStore(const EngineOpener& open_engine) {
  std::error_code error;
  std::filesystem::create_directories(config_.data_dir, error);
  if (error) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot create data_dir ", config_.data_dir, ": ", error.message()));
  }
  const std::filesystem::path data_dir(config_.data_dir);
  EngineSettings settings;
  settings.path = (data_dir / "db").string();
  // A database the process cannot write to (read-only media or mount,
  // permissions) is served read-only rather than not at all.
  settings.read_only =
      config_.read_only || (std::filesystem::exists(settings.path, error) &&
                            access(settings.path.c_str(), W_OK) != 0);
  settings.durable_writes = config_.durable_writes;
  settings.cache_bytes = static_cast<size_t>(config_.block_cache_mb) << 20;
  settings.min_free_bytes = static_cast<uint64_t>(config_.min_free_disk_mb)
                            << 20;
  // A quarter of the descriptors for the engine's files, the rest for
  // connections and everything else.
  open_files_limit_ = RaiseOpenFileLimit();
  settings.max_open_files =
      static_cast<int>(std::clamp<uint64_t>(open_files_limit_ / 4, 64, 5000));
  absl::StatusOr<std::unique_ptr<KvEngine>> engine = open_engine(settings);
  if (absl::IsResourceExhausted(engine.status()) && !settings.read_only) {
    // Opening for writing needs space (a new WAL, a flush); reads do not.
    LogEvent("warn", "read_only_for_lack_of_space",
             {{"error", engine.status().ToString()}});
    settings.read_only = true;
    engine = open_engine(settings);
  }
  if (!engine.ok()) return engine.status();
  engine_ = std::move(*engine);
  absl::StatusOr<std::unique_ptr<ArticleStore>> store = OpenArticleStore();
  if (!store.ok()) {
    return absl::Status(
        store.status().code(),
        absl::StrCat(settings.path, ": ", store.status().message()));
  }
  store_ = std::move(*store);
  read_only_ = settings.read_only;
  if (!read_only_) RemoveCrashLeftovers(data_dir);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<ArticleStore>>
ContentServer::OpenArticleStore() {
  KvArticleStoreOptions options;
  options.change_history_revisions = config_.watch_history_revisions;
  if (config_.replication.empty()) {
    absl::StatusOr<std::unique_ptr<KvArticleStore>> store =
        KvArticleStore::Open(engine_.get(), options);
    if (!store.ok()) return store.status();
    return std::unique_ptr<ArticleStore>(std::move(*store));
  }
  ReplicationOptions replication;
  replication.etcd.endpoints = config_.etcd_endpoints;
  replication.etcd.prefix = config_.etcd_prefix;
  replication.etcd.tls_ca_file = config_.etcd_tls_ca_file;
  replication.etcd.tls_cert_file = config_.etcd_tls_cert_file;
  replication.etcd.tls_key_file = config_.etcd_tls_key_file;
  replication.replica_id = config_.replica_id;
  replication.lease_ttl = config_.replica_lease;
  absl::StatusOr<std::unique_ptr<ReplicatedArticleStore>> store =
      ReplicatedArticleStore::Open(engine_.get(), options, replication);
  if (!store.ok()) return store.status();
  return std::unique_ptr<ArticleStore>(std::move(*store));
}

absl::Status ContentServer::MakeServices() {
  const std::filesystem::path data_dir(config_.data_dir);
  absl::StatusOr<std::string> secret =
      LoadOrCreateTokenSecret((data_dir / "page_token_secret").string());
  if (!secret.ok()) return secret.status();
  page_tokens_ = std::make_unique<PageTokenCodec>(std::move(*secret));
  canonicalizer_ = std::make_unique<UrlCanonicalizer>(config_.tracking_params);
  if (config_.auth_tokens_file.empty()) {
    access_ = std::make_unique<AccessPolicy>(AccessPolicy::AllowAll());
  } else {
    absl::StatusOr<AccessPolicy> access =
        AccessPolicy::Load(config_.auth_tokens_file);
    if (!access.ok()) return access.status();
    access_ = std::make_unique<AccessPolicy>(std::move(*access));
  }
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      MakeCredentials(config_);
  if (!credentials.ok()) return credentials.status();
  credentials_ = std::move(*credentials);
  watch_hub_ = std::make_unique<WatchHub>(store_.get());
  service_ = std::make_unique<ArticleServiceImpl>(
      store_.get(), watch_hub_.get(), canonicalizer_.get(), page_tokens_.get(),
      access_.get(), config_.limits);
  admin_ = std::make_unique<AdminServiceImpl>(
      store_.get(), engine_->admin(), canonicalizer_.get(), access_.get(),
      (data_dir / "scratch").string());
  health_ = std::make_unique<HealthService>(
      std::vector<std::string>{v1::ArticleService::service_full_name(),
                               v1::AdminService::service_full_name()},
      [this] { return store_->Health(); });
  if (config_.reflection) {
    reflection_v1_ =
        std::make_unique<ReflectionV1Service>(std::vector<std::string>{
            v1::ArticleService::service_full_name(),
            v1::AdminService::service_full_name(),
            grpc::health::v1::Health::service_full_name(),
            grpc::reflection::v1::ServerReflection::service_full_name(),
            "grpc.reflection.v1alpha.ServerReflection"});
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<grpc::Server>> ContentServer::StartGrpcServer(
    const std::string& listen) {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, credentials_, &port);
  builder.SetMaxReceiveMessageSize(config_.max_message_bytes);
  // Compressed requests are refused (UNIMPLEMENTED, "Compression algorithm
  // ... is disabled") when their headers arrive: gRPC 1.51 inflates a
  // message whole before it compares it with the size limit, so one small
  // gzip request could make the server allocate gigabytes.
  builder.AddChannelArgument(GRPC_COMPRESSION_CHANNEL_ENABLED_ALGORITHMS_BITSET,
                             1 << GRPC_COMPRESS_NONE);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             config_.max_concurrent_streams);
  // Bounds the synchronous methods' threads: without it, a peer that opens
  // and resets streams quickly (HTTP/2 rapid reset) made gRPC start a
  // thread per stream, 15,000 and more.
  grpc::ResourceQuota quota("content-server");
  quota.SetMaxThreads(config_.max_threads);
  builder.SetResourceQuota(quota);
  builder.SetOption(std::make_unique<ReflectionOption>(config_.reflection));
  // No SO_REUSEPORT: a second server on the same port must fail to start,
  // not quietly receive a share of the calls.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(std::make_unique<RpcObserverFactory>(
      &rpc_metrics_, config_.slow_request));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  builder.RegisterService(service_.get());
  builder.RegisterService(admin_.get());
  builder.RegisterService(health_.get());
  if (reflection_v1_ != nullptr) builder.RegisterService(reflection_v1_.get());
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", listen));
  }
  address_ = absl::StrCat(listen.substr(0, listen.rfind(':')), ":", port);
  return server;
}

void ContentServer::RestartGrpcServer() {
  absl::MutexLock lock(&shutdown_mu_);
  if (shut_down_) return;
  LogEvent(
      "error", "listener_stalled",
      {{"address", address_},
       {"action", "restarting the gRPC server; open connections are closed"}});
  server_->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
  server_->Wait();
  // The same port: clients find the server where it was.
  absl::StatusOr<std::unique_ptr<grpc::Server>> restarted =
      StartGrpcServer(address_);
  if (!restarted.ok()) {
    // Tried again at the next stall; the old server stays shut down.
    LogEvent("error", "listener_restart_failed",
             {{"error", restarted.status().ToString()}});
    return;
  }
  server_ = std::move(*restarted);
  LogEvent("info", "listener_restarted", {{"address", address_}});
}

absl::StatusOr<int64_t> ContentServer::Restore(const ServerConfig& config) {
  std::error_code error;
  std::filesystem::create_directories(config.data_dir, error);
  if (error) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot create data_dir ", config.data_dir, ": ", error.message()));
  }
  absl::StatusOr<BackupManifest> manifest =
      RestoreBackup(config.restore_from,
                    (std::filesystem::path(config.data_dir) / "db").string());
  if (!manifest.ok()) return manifest.status();
  return manifest->revision;
}

ContentServer::~ContentServer() { Shutdown(); }

std::string ContentServer::metrics_address() const {
  return metrics_server_ == nullptr ? "" : metrics_server_->address();
}

std::string ContentServer::RenderMetrics() {
  std::string out;
  rpc_metrics_.Render(&out);
  const auto gauge = [&out](absl::string_view name, absl::string_view help,
                            uint64_t value) {
    absl::StrAppend(&out, "# HELP ", name, " ", help, "\n# TYPE ", name,
                    " gauge\n", name, " ", value, "\n");
  };
  gauge("content_articles", "Articles stored.", store_->ArticleCount());
  gauge("content_store_revision", "Revision of the last write.",
        store_->LastRevision());
  EngineAdmin* const engine = engine_->admin();
  if (engine == nullptr) return out;
  const EngineAdmin::Stats stats = engine->GetStats();
  gauge("content_store_sst_bytes", "Bytes of live RocksDB SST files.",
        stats.live_bytes);
  gauge("content_store_memtable_bytes", "Bytes in RocksDB memtables.",
        stats.memtable_bytes);
  gauge("content_store_pending_compaction_bytes",
        "Bytes RocksDB estimates compaction must rewrite.",
        stats.pending_compaction_bytes);
  gauge("content_store_running_compactions", "RocksDB compactions running.",
        stats.running_compactions);
  gauge("content_store_running_flushes", "RocksDB flushes running.",
        stats.running_flushes);
  gauge("content_store_write_stopped",
        "1 while RocksDB stops writes (a write stall).", stats.writes_stopped);
  gauge("content_store_delayed_write_rate_bytes",
        "Write rate RocksDB throttles to while slowing writes; 0 otherwise.",
        stats.delayed_write_rate);
  return out;
}

std::shared_ptr<grpc::Channel> ContentServer::InProcessChannel() {
  absl::MutexLock lock(&shutdown_mu_);
  return server_->InProcessChannel(grpc::ChannelArguments());
}

void ContentServer::Shutdown() {
  watchdog_.reset();  // it may restart the server: stop it first
  absl::MutexLock lock(&shutdown_mu_);
  if (shut_down_ || server_ == nullptr) return;  // stopped, or never started
  shut_down_ = true;
  // Health first, so load balancers stop routing here while calls drain.
  health_->Shutdown();
  server_->Shutdown(absl::ToChronoTime(absl::Now() + config_.shutdown_grace));
  server_->Wait();
  metrics_server_.reset();
  watch_hub_.reset();  // it reads the store
  store_.reset();
  engine_.reset();
  LogEvent("info", "stopped", {{"address", address_}});
}

}  // namespace content
