#ifndef CONTENT_STORAGE_ENGINE_H_
#define CONTENT_STORAGE_ENGINE_H_

// The engine seam: the ordered key-value store the article layer
// (KvArticleStore) keeps its records in. Narrow on purpose, like leveldb's DB
// and TiKV's engine traits: snapshots that carry a sequence, ordered
// MultiGet, bounded ordered scans, one atomic apply that commits as a given
// sequence, a wait for a sequence, and the engine's limits. Everything about
// articles (keys, indexes, preconditions) stays above it.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

namespace content {

// The engine keeps the sequence of the last apply under this key, written in
// the same atomic write as the batch; callers never write it. ("m:revision"
// since the first layout: the article layer's revision is the sequence.)
inline constexpr char kSequenceKey[] = "m:revision";

// Writes applied together; later operations win over earlier ones.
class KvWriteBatch {
 public:
  struct Operation {
    enum class Kind { kPut, kDelete, kDeleteRange };
    Kind kind;
    std::string key;  // kDeleteRange: the first key removed
    // kPut: the value. kDeleteRange: the key the range ends before.
    std::string value;
  };

  void Put(std::string key, std::string value) {
    bytes_ += key.size() + value.size();
    operations_.push_back(
        {Operation::Kind::kPut, std::move(key), std::move(value)});
  }
  void Delete(std::string key) {
    bytes_ += key.size();
    operations_.push_back({Operation::Kind::kDelete, std::move(key), {}});
  }
  // Removes every key in [begin, end).
  void DeleteRange(std::string begin, std::string end) {
    bytes_ += begin.size() + end.size();
    operations_.push_back(
        {Operation::Kind::kDeleteRange, std::move(begin), std::move(end)});
  }

  const std::vector<Operation>& operations() const { return operations_; }
  bool empty() const { return operations_.empty(); }
  // Bytes of keys and values, the measure of EngineLimits::max_batch_bytes.
  size_t bytes() const { return bytes_; }

 private:
  std::vector<Operation> operations_;
  size_t bytes_ = 0;
};

// A position in a bounded, ordered scan of a snapshot (bytewise key order).
// Not thread-safe; valid while its snapshot lives.
class KvIterator {
 public:
  virtual ~KvIterator() = default;
  virtual void SeekToFirst() = 0;
  virtual void SeekToLast() = 0;
  // The first key at or after `target`.
  virtual void Seek(absl::string_view target) = 0;
  // The last key at or before `target`.
  virtual void SeekForPrev(absl::string_view target) = 0;
  virtual void Next() = 0;
  virtual void Prev() = 0;
  // False past either end, and after an error (see status()).
  virtual bool Valid() const = 0;
  // Valid() must be true; the views last until the iterator moves.
  virtual absl::string_view key() const = 0;
  virtual absl::string_view value() const = 0;
  // OK, or the storage error that ended the scan.
  virtual absl::Status status() const = 0;
};

// One consistent view of the engine: later applies are not visible in it.
// Thread-safe.
class KvSnapshot {
 public:
  virtual ~KvSnapshot() = default;

  // The sequence of the last apply the snapshot holds (0 before any).
  virtual absl::StatusOr<int64_t> Sequence() = 0;

  // Calls `visit(i, value)` for each of `keys` in order, with a view of its
  // value (valid during the call only; engines with a cache pin it there
  // instead of copying it) or nullptr where absent. Stops at the first
  // error `visit` returns and returns it; otherwise fails only on storage
  // errors (before any visit).
  using ValueVisitor =
      std::function<absl::Status(size_t i, const absl::string_view* value)>;
  virtual absl::Status VisitMultiGet(absl::Span<const std::string> keys,
                                     const ValueVisitor& visit) = 0;

  // The values of `keys`, one per key in order, nullopt where absent. Fails
  // only on storage errors.
  absl::StatusOr<std::vector<std::optional<std::string>>> MultiGet(
      absl::Span<const std::string> keys) {
    std::vector<std::optional<std::string>> values(keys.size());
    const absl::Status status = VisitMultiGet(
        keys, [&values](size_t i, const absl::string_view* value) {
          if (value != nullptr) values[i].emplace(*value);
          return absl::OkStatus();
        });
    if (!status.ok()) return status;
    return values;
  }

  // A scan of the keys in [lower, upper); "" for `upper` is no bound.
  // `fill_cache` false keeps a one-off
  // pass over much data from evicting the hot set (engines with a cache).
  virtual std::unique_ptr<KvIterator> NewIterator(std::string lower,
                                                  std::string upper,
                                                  bool fill_cache = true) = 0;

