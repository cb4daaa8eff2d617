#ifndef CONTENT_REPLICATION_ETCD_LOG_H_
#define CONTENT_REPLICATION_ETCD_LOG_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "etcd/etcdserver/etcdserverpb/rpc.grpc.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"

namespace content {

struct EtcdLogOptions {
  // Client URLs' host:port of the etcd members; a member that fails is
  // replaced by the next (gRPC pick_first over all of them).
  std::vector<std::string> endpoints;
  // The log is the history of the key `prefix` + "log".
  std::string prefix = "/content/";
  // TLS to etcd (its --trusted-ca-file and https client URLs): the CA that
  // signed the members' certificates (PEM); plaintext when empty. With
  // `tls_cert_file` and `tls_key_file`, a client certificate, which etcd's
  // --client-cert-auth requires and whose CN it takes as the user.
  std::string tls_ca_file;
  std::string tls_cert_file;
  std::string tls_key_file;
  // Bound of each etcd call but the watch and appends.
  absl::Duration call_timeout = absl::Seconds(5);
  // Bound of an append. A proposal in flight when the etcd leader is lost
  // waits for etcd's own request timeout (about 7 s): shorter, a writer
  // hears UNAVAILABLE (outcome unknown) sooner and its next write goes to
  // the new leader.
  absl::Duration append_timeout = absl::Seconds(2);
};

// The replicated log on etcd 3.4: an entry is a version of one key,
// `prefix` + "log", and its etcd revision (mod_revision) is its position.
// etcd (Raft) orders, replicates and persists it; revisions grow but have
// gaps (etcd counts every change of its keyspace). Thread-safe.
class EtcdLog {
 public:
  // Connects to `options.endpoints` and checks that etcd answers.
  // INVALID_ARGUMENT for no endpoints or a TLS file that cannot be read
  // (naming it); UNAVAILABLE naming the endpoints when none answers within
  // call_timeout (or the TLS handshake fails).
  static absl::StatusOr<std::unique_ptr<EtcdLog>> Connect(
      const EtcdLogOptions& options);

  // Stop()s.
  ~EtcdLog();

  // Ends Follow: cancels the watch and waits for its thread, so that no
  // callback runs after it returns. Idempotent.
  void Stop();

  // Appends `entry` and returns its revision once etcd has committed it
  // (a quorum persisted it). UNAVAILABLE when etcd cannot be reached or has
  // no leader, INVALID_ARGUMENT when the entry is over etcd's request limit.
  absl::StatusOr<int64_t> Append(const std::string& entry);

  // The revision of the last entry, by a linearizable read: every entry
  // appended before the call is at or below it. 0 for an empty log.
  // UNAVAILABLE past `deadline` (or call_timeout, if sooner).
  absl::StatusOr<int64_t> LastEntryRevision(
      absl::Time deadline = absl::InfiniteFuture());

  // Records that replica `replica_id` has applied and persisted the log up
  // to `applied`, under prefix + "applied/" + replica_id, on a lease of
  // `ttl`: the record disappears when the replica stops reporting, and the
  // replica stops holding the log back.
  absl::Status ReportApplied(const std::string& replica_id, int64_t applied,
                             absl::Duration ttl);

  // Drops (etcd Compact) the entries below the lowest revision that the
  // live replicas reported applied; returns that revision (0: none
  // reported, nothing dropped).
  absl::StatusOr<int64_t> CompactBehindReplicas();

  // Calls `apply(revision, entry)` on a thread of its own for every entry
  // from `from_revision` on, in order, each once. When `apply` fails, the
  // same entry is offered again after a pause. Lost connections and leader
  // changes resume the watch where it stopped. `on_trouble` hears what
  // stops it from going on (OK once it goes on again); OUT_OF_RANGE when
  // etcd no longer holds `from_revision` (compacted), after which Follow
  // stops. Call once.
  using ApplyEntry =
      std::function<absl::Status(int64_t revision, const std::string& entry)>;
  void Follow(int64_t from_revision, ApplyEntry apply,
              std::function<void(const absl::Status&)> on_trouble);

 private:
  EtcdLog(const EtcdLogOptions& options,
          std::shared_ptr<grpc::Channel> channel);

  // One watch stream from `*next` on; returns why it ended.
  absl::Status WatchOnce(int64_t* next);
  void PrepareContext(grpc::ClientContext* context,
                      absl::Duration timeout) const;

  const EtcdLogOptions options_;
  const std::string log_key_;
  const std::shared_ptr<grpc::Channel> channel_;
  const std::unique_ptr<etcdserverpb::KV::Stub> kv_;
  const std::unique_ptr<etcdserverpb::Watch::Stub> watch_;
  const std::unique_ptr<etcdserverpb::Lease::Stub> lease_;
  std::atomic<bool> stopping_{false};
  std::mutex watch_mu_;
  grpc::ClientContext* watch_context_ = nullptr;         // guarded by watch_mu_
  ApplyEntry apply_;                                     // set by Follow
  std::function<void(const absl::Status&)> on_trouble_;  // set by Follow
  std::thread follower_;
};

}  // namespace content

#endif  // CONTENT_REPLICATION_ETCD_LOG_H_
