#include "replication/etcd_log.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "base/pem_file.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace content {
namespace {

// Pause before a failed entry is offered again or a watch is re-created.
constexpr absl::Duration kRetryPause = absl::Milliseconds(200);

absl::Status FromGrpc(const grpc::Status& status, absl::string_view what) {
  const std::string message =
      absl::StrCat("etcd ", what, ": ", status.error_message());
  switch (status.error_code()) {
    case grpc::StatusCode::INVALID_ARGUMENT:
      return absl::InvalidArgumentError(message);
    case grpc::StatusCode::OUT_OF_RANGE:
      return absl::OutOfRangeError(message);
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::CANCELLED:
      return absl::UnavailableError(message);
    default:
      return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          message);
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<EtcdLog>> EtcdLog::Connect(
    const EtcdLogOptions& options) {
  if (options.endpoints.empty()) {
    return absl::InvalidArgumentError("etcd_endpoints: none given");
  }
  const std::string target =
      absl::StrCat("ipv4:", absl::StrJoin(options.endpoints, ","));
  // Keepalive pings find a connection that died silently (a half-open TCP
  // connection would leave the watch waiting for ever).
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 5000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 3000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      grpc::InsecureChannelCredentials();
  if (!options.tls_ca_file.empty()) {
    absl::StatusOr<ClientTlsPem> pem =
        ReadClientTlsFiles({{options.tls_ca_file, "etcd_tls_ca_file"},
                            {options.tls_cert_file, "etcd_tls_cert_file"},
                            {options.tls_key_file, "etcd_tls_key_file"}});
    if (!pem.ok()) return pem.status();
    credentials = grpc::SslCredentials({std::move(pem->roots),
                                        std::move(pem->private_key),
                                        std::move(pem->cert_chain)});
  }
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateCustomChannel(target, credentials, args);
  std::unique_ptr<EtcdLog> log(new EtcdLog(options, std::move(channel)));
  absl::StatusOr<int64_t> revision = log->LastEntryRevision();
  if (!revision.ok()) {
    return absl::UnavailableError(
        absl::StrCat("etcd_endpoints ", absl::StrJoin(options.endpoints, ","),
                     ": ", revision.status().message()));
  }
  return log;
}

EtcdLog::EtcdLog(const EtcdLogOptions& options,
                 std::shared_ptr<grpc::Channel> channel)
    : options_(options),
      log_key_(options.prefix + "log"),
      channel_(std::move(channel)),
      kv_(etcdserverpb::KV::NewStub(channel_)),
      watch_(etcdserverpb::Watch::NewStub(channel_)),
      lease_(etcdserverpb::Lease::NewStub(channel_)) {}

EtcdLog::~EtcdLog() { Stop(); }

void EtcdLog::Stop() {
  stopping_ = true;
  {
    std::lock_guard<std::mutex> lock(watch_mu_);
    if (watch_context_ != nullptr) watch_context_->TryCancel();
  }
  if (follower_.joinable()) follower_.join();
}

void EtcdLog::PrepareContext(grpc::ClientContext* context,
                             absl::Duration timeout) const {
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  // Fail rather than wait when the member has lost its leader.
  context->AddMetadata("hasleader", "true");
}

absl::StatusOr<int64_t> EtcdLog::Append(const std::string& entry) {
  etcdserverpb::PutRequest request;
  request.set_key(log_key_);
  request.set_value(entry);
  etcdserverpb::PutResponse response;
  grpc::ClientContext context;
  PrepareContext(&context, options_.append_timeout);
  const grpc::Status status = kv_->Put(&context, request, &response);
  if (!status.ok()) return FromGrpc(status, "append");
  return response.header().revision();
}

absl::StatusOr<int64_t> EtcdLog::LastEntryRevision(absl::Time deadline) {
  etcdserverpb::RangeRequest request;
  request.set_key(log_key_);
  request.set_keys_only(true);  // linearizable: serializable stays false
  etcdserverpb::RangeResponse response;
  grpc::ClientContext context;
  PrepareContext(&context, std::min(options_.call_timeout,
                                    std::max(absl::ZeroDuration(),
                                             deadline - absl::Now())));
  const grpc::Status status = kv_->Range(&context, request, &response);
  if (!status.ok()) return FromGrpc(status, "read");
  return response.kvs().empty() ? 0 : response.kvs(0).mod_revision();
}

absl::Status EtcdLog::ReportApplied(const std::string& replica_id,
                                    int64_t applied, absl::Duration ttl) {
  // A new lease each time, simpler than keeping one alive: the old ones
  // expire on their own after `ttl`.
  etcdserverpb::LeaseGrantRequest grant;
  grant.set_ttl(std::max<int64_t>(1, absl::ToInt64Seconds(ttl)));
  etcdserverpb::LeaseGrantResponse granted;
  grpc::ClientContext grant_context;
  PrepareContext(&grant_context, options_.call_timeout);
  grpc::Status status = lease_->LeaseGrant(&grant_context, grant, &granted);
  if (!status.ok()) return FromGrpc(status, "lease");
  etcdserverpb::PutRequest put;
  put.set_key(options_.prefix + "applied/" + replica_id);
  put.set_value(absl::StrCat(applied));
  put.set_lease(granted.id());
  etcdserverpb::PutResponse response;
  grpc::ClientContext put_context;
  PrepareContext(&put_context, options_.call_timeout);
  status = kv_->Put(&put_context, put, &response);
  return status.ok() ? absl::OkStatus() : FromGrpc(status, "report");
}

absl::StatusOr<int64_t> EtcdLog::CompactBehindReplicas() {
  etcdserverpb::RangeRequest request;
  request.set_key(options_.prefix + "applied/");
  request.set_range_end(options_.prefix + "applied0");  // '0' follows '/'
  etcdserverpb::RangeResponse response;
  grpc::ClientContext context;
  PrepareContext(&context, options_.call_timeout);
  grpc::Status status = kv_->Range(&context, request, &response);
  if (!status.ok()) return FromGrpc(status, "read replicas");
  int64_t slowest = 0;
  for (const mvccpb::KeyValue& kv : response.kvs()) {
    int64_t applied = 0;
    if (!absl::SimpleAtoi(kv.value(), &applied)) continue;
    slowest = slowest == 0 ? applied : std::min(slowest, applied);
  }
  if (slowest <= 0) return 0;
  etcdserverpb::CompactionRequest compact;
  compact.set_revision(slowest);
  etcdserverpb::CompactionResponse compacted;
  grpc::ClientContext compact_context;
  PrepareContext(&compact_context, options_.call_timeout);
  status = kv_->Compact(&compact_context, compact, &compacted);
  // OUT_OF_RANGE: compacted that far already.
  if (!status.ok() && status.error_code() != grpc::StatusCode::OUT_OF_RANGE) {
    return FromGrpc(status, "compact");
  }
  return slowest;
}

void EtcdLog::Follow(int64_t from_revision, ApplyEntry apply,
                     std::function<void(const absl::Status&)> on_trouble) {
  apply_ = std::move(apply);
  on_trouble_ = std::move(on_trouble);
  follower_ = std::thread([this, from_revision] {
    int64_t next = from_revision;
    while (!stopping_) {
      const absl::Status ended = WatchOnce(&next);
      if (stopping_) return;
      on_trouble_(ended);
      if (absl::IsOutOfRange(ended)) return;
      absl::SleepFor(kRetryPause);
    }
  });
}

absl::Status EtcdLog::WatchOnce(int64_t* next) {
  grpc::ClientContext context;
  context.AddMetadata("hasleader", "true");
  {
    std::lock_guard<std::mutex> lock(watch_mu_);
    if (stopping_) return absl::CancelledError("stopping");
    watch_context_ = &context;
  }
  struct Unregister {
    EtcdLog* log;
    ~Unregister() {
      std::lock_guard<std::mutex> lock(log->watch_mu_);
      log->watch_context_ = nullptr;
    }
  } unregister{this};

  auto stream = watch_->Watch(&context);
  etcdserverpb::WatchRequest request;
  etcdserverpb::WatchCreateRequest* create = request.mutable_create_request();
  create->set_key(log_key_);
  create->set_start_revision(*next);
  create->add_filters(etcdserverpb::WatchCreateRequest::NODELETE);
  // A catch-up larger than a message comes in fragments.
  create->set_fragment(true);
  if (!stream->Write(request)) {
    return FromGrpc(stream->Finish(), "watch");
  }
  std::vector<mvccpb::Event> pending;  // of a fragmented response
  etcdserverpb::WatchResponse response;
  bool healthy = false;
  while (stream->Read(&response)) {
    if (!healthy) {
      healthy = true;
      on_trouble_(absl::OkStatus());  // connected and following again
    }
    if (response.canceled()) {
      context.TryCancel();
      stream->Finish().IgnoreError();
      if (response.compact_revision() > 0) {
        return absl::OutOfRangeError(absl::StrCat(
            "the log is compacted up to revision ", response.compact_revision(),
            "; this replica needs revision ", *next,
            ": restore it from another replica's backup"));
      }
      return absl::UnavailableError(
          absl::StrCat("etcd cancelled the watch: ", response.cancel_reason()));
    }
    for (mvccpb::Event& event : *response.mutable_events()) {
      pending.push_back(std::move(event));
    }
    if (response.fragment()) continue;
    for (const mvccpb::Event& event : pending) {
      const int64_t revision = event.kv().mod_revision();
      if (event.type() != mvccpb::Event::PUT || revision < *next) continue;
      bool failed = false;
      for (absl::Status applied = apply_(revision, event.kv().value());
           !applied.ok(); applied = apply_(revision, event.kv().value())) {
        if (stopping_) return absl::CancelledError("stopping");
        on_trouble_(applied);
        failed = true;
        absl::SleepFor(kRetryPause);
      }
      if (failed) on_trouble_(absl::OkStatus());
      *next = revision + 1;
    }
    pending.clear();
  }
  return FromGrpc(stream->Finish(), "watch");
}

}  // namespace content
