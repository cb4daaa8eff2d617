#include "storage/rocksdb/rocksdb_snapshot.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "storage/rocksdb/rocksdb_options.h"

namespace content {
namespace {

class RocksDbIterator final : public KvIterator {
 public:
  RocksDbIterator(rocksdb::DB* db, rocksdb::ReadOptions read_options,
                  std::string lower, std::string upper)
      : lower_(std::move(lower)),
        upper_(std::move(upper)),
        lower_slice_(lower_),
        upper_slice_(upper_) {
    read_options.iterate_lower_bound = &lower_slice_;
    if (!upper_.empty()) read_options.iterate_upper_bound = &upper_slice_;
    it_.reset(db->NewIterator(read_options));
  }

  void SeekToFirst() override { it_->SeekToFirst(); }
  void SeekToLast() override { it_->SeekToLast(); }
  void Seek(absl::string_view target) override {
    it_->Seek(rocksdb::Slice(target.data(), target.size()));
  }
  void SeekForPrev(absl::string_view target) override {
    it_->SeekForPrev(rocksdb::Slice(target.data(), target.size()));
  }
  void Next() override { it_->Next(); }
  void Prev() override { it_->Prev(); }
  bool Valid() const override { return it_->Valid(); }
  absl::string_view key() const override {
    return absl::string_view(it_->key().data(), it_->key().size());
  }
  absl::string_view value() const override {
    return absl::string_view(it_->value().data(), it_->value().size());
  }
  absl::Status status() const override {
    return it_->status().ok() ? absl::OkStatus()
                              : FromRocks(it_->status(), "scanning the store");
  }

 private:
  // The bounds outlive the iterator, which keeps pointers to them.
  const std::string lower_;
  const std::string upper_;
  const rocksdb::Slice lower_slice_;
  const rocksdb::Slice upper_slice_;
  std::unique_ptr<rocksdb::Iterator> it_;
};

}  // namespace

absl::StatusOr<int64_t> ReadSequence(rocksdb::DB* db,
                                     const rocksdb::ReadOptions& read_options) {
  std::string bytes;
  const rocksdb::Status status = db->Get(read_options, kSequenceKey, &bytes);
  if (status.IsNotFound()) return 0;
  if (!status.ok()) return FromRocks(status, "reading the sequence");
  int64_t sequence = 0;
  if (!absl::SimpleAtoi(bytes, &sequence)) {
    return absl::DataLossError(absl::StrCat("unparsable ", kSequenceKey));
  }
  return sequence;
}

rocksdb::ReadOptions RocksDbSnapshot::ReadOptions() {
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot_.snapshot();
  return read_options;
}

absl::StatusOr<int64_t> RocksDbSnapshot::Sequence() {
  return ReadSequence(db_, ReadOptions());
}

absl::Status RocksDbSnapshot::VisitMultiGet(absl::Span<const std::string> keys,
                                            const ValueVisitor& visit) {
  const std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  db_->MultiGet(ReadOptions(), db_->DefaultColumnFamily(), keys.size(),
                slices.data(), values.data(), statuses.data());
  for (const rocksdb::Status& status : statuses) {
    if (!status.ok() && !status.IsNotFound()) {
      return FromRocks(status, "reading the store");
    }
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    const absl::string_view value(values[i].data(), values[i].size());
    absl::Status status = visit(i, statuses[i].IsNotFound() ? nullptr : &value);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

std::unique_ptr<KvIterator> RocksDbSnapshot::NewIterator(std::string lower,
                                                         std::string upper,
                                                         bool fill_cache) {
  rocksdb::ReadOptions read_options = ReadOptions();
  read_options.fill_cache = fill_cache;
  return std::make_unique<RocksDbIterator>(db_, read_options, std::move(lower),
                                           std::move(upper));
}

}  // namespace content