  // MultiGet of one key.
  absl::StatusOr<std::optional<std::string>> Get(const std::string& key) {
    absl::StatusOr<std::vector<std::optional<std::string>>> values =
        MultiGet(absl::MakeConstSpan(&key, 1));
    if (!values.ok()) return values.status();
    return std::move(values->front());
  }
};

// What an engine accepts.
struct EngineLimits {
  // Open for reads only: Apply fails with FAILED_PRECONDITION.
  bool read_only = false;
  // The largest batch (KvWriteBatch::bytes) Apply takes.
  size_t max_batch_bytes = SIZE_MAX;
};

// Figures and operations that only some engines have (checkpoints, stats,
// compaction); the admin service uses them where the engine offers them.
class EngineAdmin {
 public:
  struct Stats {
    uint64_t live_bytes = 0;      // data files on disk
    uint64_t memtable_bytes = 0;  // in memory, not yet flushed
    uint64_t pending_compaction_bytes = 0;
    uint64_t running_compactions = 0;
    uint64_t running_flushes = 0;
    bool writes_stopped = false;      // the engine stalls writes completely
    uint64_t delayed_write_rate = 0;  // bytes/s while slowing writes, else 0
  };

  virtual ~EngineAdmin() = default;
  virtual Stats GetStats() = 0;
  // Compacts everything now (e.g. after a bulk load); reads and writes go
  // on meanwhile.
  virtual absl::Status CompactAll() = 0;
  // Writes a consistent copy, as of one sequence, into the new directory
  // `dir` while writes go on, and returns that sequence.
  virtual absl::StatusOr<int64_t> Checkpoint(const std::string& dir) = 0;
};

// How to open an engine: what every engine on a disk understands. Engines
// take what applies to them.
struct EngineSettings {
  // Directory of the database; created if missing.
  std::string path;
  // When true (the default) an apply returns only after it is on stable
  // storage, so it survives a power loss. When false it survives a crash of
  // the process but not of the machine, and applies are much faster.
  bool durable_writes = true;
  // Opens the database read-only (it must exist): reads work, every apply
  // fails with FAILED_PRECONDITION.
  bool read_only = false;
  // Memory for cached data, index and filter blocks.
  size_t cache_bytes = 192 << 20;
  // Applies fail with RESOURCE_EXHAUSTED, before anything is written, while
  // the file system holding `path` has fewer bytes free than this (0: no
  // check); they go through again once it has them.
  uint64_t min_free_bytes = 0;
  // Files the engine keeps open at most (-1: no limit), so that they cannot
  // take the descriptors the server needs for connections.
  int max_open_files = 1000;
};

// An ordered, durable key-value engine. Thread-safe; applies are expected
// from one thread at a time (the article layer's commit leader).
class KvEngine {
 public:
  virtual ~KvEngine() = default;

  virtual std::unique_ptr<KvSnapshot> GetSnapshot() = 0;

  // Applies `batch` atomically and commits it as `sequence`, which must be
  // at least LastSequence() (equal for a batch that is no new revision).
  // On OK it is durable to the degree the engine is configured for and
  // visible to snapshots taken after; on error nothing of it is visible.
  // FAILED_PRECONDITION when read-only, INVALID_ARGUMENT for a batch over
  // the limits or a sequence that goes back, RESOURCE_EXHAUSTED for lack of
  // space, UNAVAILABLE or INTERNAL for other storage errors.
  virtual absl::Status Apply(const KvWriteBatch& batch, int64_t sequence) = 0;

  // The sequence of the last apply; 0 for an empty engine.
  virtual int64_t LastSequence() = 0;

  // Waits until LastSequence() reaches `sequence` or `deadline` passes, and
  // returns LastSequence().
  virtual int64_t WaitForSequence(int64_t sequence, absl::Time deadline) = 0;

  virtual EngineLimits limits() const = 0;

  // The engine's admin operations, or null if it has none. Borrowed.
  virtual EngineAdmin* admin() { return nullptr; }
};

// Opens an engine; the composition root (content_server_main.cc, tests)
// chooses which.
using EngineOpener = std::function<absl::StatusOr<std::unique_ptr<KvEngine>>(
    const EngineSettings& settings)>;

}  // namespace content

#endif  // CONTENT_STORAGE_ENGINE_H_
