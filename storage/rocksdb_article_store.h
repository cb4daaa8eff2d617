#ifndef CONTENT_STORAGE_ROCKSDB_ARTICLE_STORE_H_
#define CONTENT_STORAGE_ROCKSDB_ARTICLE_STORE_H_

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "storage/article_store.h"

namespace content {

struct RocksDbOptions {
  // Directory of the database; created if missing.
  std::string path;
  // When true (the default) a write is acknowledged only after its WAL
  // record is fsynced, so it survives a power loss. When false it survives a
  // crash of the process but not of the machine, and writes are much faster.
  bool durable_writes = true;
  // Shared LRU cache for data, index and filter blocks. 192 MB holds the
  // index and filter blocks of a million articles with room for hot data.
  size_t block_cache_bytes = 192 << 20;
  // Opens the database read-only (it must exist): reads work, every write
  // fails with FAILED_PRECONDITION.
  bool read_only = false;
  // How many of the latest revisions the change feed keeps (at least 1).
  // Older ones are dropped in steps of about a sixteenth of this.
  int64_t change_history_revisions = 100000;
  // Writes fail with RESOURCE_EXHAUSTED, before RocksDB is asked to write,
  // while the file system holding `path` has fewer bytes free than this (0:
  // no check); they go through again once it has them. RocksDB itself
  // aborts (Debian's build keeps its assertions) when it must resume from a
  // write that found the disk full, so the store keeps it from getting there.
  uint64_t min_free_bytes = 0;
  // Files RocksDB keeps open at most (-1: no limit), so that they cannot take
  // the descriptors the server needs for connections.
  int max_open_files = 1000;
  // The environment RocksDB does its I/O through; the default when null.
  // Borrowed; tests use it to inject faults.
  rocksdb::Env* env = nullptr;
};

// ArticleStore on an embedded RocksDB database.
//
// Writes go through a queue: the writer at its head becomes the leader,
// applies the preconditions of every queued write in order, and commits them
// as one WriteBatch with one WAL sync (group commit). Commit order is
// therefore revision order, and concurrent writers share fsyncs.
//
// When a write fails for lack of disk space (RESOURCE_EXHAUSTED: below
// min_free_bytes) or another I/O error, nothing of its group is visible or
// acknowledged, reads go on, and writes work again once the cause is gone.
class RocksDbArticleStore final : public ArticleStore {
 public:
  // Opens or creates the database at `options.path`.
  static absl::StatusOr<std::unique_ptr<RocksDbArticleStore>> Open(
      const RocksDbOptions& options);

  // Closes the database; with durable_writes off, syncs the WAL first.
  ~RocksDbArticleStore() override;

