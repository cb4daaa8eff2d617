#include "client/article_channel.h"

#include <arpa/inet.h>

#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/pem_file.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "grpcpp/support/client_interceptor.h"

namespace content {
namespace {

// gRPC retries transparently per this policy; only reads are listed, since
// replaying a write whose reply was lost could apply it twice.
constexpr char kMethodConfig[] = R"json("methodConfig": [{
    "name": [
      {"service": "content.v1.ArticleService", "method": "GetArticle"},
      {"service": "content.v1.ArticleService", "method": "BatchGetArticles"},
      {"service": "content.v1.ArticleService", "method": "ListArticles"}
    ],
    "retryPolicy": {
      "maxAttempts": 4,
      "initialBackoff": "0.05s",
      "maxBackoff": "1s",
      "backoffMultiplier": 2,
      "retryableStatusCodes": ["UNAVAILABLE"]
    }
  }])json";

// Adds the bearer token to every call. An interceptor rather than call
// credentials, which gRPC sends only over TLS: loopback deployments in
// plaintext use tokens too.
class BearerTokenInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit BearerTokenInterceptor(const std::string* header)
      : header_(header) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::
                PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->emplace("authorization", *header_);
    }
    methods->Proceed();
  }

 private:
  const std::string* header_;
};

class BearerTokenInterceptorFactory final
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit BearerTokenInterceptorFactory(const std::string& token)
      : header_(absl::StrCat("Bearer ", token)) {}

  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo*) override {
    return new BearerTokenInterceptor(&header_);
  }

 private:
  const std::string header_;
};

// The gRPC target of `target`: itself, or for a comma-separated list of
// IPv4 host:port (replicas), gRPC's static "ipv4:" resolver over them all.
absl::StatusOr<std::string> ResolveTarget(const std::string& target) {
  if (target.find(',') == std::string::npos) return target;
  for (absl::string_view address : absl::StrSplit(target, ',')) {
    std::vector<absl::string_view> parts = absl::StrSplit(address, ':');
    in_addr ip;
    int port = 0;
    if (parts.size() != 2 ||
        inet_pton(AF_INET, std::string(parts[0]).c_str(), &ip) != 1 ||
        !absl::SimpleAtoi(parts[1], &port) || port <= 0 || port > 65535) {
      return absl::InvalidArgumentError(absl::StrCat(
          "server ", target,
          ": in a list of servers each must be IPv4 "
          "host:port; for names use one DNS name that resolves to every "
          "replica (dns:///name:port). Not: '",
          address, "'"));
    }
  }
  return absl::StrCat("ipv4:", target);
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::Channel>> CreateArticleChannel(
    const std::string& target, const ChannelOptions& options) {
  absl::StatusOr<std::string> resolved = ResolveTarget(target);
  if (!resolved.ok()) return resolved.status();
  grpc::ChannelArguments args;
  // One server: pick_first; the replicas of a cluster: round_robin, so that
  // a retried read goes to another replica.
  args.SetServiceConfigJSON(
      absl::StrCat("{\"loadBalancingConfig\": [{\"",
                   *resolved == target ? "pick_first" : "round_robin",
                   "\": {}}], ", kMethodConfig, "}"));
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      grpc::InsecureChannelCredentials();
  if (options.tls) {
    absl::StatusOr<ClientTlsPem> pem =
        ReadClientTlsFiles({{options.tls_ca_file, "CA file"},
                            {options.tls_cert_file, "certificate file"},
                            {options.tls_key_file, "key file"}});
    if (!pem.ok()) return pem.status();
    if (!options.tls_server_name.empty()) {
      args.SetSslTargetNameOverride(options.tls_server_name);
    }
    credentials = grpc::SslCredentials({std::move(pem->roots),
                                        std::move(pem->private_key),
                                        std::move(pem->cert_chain)});
  }
  std::vector<
      std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>>
      interceptors;
  if (!options.bearer_token.empty()) {
    interceptors.push_back(
        std::make_unique<BearerTokenInterceptorFactory>(options.bearer_token));
  }
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      *resolved, credentials, args, std::move(interceptors));
}

std::shared_ptr<grpc::Channel> CreateArticleChannel(const std::string& target) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      CreateArticleChannel(target, ChannelOptions());
  // Only a malformed list of servers fails (no files to read): then a
  // channel whose calls fail UNAVAILABLE, naming the target.
  return channel.ok()
             ? *std::move(channel)
             : grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
}

}  // namespace content
