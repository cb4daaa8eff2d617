#ifndef CONTENT_CLIENT_ARTICLE_CHANNEL_H_
#define CONTENT_CLIENT_ARTICLE_CHANNEL_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"

namespace content {

// How to reach a content server that uses TLS or tokens.
struct ChannelOptions {
  // Verify the server over TLS. Roots from `tls_ca_file` (PEM), or the
  // system's when empty.
  bool tls = false;
  std::string tls_ca_file;
  // A client certificate and its key (PEM), for servers that require
  // mutual TLS.
  std::string tls_cert_file;
  std::string tls_key_file;
  // The name the server's certificate must carry, when it differs from the
  // host in the target (e.g. connecting by IP address).
  std::string tls_server_name;
  // Sent as "authorization: Bearer <token>" on every call of the channel.
  std::string bearer_token;
};

// A channel to `target` (e.g. "127.0.0.1:50051", or the replicas of a
// cluster as "10.0.0.1:50051,10.0.0.2:50051", IPv4 only, spread round
// robin; INVALID_ARGUMENT for another list) whose service config
// retries the idempotent reads (GetArticle, BatchGetArticles, ListArticles)
// up to 4 attempts with exponential backoff when the server is UNAVAILABLE.
// Writes are never retried by the channel. INVALID_ARGUMENT naming the
// file if a TLS file cannot be read.
absl::StatusOr<std::shared_ptr<grpc::Channel>> CreateArticleChannel(
    const std::string& target, const ChannelOptions& options);

// The same in plaintext, without a token; for a malformed list of servers,
// a channel whose every call fails UNAVAILABLE.
std::shared_ptr<grpc::Channel> CreateArticleChannel(const std::string& target);

}  // namespace content

#endif  // CONTENT_CLIENT_ARTICLE_CHANNEL_H_
