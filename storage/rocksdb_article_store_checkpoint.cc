// RocksDbArticleStore::Checkpoint: the consistent copy behind backups.

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/utilities/checkpoint.h"
#include "storage/rocksdb_article_store.h"
#include "storage/rocksdb_layout.h"

namespace content {

absl::StatusOr<int64_t> RocksDbArticleStore::Checkpoint(
    const std::string& dir) {
  std::lock_guard<std::mutex> lock(checkpoint_mu_);
  rocksdb::Checkpoint* raw_checkpoint = nullptr;
  rocksdb::Status status =
      rocksdb::Checkpoint::Create(db_.get(), &raw_checkpoint);
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw_checkpoint);
  if (!status.ok()) return FromRocks(status, "starting a checkpoint");
  // Flushes the memtables first (log_size_for_flush 0), so the copy is SST
  // files and little WAL; writes go on meanwhile.
  status = checkpoint->CreateCheckpoint(dir, /*log_size_for_flush=*/0);
  if (!status.ok()) return FromRocks(status, "writing a checkpoint");

  // The revision the copy holds, read from the copy itself: it also proves
  // that the copy opens.
  rocksdb::DB* raw_copy = nullptr;
  status = rocksdb::DB::OpenForReadOnly(MakeOptions({dir}), dir, &raw_copy);
  std::unique_ptr<rocksdb::DB> copy(raw_copy);
  if (!status.ok()) return FromRocks(status, "opening the checkpoint");
  std::string bytes;
  status = copy->Get(rocksdb::ReadOptions(), kRevisionKey, &bytes);
  if (status.IsNotFound()) return 0;
  if (!status.ok()) return FromRocks(status, "reading the checkpoint");
  int64_t revision = 0;
  if (!absl::SimpleAtoi(bytes, &revision)) {
    return absl::DataLossError("unparsable revision in the checkpoint");
  }
  return revision;
}

}  // namespace content
