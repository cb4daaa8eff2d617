#ifndef CONTENT_SERVICE_HEALTH_SERVICE_H_
#define CONTENT_SERVICE_HEALTH_SERVICE_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace content {

// Trailing metadata of a NOT_SERVING Check: why.
inline constexpr char kNotServingReasonKey[] = "content-not-serving-reason";

// grpc.health.v1.Health (Check and Watch) for one server. Every known
// service is SERVING until Shutdown(), while its readiness holds. Unlike gRPC's
// built-in health service, Shutdown() also ends each Watch stream right after
// telling it NOT_SERVING, so a watching load balancer never holds up a graceful
// stop.
//
// Watch uses the callback API: a watcher costs no thread while it waits.
// Thread-safe. Must outlive the grpc::Server it is registered with.
class HealthService final : public grpc::health::v1::Health::CallbackService {
 public:
  // `services` are the names reported besides "" (the whole server).
  // `readiness` (when set) says whether the server can serve now: while it
  // returns an error, Check answers NOT_SERVING with the error's message in
  // the trailing metadata kNotServingReasonKey (a replica cut off from its
  // log, say). Called on every Check; must be cheap and thread-safe.
  explicit HealthService(const std::vector<std::string>& services,
                         std::function<absl::Status()> readiness = nullptr);

  // Turns every service NOT_SERVING and ends all Watch streams. Idempotent.
  void Shutdown();

  // SERVING or NOT_SERVING for a known service, NOT_FOUND otherwise.
  grpc::ServerUnaryReactor* Check(
      grpc::CallbackServerContext* context,
      const grpc::health::v1::HealthCheckRequest* request,
      grpc::health::v1::HealthCheckResponse* response) override;

  // Sends the current status (SERVICE_UNKNOWN for an unknown service), then
  // NOT_SERVING at shutdown, and ends. (A change of readiness in between is
  // not sent: Check sees it.)
  grpc::ServerWriteReactor<grpc::health::v1::HealthCheckResponse>* Watch(
      grpc::CallbackServerContext* context,
      const grpc::health::v1::HealthCheckRequest* request) override;

 private:
  class Watcher;

  grpc::health::v1::HealthCheckResponse::ServingStatus StatusOf(
      const std::string& service) const ABSL_SHARED_LOCKS_REQUIRED(mu_);

  const absl::flat_hash_set<std::string> services_;
  const std::function<absl::Status()> readiness_;
  absl::Mutex mu_;
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
  absl::flat_hash_set<Watcher*> watchers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace content

#endif  // CONTENT_SERVICE_HEALTH_SERVICE_H_
