#include "storage/rocksdb/rocksdb_engine.h"

#include <sys/statvfs.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "rocksdb/utilities/checkpoint.h"
#include "rocksdb/write_batch.h"
#include "storage/rocksdb/rocksdb_options.h"
#include "storage/rocksdb/rocksdb_snapshot.h"

namespace content {
namespace {

// RocksDB's WriteBatch counts its bytes in 32 bits.
constexpr size_t kMaxBatchBytes = size_t{1} << 31;

}  // namespace

absl::StatusOr<std::unique_ptr<RocksDbEngine>> RocksDbEngine::Open(
    const RocksDbOptions& options) {
  rocksdb::DB* raw_db = nullptr;
  const rocksdb::Status status =
      options.read_only
          ? rocksdb::DB::OpenForReadOnly(MakeOptions(options), options.path,
                                         &raw_db)
          : rocksdb::DB::Open(MakeOptions(options), options.path, &raw_db);
  std::unique_ptr<rocksdb::DB> db(raw_db);
  if (!status.ok()) {
    return FromRocks(status, absl::StrCat("opening ", options.path));
  }
  absl::StatusOr<int64_t> sequence =
      ReadSequence(db.get(), rocksdb::ReadOptions());
  if (!sequence.ok()) return sequence.status();
  return std::unique_ptr<RocksDbEngine>(
      new RocksDbEngine(std::move(db), options, *sequence));
}

absl::StatusOr<std::unique_ptr<KvEngine>> RocksDbEngine::OpenEngine(
    const EngineSettings& settings) {
  RocksDbOptions options;
  static_cast<EngineSettings&>(options) = settings;
  absl::StatusOr<std::unique_ptr<RocksDbEngine>> engine = Open(options);
  if (!engine.ok()) return engine.status();
  return std::unique_ptr<KvEngine>(std::move(*engine));
}

RocksDbEngine::RocksDbEngine(std::unique_ptr<rocksdb::DB> db,
                             const RocksDbOptions& options, int64_t sequence)
    : db_(std::move(db)),
      path_(options.path),
      durable_writes_(options.durable_writes),
      read_only_(options.read_only),
      min_free_bytes_(options.min_free_bytes),
      sequence_(sequence) {}

RocksDbEngine::~RocksDbEngine() {
  // Writes made without sync are in the OS cache; a clean stop makes them
  // durable too. Errors cannot be reported from here, and the WAL replays on
  // the next open either way.
  if (!durable_writes_ && !read_only_) db_->SyncWAL().PermitUncheckedError();
  db_->Close().PermitUncheckedError();
}

std::unique_ptr<KvSnapshot> RocksDbEngine::GetSnapshot() {
  return std::make_unique<RocksDbSnapshot>(db_.get());
}

EngineLimits RocksDbEngine::limits() const {
  EngineLimits limits;
  limits.read_only = read_only_;
  limits.max_batch_bytes = kMaxBatchBytes;
  return limits;
}

absl::Status RocksDbEngine::CheckFreeSpace() const {
  if (min_free_bytes_ == 0) return absl::OkStatus();
  struct statvfs volume;
  if (statvfs(path_.c_str(), &volume) != 0) return absl::OkStatus();
  const uint64_t free_bytes =
      static_cast<uint64_t>(volume.f_bavail) * volume.f_frsize;
  if (free_bytes >= min_free_bytes_) return absl::OkStatus();
  return absl::ResourceExhaustedError(absl::StrCat(
      "the disk of ", path_, " has ", free_bytes >> 20,
      " MiB free, less than the ", min_free_bytes_ >> 20,
      " MiB writes need (min_free_disk_mb); reads go on, and writes resume "
      "once space is freed"));
}

absl::Status RocksDbEngine::Apply(const KvWriteBatch& batch, int64_t sequence) {
  if (read_only_) {
    return absl::FailedPreconditionError(
        "the store is open read-only; writes are refused");
  }
  if (batch.bytes() > kMaxBatchBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("a batch of ", batch.bytes(), " bytes is over the ",
                     kMaxBatchBytes, " RocksDB takes"));
  }
  std::lock_guard<std::mutex> lock(apply_mu_);
  if (sequence < sequence_.Load()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "sequence ", sequence, " is below the last, ", sequence_.Load()));
  }
  absl::Status space = CheckFreeSpace();
  if (!space.ok()) return space;
  if (needs_resume_) {
    // Fails, with the original cause, for as long as that persists.
    const rocksdb::Status resumed = db_->Resume();
    if (!resumed.ok()) return FromRocks(resumed, "resuming writes");
    needs_resume_ = false;
  }
  rocksdb::WriteBatch write_batch;
  for (const KvWriteBatch::Operation& operation : batch.operations()) {
    switch (operation.kind) {
      case KvWriteBatch::Operation::Kind::kPut:
        write_batch.Put(operation.key, operation.value);
        break;
      case KvWriteBatch::Operation::Kind::kDelete:
        write_batch.Delete(operation.key);
        break;
      case KvWriteBatch::Operation::Kind::kDeleteRange:
        write_batch.DeleteRange(operation.key, operation.value);
        break;
    }
  }
  write_batch.Put(kSequenceKey, absl::StrCat(sequence));
  rocksdb::WriteOptions write_options;
  write_options.sync = durable_writes_;
  const rocksdb::Status status = db_->Write(write_options, &write_batch);
  if (!status.ok()) {
    // An I/O error stops RocksDB's writes until it is resumed.
    needs_resume_ = true;
    return FromRocks(status, "writing articles");
  }
  sequence_.Advance(sequence);
  return absl::OkStatus();
}

absl::Status RocksDbEngine::CompactAll() {
  const rocksdb::Status status =
      db_->CompactRange(rocksdb::CompactRangeOptions(), nullptr, nullptr);
  return status.ok() ? absl::OkStatus() : FromRocks(status, "compacting");
}

EngineAdmin::Stats RocksDbEngine::GetStats() {
  Stats stats;
  uint64_t stopped = 0;
  db_->GetIntProperty(rocksdb::DB::Properties::kTotalSstFilesSize,
                      &stats.live_bytes);
  db_->GetIntProperty(rocksdb::DB::Properties::kCurSizeAllMemTables,
                      &stats.memtable_bytes);
  db_->GetIntProperty(rocksdb::DB::Properties::kEstimatePendingCompactionBytes,
                      &stats.pending_compaction_bytes);
  db_->GetIntProperty(rocksdb::DB::Properties::kNumRunningCompactions,
                      &stats.running_compactions);
  db_->GetIntProperty(rocksdb::DB::Properties::kNumRunningFlushes,
                      &stats.running_flushes);
  db_->GetIntProperty(rocksdb::DB::Properties::kIsWriteStopped, &stopped);
  db_->GetIntProperty(rocksdb::DB::Properties::kActualDelayedWriteRate,
                      &stats.delayed_write_rate);
  stats.writes_stopped = stopped != 0;
  return stats;
}

absl::StatusOr<int64_t> RocksDbEngine::Checkpoint(const std::string& dir) {
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

  // The sequence the copy holds, read from the copy itself: it also proves
  // that the copy opens.
  rocksdb::DB* raw_copy = nullptr;
  RocksDbOptions copy_options;
  copy_options.path = dir;
  status =
      rocksdb::DB::OpenForReadOnly(MakeOptions(copy_options), dir, &raw_copy);
  std::unique_ptr<rocksdb::DB> copy(raw_copy);
  if (!status.ok()) return FromRocks(status, "opening the checkpoint");
  return ReadSequence(copy.get(), rocksdb::ReadOptions());
}

}  // namespace content
