#ifndef CONTENT_SERVICE_RPC_OBSERVER_H_
#define CONTENT_SERVICE_RPC_OBSERVER_H_

#include "absl/time/time.h"
#include "grpcpp/support/server_interceptor.h"
#include "service/rpc_metrics.h"

namespace content {

// A server interceptor factory that watches every RPC: it counts calls and
// their latency in `metrics`, logs unary calls taking `slow_threshold` or more
// (event slow_request), and logs calls that end in a server fault, UNKNOWN,
// INTERNAL, UNAVAILABLE or DATA_LOSS (event rpc_failed). Streams are
// counted but never reported slow: a Watch lasts as long as its client.
// A synchronous call whose request never arrived whole ends CANCELLED when
// the client cancelled it first, else INVALID_ARGUMENT (it did not parse),
// instead of gRPC's INTERNAL.
class RpcObserverFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `metrics` is borrowed and must outlive the server.
  RpcObserverFactory(RpcMetrics* metrics, absl::Duration slow_threshold)
      : metrics_(metrics), slow_threshold_(slow_threshold) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  RpcMetrics* const metrics_;
  const absl::Duration slow_threshold_;
};

}  // namespace content

#endif  // CONTENT_SERVICE_RPC_OBSERVER_H_