  absl::StatusOr<std::vector<std::optional<v1::Article>>> MultiGet(
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
  // The Article's bytes are cut out of the stored value, not parsed.
  absl::StatusOr<std::vector<std::optional<std::string>>> MultiGetSerialized(
      absl::Span<const std::string> keys) override;
  absl::StatusOr<std::vector<MutationResult>> Write(
      std::vector<ArticleMutation> mutations) override;

  // Figures for monitoring.
  struct Stats {
    int64_t articles = 0;         // exact, kept with every write
    uint64_t sst_bytes = 0;       // live SST files on disk
    uint64_t memtable_bytes = 0;  // all memtables
    uint64_t pending_compaction_bytes = 0;
    uint64_t running_compactions = 0;
    uint64_t running_flushes = 0;
    bool writes_stopped = false;      // RocksDB stalls writes completely
    uint64_t delayed_write_rate = 0;  // bytes/s while slowing writes, else 0
  };
  Stats GetStats();

  // What Verify found; `problems` is empty when the store is consistent.
  struct VerifyReport {
    int64_t articles = 0;
    int64_t aliases = 0;
    int64_t revision = 0;
    std::vector<std::string> problems;  // the first 100 found
  };
  // Returns a description of what is wrong with the article stored under
  // `key`, or "" if nothing is; for checks only the caller can make.
  using ArticleCheck =
      std::function<std::string(absl::string_view key, const v1::Article&)>;
  // Walks one snapshot of the whole store and checks that every record
  // parses, every etag matches its content, every revision is at most the
  // store's, the article count is exact, aliases and articles point at each
  // other, and the index holds exactly the entries the articles make; plus
  // `check` on each article. Memory stays flat in the store
  // size. Fails only if the store cannot be read.
  absl::StatusOr<VerifyReport> Verify(const ArticleCheck& check);

  // Compacts the whole database now, e.g. after a bulk load. Blocks; writes
  // and reads go on meanwhile.
  absl::Status CompactAll();

  // Writes a consistent copy of the database, as of one moment, into the
  // new directory `dir` (hard links where the filesystem allows) while
  // writes go on, and returns the revision it holds.
  absl::StatusOr<int64_t> Checkpoint(const std::string& dir);

 private:
  struct PendingWrite;

  RocksDbArticleStore(std::unique_ptr<rocksdb::DB> db,
                      const RocksDbOptions& options, int64_t last_revision,
                      int64_t article_count, int64_t oldest_change);

  // Adds to `batch`, once enough have accumulated, the removal of the
  // change-feed entries beyond the history kept as of `revision`; returns
  // the oldest revision kept once `batch` is written.
  int64_t TrimChanges(int64_t revision, rocksdb::WriteBatch* batch);

  // Raw database keys to their new values; nullopt deletes.
  using RawWrites =
      absl::flat_hash_map<std::string, std::optional<std::string>>;

  // Run by the leader without mu_: commits `group` (the head of the queue)
  // on top of `revision` and `article_count`, which it advances to what was
  // committed.
  void CommitGroup(absl::Span<PendingWrite* const> group, int64_t* revision,
                   int64_t* article_count);
  // Applies one queued write (consuming its articles) on top of `committed`
  // into `staged`, article and alias entries both; fails without staging on
  // a failed precondition.
  absl::Status StageWrite(PendingWrite* write, int64_t revision, absl::Time now,
                          const RawWrites& committed, RawWrites* staged,
                          std::vector<MutationResult>* results);
  absl::StatusOr<std::optional<std::string>> ReadRaw(
      const std::string& raw_key);
  // The stored values (StoredArticle) of `keys`, each resolved through its
  // alias entry when it has no article of its own, from one snapshot.
  absl::StatusOr<std::vector<std::optional<std::string>>> MultiGetStored(
      absl::Span<const std::string> keys);
  absl::StatusOr<std::vector<std::optional<std::string>>> MultiGetRaw(
      const rocksdb::ReadOptions& read_options,
      const std::vector<std::string>& raw_keys);

  // OK, or RESOURCE_EXHAUSTED while the disk has less than min_free_bytes.
  absl::Status CheckFreeSpace() const;

  const std::unique_ptr<rocksdb::DB> db_;
  const std::string path_;
  const bool durable_writes_;
  const bool read_only_;
  const uint64_t min_free_bytes_;

  const int64_t change_history_revisions_;
  // Only the leader of a group touches these two.
  bool needs_resume_ = false;  // set after a failed write
  int64_t oldest_change_;      // the oldest revision the change feed holds
  // Serialises Checkpoint calls, whose temporary state RocksDB shares.
  std::mutex checkpoint_mu_;
  // std::mutex rather than absl::Mutex: ThreadSanitizer sees its
  // synchronisation (pthreads), not that of Debian's uninstrumented absl.
  std::mutex mu_;
  std::condition_variable queue_changed_;
  std::deque<PendingWrite*> queue_ ABSL_GUARDED_BY(mu_);
  int64_t last_revision_ ABSL_GUARDED_BY(mu_);
  int64_t article_count_ ABSL_GUARDED_BY(mu_);
};

}  // namespace content

#endif  // CONTENT_STORAGE_ROCKSDB_ARTICLE_STORE_H_
