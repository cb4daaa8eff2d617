#ifndef CONTENT_STORAGE_ROCKSDB_ROCKSDB_SNAPSHOT_H_
#define CONTENT_STORAGE_ROCKSDB_ROCKSDB_SNAPSHOT_H_

// KvSnapshot and KvIterator on RocksDB; private to storage/rocksdb/.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rocksdb/db.h"
#include "storage/engine.h"

namespace content {

// The sequence stored under kSequenceKey as of `read_options`; 0 if unset.
absl::StatusOr<int64_t> ReadSequence(rocksdb::DB* db,
                                     const rocksdb::ReadOptions& read_options);

class RocksDbSnapshot final : public KvSnapshot {
 public:
  explicit RocksDbSnapshot(rocksdb::DB* db) : db_(db), snapshot_(db) {}

  absl::StatusOr<int64_t> Sequence() override;
  // RocksDB's batched MultiGet, which sorts the lookups and pins values in
  // the block cache until they are copied out.
  absl::Status VisitMultiGet(absl::Span<const std::string> keys,
                             const ValueVisitor& visit) override;
  std::unique_ptr<KvIterator> NewIterator(std::string lower, std::string upper,
                                          bool fill_cache) override;

 private:
  rocksdb::ReadOptions ReadOptions();

  rocksdb::DB* const db_;
  rocksdb::ManagedSnapshot snapshot_;
};

}  // namespace content

#endif  // CONTENT_STORAGE_ROCKSDB_ROCKSDB_SNAPSHOT_H_
