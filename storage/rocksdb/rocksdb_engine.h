#ifndef CONTENT_STORAGE_ROCKSDB_ROCKSDB_ENGINE_H_
#define CONTENT_STORAGE_ROCKSDB_ROCKSDB_ENGINE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "storage/engine.h"
#include "storage/sequence_counter.h"

namespace content {

// EngineSettings (cache_bytes is RocksDB's shared LRU block cache: 192 MB
// holds the index and filter blocks of a million articles with room for hot
// data), and the environment RocksDB does its I/O through: the default when
// null; borrowed; tests use it to inject faults.
struct RocksDbOptions : EngineSettings {
  rocksdb::Env* env = nullptr;
};

// KvEngine on an embedded RocksDB database: the only code that includes
// RocksDB's headers. RocksDB itself aborts (Debian's build keeps its
// assertions) when it must resume from a write that found the disk full, so
// the engine keeps it from getting there with min_free_bytes. A batch is one
// rocksdb::WriteBatch (one WAL record, one fsync when durable). After a failed
// apply (a full disk, an I/O error) nothing of it is visible, reads go on, and
// applies work again once the cause is gone (DB::Resume). Thread-safe.
class RocksDbEngine final : public KvEngine, public EngineAdmin {
 public:
  // Opens or creates the database at `options.path`.
  static absl::StatusOr<std::unique_ptr<RocksDbEngine>> Open(
      const RocksDbOptions& options);
  // Open as an EngineOpener.
  static absl::StatusOr<std::unique_ptr<KvEngine>> OpenEngine(
      const EngineSettings& settings);

  // Closes the database; with durable_writes off, syncs the WAL first.
  ~RocksDbEngine() override;

  std::unique_ptr<KvSnapshot> GetSnapshot() override;
  absl::Status Apply(const KvWriteBatch& batch, int64_t sequence) override;
  int64_t LastSequence() override { return sequence_.Load(); }
  int64_t WaitForSequence(int64_t sequence, absl::Time deadline) override {
    return sequence_.WaitFor(sequence, deadline);
  }
  EngineLimits limits() const override;
  EngineAdmin* admin() override { return this; }

  Stats GetStats() override;
  absl::Status CompactAll() override;
  // Hard links where the file system allows; flushes the memtables first so
  // the copy is mostly SST files.
  absl::StatusOr<int64_t> Checkpoint(const std::string& dir) override;

 private:
  RocksDbEngine(std::unique_ptr<rocksdb::DB> db, const RocksDbOptions& options,
                int64_t sequence);

  // OK, or RESOURCE_EXHAUSTED while the disk has less than min_free_bytes.
  absl::Status CheckFreeSpace() const;

  const std::unique_ptr<rocksdb::DB> db_;
  const std::string path_;
  const bool durable_writes_;
  const bool read_only_;
  const uint64_t min_free_bytes_;
  SequenceCounter sequence_;
  // Serialises applies (one leader at a time in practice) and guards
  // needs_resume_.
  std::mutex apply_mu_;
  bool needs_resume_ = false;  // set after a failed write
  // Serialises Checkpoint calls, whose temporary state RocksDB shares.
  std::mutex checkpoint_mu_;
};

}  // namespace content

#endif  // CONTENT_STORAGE_ROCKSDB_ROCKSDB_ENGINE_H_
