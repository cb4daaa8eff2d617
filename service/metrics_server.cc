#include "service/metrics_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace content {

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Start(
    const std::string& address, std::function<std::string()> render) {
  const size_t colon = address.rfind(':');
  int port = -1;
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(address.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "metrics_listen: expected host:port, got \"", address, "\""));
  }
  const std::string host = address.substr(0, colon);
  std::unique_ptr<MetricsServer> metrics(new MetricsServer());
  metrics->server_ = std::make_unique<httplib::Server>();
  // httplib's default adds SO_REUSEPORT, which lets a second process bind
  // the same port and silently take half the scrapes. Only SO_REUSEADDR.
  metrics->server_->set_socket_options([](socket_t socket) {
    const int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  metrics->server_->Get(
      "/metrics", [render = std::move(render)](const httplib::Request&,
                                               httplib::Response& response) {
        response.set_content(render(), "text/plain; version=0.0.4");
      });
  if (port == 0) {
    port = metrics->server_->bind_to_any_port(host);
  } else if (!metrics->server_->bind_to_port(host, port)) {
    port = -1;
  }
  if (port <= 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen for metrics on ", address));
  }
  metrics->address_ = absl::StrCat(host, ":", port);
  httplib::Server* server = metrics->server_.get();
  metrics->thread_ = std::thread([server] { server->listen_after_bind(); });
  // httplib's stop() does nothing before the listening loop runs, and the
  // loop would then never end: wait for it, so the destructor can stop it.
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (!server->is_running() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  return metrics;
}

MetricsServer::~MetricsServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace content
