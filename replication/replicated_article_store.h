#ifndef CONTENT_REPLICATION_REPLICATED_ARTICLE_STORE_H_
#define CONTENT_REPLICATION_REPLICATED_ARTICLE_STORE_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "replication/etcd_log.h"
#include "storage/article_store.h"
#include "storage/kv_article_store.h"

namespace content {

struct ReplicationOptions {
  EtcdLogOptions etcd;
  // Names this replica in the log (the origin of its entries).
  std::string replica_id;
  // How long a write waits for its entry to be applied here, and a read
  // barrier for this replica to catch up, before UNAVAILABLE.
  absl::Duration wait_timeout = absl::Seconds(10);
  // Entries stay below etcd's request limit (--max-request-bytes, 1.5 MiB
  // by default): writes are grouped up to this many bytes, and a larger
  // write is split into several entries, each article whole.
  size_t max_entry_bytes = 1 << 20;
  // Log retention: every lease_ttl / 5 the replica reports the revision it
  // has applied (on an etcd lease of lease_ttl) and drops the entries below
  // the lowest revision the live replicas reported. A replica that stopped
  // reporting for lease_ttl no longer holds the log back: past that, it
  // restarts from another replica's backup.
  absl::Duration lease_ttl = absl::Seconds(10);
};

// ArticleStore of one replica in replicated mode: etcd (EtcdLog) is the
// replicated, ordered commit log; this replica's KvArticleStore is the
// state that log materialises. A Write is appended to the log (concurrent
// writers share one entry, as the group commit shares one fsync) and
// answered once this replica has applied its entry; every replica applies
// every entry in revision order (KvArticleStore::ApplyEntry), so
// preconditions are judged at apply time against the same state everywhere
// and exactly one of racing conditional writes wins. The store revision is
// the entry's etcd revision: it grows, with gaps.
//
// Reads are served from the local state. SyncReads is the barrier that
// makes them reflect every write acknowledged anywhere before it (one
// linearizable etcd read, shared by the readers that arrive together, then
// a wait for the local state to apply that revision).
//
// Thread-safe.
class ReplicatedArticleStore final : public ArticleStore {
 public:
  // Connects to etcd and starts applying the log from the local state's
  // revision on. `engine` is borrowed and must outlive the store, whose
  // only writer it is. UNAVAILABLE naming the endpoints when etcd does not
  // answer; INVALID_ARGUMENT for an empty replica_id.
  static absl::StatusOr<std::unique_ptr<ReplicatedArticleStore>> Open(
      KvEngine* engine, const KvArticleStoreOptions& store_options,
      const ReplicationOptions& options);

  ~ReplicatedArticleStore() override;

  // Local reads.
  absl::StatusOr<std::vector<std::optional<v1::Article>>> MultiGet(
      absl::Span<const std::string> keys) override;
  absl::StatusOr<std::vector<std::optional<std::string>>> MultiGetSerialized(
      absl::Span<const std::string> keys) override;
  absl::StatusOr<QueryPage> Query(const ArticleQuery& query,
                                  absl::string_view start_after,
                                  PageLimits limit) override;
  absl::StatusOr<QueryPage> ListReferencing(absl::string_view related_key,
                                            absl::string_view start_after,
                                            PageLimits limit) override;
  absl::StatusOr<std::vector<ArticleChange>> ReadChanges(int64_t from_revision,
                                                         size_t limit) override;
  int64_t WaitForRevision(int64_t revision, absl::Time deadline) override;
  int64_t LastRevision() override;
  int64_t ArticleCount() override;
  absl::StatusOr<VerifyReport> Verify(const ArticleCheck& check) override;
  absl::StatusOr<StateDigest> Digest() override;

  // Through the log. UNAVAILABLE when etcd cannot be reached or the entry
  // is not applied here within wait_timeout (its outcome is then unknown:
  // it may still apply); INVALID_ARGUMENT for one article over
  // max_entry_bytes. A write over max_entry_bytes is split into entries
  // that apply one after another: atomic per entry, not as a whole.
  absl::StatusOr<std::vector<MutationResult>> Write(
      std::vector<ArticleMutation> mutations) override;

  absl::Status SyncReads(absl::Time deadline) override;
  bool SyncReadsBlocks() const override { return true; }
  absl::Status Health() override;

 private:
  struct PendingWrite;

  ReplicatedArticleStore(KvEngine* engine,
                         std::unique_ptr<KvArticleStore> local,
                         std::unique_ptr<EtcdLog> log,
                         const ReplicationOptions& options);

  // One Write of at most max_entry_bytes through the log.
  absl::StatusOr<std::vector<MutationResult>> WriteEntry(
      std::vector<ArticleMutation> mutations, size_t bytes);
  // Run by the leader: appends the group as one entry, returns its revision.
  absl::StatusOr<int64_t> AppendGroup(const std::vector<PendingWrite*>& group);
  // Follow's callback: applies the entry at `revision`.
  absl::Status ApplyEntry(int64_t revision, const std::string& bytes);
  void SetTrouble(const absl::Status& status);
  // The retention thread: reports progress, compacts the log.
  void KeepLog();

  KvEngine* const engine_;
  const std::unique_ptr<KvArticleStore> local_;
  const std::unique_ptr<EtcdLog> log_;
  const ReplicationOptions options_;
  const std::string origin_;

  std::mutex mu_;
  std::condition_variable changed_;
  uint64_t next_write_id_ ABSL_GUARDED_BY(mu_) = 1;
  std::deque<PendingWrite*> queue_ ABSL_GUARDED_BY(mu_);
  // Outcomes of this replica's writes, by id, from apply to their writer:
  // a slot per waiting writer, filled by the apply of its entry.
  std::map<uint64_t, std::optional<absl::StatusOr<std::vector<MutationResult>>>>
      outcomes_ ABSL_GUARDED_BY(mu_);
  // The read barrier's rounds (see SyncReads).
  uint64_t barrier_started_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t barrier_completed_ ABSL_GUARDED_BY(mu_) = 0;
  bool barrier_in_flight_ ABSL_GUARDED_BY(mu_) = false;
  absl::StatusOr<int64_t> barrier_result_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status trouble_ ABSL_GUARDED_BY(mu_);  // why it cannot go on
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread keeper_;  // runs KeepLog
};

}  // namespace content

#endif  // CONTENT_REPLICATION_REPLICATED_ARTICLE_STORE_H_
