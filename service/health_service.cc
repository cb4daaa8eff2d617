#include "service/health_service.h"

#include <utility>

namespace content {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// One Watch stream. All state is guarded by the service's mu_, which is also
// what keeps the watcher alive while Shutdown() reaches it: OnDone must take
// mu_ to unregister before the watcher is deleted.
class HealthService::Watcher final
    : public grpc::ServerWriteReactor<HealthCheckResponse> {
 public:
  Watcher(HealthService* health, std::string service)
      : health_(health), service_(std::move(service)) {
    absl::MutexLock lock(&health_->mu_);
    health_->watchers_.insert(this);
    if (health_->shut_down_) {
      SendFinalLocked();
    } else {
      response_.set_status(health_->StatusOf(service_));
      write_in_flight_ = true;
      StartWrite(&response_);
    }
  }

  // Called by Shutdown() with mu_ held.
  void NotifyShutdownLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(health_->mu_) {
    if (finished_) return;
    if (write_in_flight_) {
      final_pending_ = true;  // sent from OnWriteDone
    } else {
      SendFinalLocked();
    }
  }

  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&health_->mu_);
    write_in_flight_ = false;
    if (finished_) return;
    if (!ok) {
      FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "stream broken"));
    } else if (final_pending_) {
      SendFinalLocked();
    }
  }

  void OnCancel() override {
    absl::MutexLock lock(&health_->mu_);
    if (!finished_) FinishLocked(grpc::Status::CANCELLED);
  }

  void OnDone() override {
    {
      absl::MutexLock lock(&health_->mu_);
      health_->watchers_.erase(this);
    }
    delete this;
  }

 private:
  void SendFinalLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(health_->mu_) {
    finished_ = true;
    response_.set_status(HealthCheckResponse::NOT_SERVING);
    StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
  }

  void FinishLocked(const grpc::Status& status)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(health_->mu_) {
    finished_ = true;
    Finish(status);
  }

  HealthService* const health_;
  const std::string service_;
  HealthCheckResponse response_;
  bool write_in_flight_ = false;
  bool final_pending_ = false;
  bool finished_ = false;
};

HealthService::HealthService(const std::vector<std::string>& services,
                             std::function<absl::Status()> readiness)
    : services_(services.begin(), services.end()),
      readiness_(std::move(readiness)) {}

HealthCheckResponse::ServingStatus HealthService::StatusOf(
    const std::string& service) const {
  if (!service.empty() && !services_.contains(service)) {
    return HealthCheckResponse::SERVICE_UNKNOWN;
  }
  if (shut_down_) return HealthCheckResponse::NOT_SERVING;
  return readiness_ == nullptr || readiness_().ok()
             ? HealthCheckResponse::SERVING
             : HealthCheckResponse::NOT_SERVING;
}

void HealthService::Shutdown() {
  absl::MutexLock lock(&mu_);
  if (shut_down_) return;
  shut_down_ = true;
  for (Watcher* watcher : watchers_) watcher->NotifyShutdownLocked();
}

grpc::ServerUnaryReactor* HealthService::Check(
    grpc::CallbackServerContext* context, const HealthCheckRequest* request,
    HealthCheckResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  HealthCheckResponse::ServingStatus status;
  {
    absl::MutexLock lock(&mu_);
    status = StatusOf(request->service());
  }
  if (status == HealthCheckResponse::SERVICE_UNKNOWN) {
    reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND,
                                 "unknown service " + request->service()));
  } else {
    response->set_status(status);
    if (status == HealthCheckResponse::NOT_SERVING && readiness_ != nullptr) {
      const absl::Status ready = readiness_();
      std::string reason =
          ready.ok() ? "shutting down" : std::string(ready.message());
      // Metadata values are printable ASCII.
      for (char& c : reason) {
        if (c < 0x20 || c > 0x7e) c = '?';
      }
      context->AddTrailingMetadata(kNotServingReasonKey, reason);
    }
    reactor->Finish(grpc::Status::OK);
  }
  return reactor;
}

grpc::ServerWriteReactor<HealthCheckResponse>* HealthService::Watch(
    grpc::CallbackServerContext*, const HealthCheckRequest* request) {
  return new Watcher(this, request->service());
}

}  // namespace content
