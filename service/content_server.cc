#include "service/content_server.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "service/log.h"

namespace content {

absl::StatusOr<std::unique_ptr<ContentServer>> ContentServer::Start(
    const ServerConfig& config) {
  std::unique_ptr<ContentServer> server(new ContentServer());
  server->config_ = config;

  std::error_code error;
  std::filesystem::create_directories(config.data_dir, error);
  if (error) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot create data_dir ", config.data_dir, ": ", error.message()));
  }
  const std::filesystem::path data_dir(config.data_dir);
  absl::StatusOr<std::string> secret =
      LoadOrCreateTokenSecret((data_dir / "page_token_secret").string());
  if (!secret.ok()) return secret.status();
  absl::StatusOr<std::unique_ptr<RocksDbArticleStore>> store =
      RocksDbArticleStore::Open(
          {(data_dir / "db").string(), config.durable_writes,
           static_cast<size_t>(config.block_cache_mb) << 20});
  if (!store.ok()) return store.status();

  server->store_ = std::move(*store);
  server->canonicalizer_ =
      std::make_unique<UrlCanonicalizer>(config.tracking_params);
  server->page_tokens_ = std::make_unique<PageTokenCodec>(std::move(*secret));
  server->service_ = std::make_unique<ArticleServiceImpl>(
      server->store_.get(), server->canonicalizer_.get(),
      server->page_tokens_.get(), config.limits);

  server->health_ = std::make_unique<HealthService>(
      std::vector<std::string>{v1::ArticleService::service_full_name()});
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(config.listen, grpc::InsecureServerCredentials(),
                           &port);
  builder.SetMaxReceiveMessageSize(config.max_message_bytes);
  builder.RegisterService(server->service_.get());
  builder.RegisterService(server->health_.get());
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", config.listen));
  }
  server->address_ = absl::StrCat(
      config.listen.substr(0, config.listen.rfind(':')), ":", port);
  LogEvent("info", "listening",
           {{"address", server->address_},
            {"data_dir", config.data_dir},
            {"durable_writes", config.durable_writes ? "true" : "false"},
            {"revision", absl::StrCat(server->store_->LastRevision())}});
  return server;
}

ContentServer::~ContentServer() { Shutdown(); }

std::shared_ptr<grpc::Channel> ContentServer::InProcessChannel() {
  return server_->InProcessChannel(grpc::ChannelArguments());
}

void ContentServer::Shutdown() {
  absl::MutexLock lock(&shutdown_mu_);
  if (shut_down_) return;
  shut_down_ = true;
  // Health first, so load balancers stop routing here while calls drain.
  health_->Shutdown();
  server_->Shutdown(absl::ToChronoTime(absl::Now() + config_.shutdown_grace));
  server_->Wait();
  store_.reset();
  LogEvent("info", "stopped", {{"address", address_}});
}

}  // namespace content
