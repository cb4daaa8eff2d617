#ifndef CONTENT_STORAGE_KV_ARTICLE_STORE_H_
#define CONTENT_STORAGE_KV_ARTICLE_STORE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "storage/article_store.h"
#include "storage/engine.h"
#include "storage/write_staging.h"

namespace content {

struct KvArticleStoreOptions {
  // How many of the latest revisions the change feed keeps (at least 1).
  // Older ones are dropped in steps of about a sixteenth of this.
  int64_t change_history_revisions = 100000;
};

// ArticleStore over a KvEngine: the article layer. It owns the record
// layout (article_layout.h), aliases, the index postings and their join,
// the change feed, conditional writes and verification; the engine only
// stores ordered keys.
//
// The write path is "stage against a state, then commit": writes go through
// a queue; the writer at its head becomes the leader, stages every queued
// write in order against one snapshot (StageWrites: preconditions, aliases,
// index entries, change records), and commits them as one engine batch
// (group commit: one fsync for the group). Commit order is revision order.
// When the engine fails a batch (RESOURCE_EXHAUSTED for a full disk, an I/O
// error), no write of the group is visible or acknowledged.
//
// A store must be its engine's only writer. Thread-safe.
class KvArticleStore final : public ArticleStore {
 public:
  // Opens the article layer over `engine`, borrowed: it must outlive the
  // store. FAILED_PRECONDITION when the engine holds another layout version.
  static absl::StatusOr<std::unique_ptr<KvArticleStore>> Open(
      KvEngine* engine, const KvArticleStoreOptions& options = {});

  absl::StatusOr<std::vector<std::optional<v1::Article>>> MultiGet(
      absl::Span<const std::string> keys) override;
  // The Article's bytes are cut out of the stored record, not parsed.
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
  absl::StatusOr<std::vector<MutationResult>> Write(
      std::vector<ArticleMutation> mutations) override;
  absl::StatusOr<VerifyReport> Verify(const ArticleCheck& check) override;
  absl::StatusOr<StateDigest> Digest() override;

  // Applies one entry of a replicated log: `writes` in order, every change
  // as revision `revision` (after LastRevision(); gaps allowed), stamped
  // `now`, each write judged against the state the ones before it leave.
  // The revision is committed even when nothing changes. Returns each
  // write's outcome (its results, or NOT_FOUND, ABORTED, ALREADY_EXISTS).
  // Fails, applying nothing, when the state cannot be read or the engine
  // refuses the batch (RESOURCE_EXHAUSTED, ...). Deterministic: replicas
  // that apply the same entries reach the same state. Not to be mixed with
  // Write on one store.
  absl::StatusOr<std::vector<absl::StatusOr<std::vector<MutationResult>>>>
  ApplyEntry(int64_t revision, absl::Time now,
             std::vector<std::vector<ArticleMutation>> writes);

 private:
  struct PendingWrite;

  KvArticleStore(KvEngine* engine, const KvArticleStoreOptions& options,
                 int64_t article_count, int64_t oldest_change);

  // Run by the leader without mu_: stages and commits `group` (the head of
  // the queue) and sets each write's result.
  void CommitGroup(absl::Span<PendingWrite* const> group);
  // Adds the counters to `staged`'s batch and applies it as its last
  // revision; the counters advance only if that succeeds.
  absl::Status Commit(StagedGroup* staged);
  // Adds to `batch`, once enough have accumulated, the removal of the
  // change-feed entries beyond the history kept as of `revision`; returns
  // the oldest revision kept once `batch` is applied.
  int64_t TrimChanges(int64_t revision, KvWriteBatch* batch) const;
  // Calls `visit(i, record)`, from one snapshot, with the stored record
  // (StoredArticle) of each of `keys` that has one, resolved through its
  // alias entry when it has no article of its own; a view valid during the
  // call. Stops at the first error `visit` returns.
  using StoredVisitor =
      std::function<absl::Status(size_t i, absl::string_view record)>;
  absl::Status VisitStored(absl::Span<const std::string> keys,
                           const StoredVisitor& visit);

  KvEngine* const engine_;
  const int64_t change_history_revisions_;
  // As of the last commit; written by the leader only.
  std::atomic<int64_t> article_count_;
  // The oldest revision the change feed holds; the leader's only.
  int64_t oldest_change_;
  // std::mutex rather than absl::Mutex: ThreadSanitizer sees its
  // synchronisation (pthreads), not that of Debian's uninstrumented absl.
  std::mutex mu_;
  std::deque<PendingWrite*> queue_ ABSL_GUARDED_BY(mu_);
};

}  // namespace content

#endif  // CONTENT_STORAGE_KV_ARTICLE_STORE_H_
