#include "service/rpc_observer.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/server_context.h"
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
              std::string method, bool unary, grpc::ServerContextBase* context)
      : metrics_(metrics),
        context_(context),
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
    // Unary only: on a stream, no message is also the end of the stream.
    if (unary_ &&
        methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      request_unparsed_ = true;
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status status = methods->GetSendStatus();
      if (request_unparsed_ &&
          status.error_code() == grpc::StatusCode::INTERNAL) {
        status = UnparsedRequestStatus();
        methods->ModifySendStatus(status);
      }
      Finish(status);
    }
    methods->Proceed();
  }

 private:
  // What a synchronous method whose request did not arrive whole answers
  // instead of gRPC's INTERNAL: the client is not at fault when it
  // cancelled (or reset the stream) before sending it, and a request that
  // does not parse is the client's error, not the server's.
  grpc::Status UnparsedRequestStatus() const {
    if (context_ != nullptr && context_->IsCancelled()) {
      return grpc::Status(grpc::StatusCode::CANCELLED,
                          "the call was cancelled before its request arrived");
    }
    return grpc::Status(
        grpc::StatusCode::INVALID_ARGUMENT,
        absl::StrCat("the request of ", method_,
                     " does not parse (malformed bytes, or a string field "
                     "that is not UTF-8)"));
  }

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
  grpc::ServerContextBase* const context_;
  const absl::Duration slow_threshold_;
  const std::string method_;
  const bool unary_;
  const absl::Time start_;
  bool finished_ = false;
  bool request_unparsed_ = false;
};

}  // namespace

grpc::experimental::Interceptor* RpcObserverFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RpcObserver(
      metrics_, slow_threshold_, info->method(),
      info->type() == grpc::experimental::ServerRpcInfo::Type::UNARY,
      info->server_context());
}

}  // namespace content
