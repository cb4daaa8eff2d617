#include "service/rpc_observer.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "service/log.h"

namespace content {
namespace {

using grpc::experimental::InterceptionHookPoints;

bool IsServerFault(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNKNOWN ||
         code == grpc::StatusCode::INTERNAL ||
         code == grpc::StatusCode::UNAVAILABLE ||
         code == grpc::StatusCode::DATA_LOSS;
}

class RpcObserver final : public grpc::experimental::Interceptor {
 public:
  RpcObserver(RpcMetrics* metrics, absl::Duration slow_threshold,
              std::string method, bool unary)
      : metrics_(metrics),
        slow_threshold_(slow_threshold),
        method_(std::move(method)),
        unary_(unary),
        start_(absl::Now()) {
    metrics_->CallStarted(method_);
  }

  // A call torn down without a status (the client went away) counts as
  // CANCELLED.
  ~RpcObserver() override {
    if (!finished_) Finish(grpc::Status::CANCELLED);
  }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      Finish(methods->GetSendStatus());
    }
    methods->Proceed();
  }

 private:
  void Finish(const grpc::Status& status) {
    finished_ = true;
    const absl::Duration latency = absl::Now() - start_;
    metrics_->CallFinished(method_, status.error_code(), latency);
    const std::string code = absl::StrCat(status.error_code());
    const std::string milliseconds =
        absl::StrCat(absl::ToInt64Milliseconds(latency));
    if (IsServerFault(status.error_code())) {
      LogEvent("error", "rpc_failed",
               {{"method", method_},
                {"code", code},
                {"message", status.error_message()},
                {"ms", milliseconds}});
    } else if (unary_ && latency >= slow_threshold_) {
      LogEvent("warn", "slow_request",
               {{"method", method_}, {"code", code}, {"ms", milliseconds}});
    }
  }

  RpcMetrics* const metrics_;
  const absl::Duration slow_threshold_;
  const std::string method_;
  const bool unary_;
  const absl::Time start_;
  bool finished_ = false;
};

}  // namespace

grpc::experimental::Interceptor* RpcObserverFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RpcObserver(
      metrics_, slow_threshold_, info->method(),
      info->type() == grpc::experimental::ServerRpcInfo::Type::UNARY);
}

}  // namespace content
