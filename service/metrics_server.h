#ifndef CONTENT_SERVICE_METRICS_SERVER_H_
#define CONTENT_SERVICE_METRICS_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace httplib {
class Server;
}

namespace content {

// Serves GET /metrics (Prometheus text format 0.0.4) over plain HTTP, with
// cpp-httplib, on its own thread.
class MetricsServer {
 public:
  // Listens on `address` ("host:port"; port 0 picks a free one) and answers
  // each scrape with `render()`, which must be thread-safe.
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(
      const std::string& address, std::function<std::string()> render);

  // Stops listening and joins the thread.
  ~MetricsServer();

  // The bound address, with the chosen port.
  const std::string& address() const { return address_; }

 private:
  MetricsServer() = default;

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::string address_;
};

}  // namespace content

#endif  // CONTENT_SERVICE_METRICS_SERVER_H_
