#include "storage/memory/memory_engine.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace content {
namespace {

using Map = MemoryEngine::Volume::Map;

int64_t SequenceOf(const Map& data) {
  const auto it = data.find(kSequenceKey);
  int64_t sequence = 0;
  if (it != data.end() && !absl::SimpleAtoi(it->second, &sequence)) return -1;
  return sequence;
}

class MemoryIterator final : public KvIterator {
 public:
  MemoryIterator(std::shared_ptr<const Map> data, std::string lower,
                 std::string upper)
      : data_(std::move(data)),
        lower_(std::move(lower)),
        upper_(std::move(upper)),
        it_(data_->end()) {}

  void SeekToFirst() override { it_ = data_->lower_bound(lower_); }
  void SeekToLast() override {
    it_ = upper_.empty() ? data_->end() : data_->lower_bound(upper_);
    Back();
  }
  void Seek(absl::string_view target) override {
    it_ = data_->lower_bound(std::max(target, absl::string_view(lower_)));
  }
  void SeekForPrev(absl::string_view target) override {
    if (!upper_.empty() && target >= upper_) return SeekToLast();
    it_ = data_->upper_bound(target);
    Back();
  }
  void Next() override { ++it_; }
  void Prev() override { Back(); }
  bool Valid() const override {
    return it_ != data_->end() && it_->first >= lower_ &&
           (upper_.empty() || it_->first < upper_);
  }
  absl::string_view key() const override { return it_->first; }
  absl::string_view value() const override { return it_->second; }
  absl::Status status() const override { return absl::OkStatus(); }

 private:
  // One key back; before the first key is past the end.
  void Back() {
    if (it_ == data_->begin()) {
      it_ = data_->end();
    } else {
      --it_;
    }
  }

  const std::shared_ptr<const Map> data_;
  const std::string lower_;
  const std::string upper_;
  Map::const_iterator it_;
};

class MemorySnapshot final : public KvSnapshot {
 public:
  explicit MemorySnapshot(std::shared_ptr<const Map> data)
      : data_(std::move(data)) {}

  absl::StatusOr<int64_t> Sequence() override {
    const int64_t sequence = SequenceOf(*data_);
    if (sequence < 0) {
      return absl::DataLossError(absl::StrCat("unparsable ", kSequenceKey));
    }
    return sequence;
  }

  absl::Status VisitMultiGet(absl::Span<const std::string> keys,
                             const ValueVisitor& visit) override {
    for (size_t i = 0; i < keys.size(); ++i) {
      const auto it = data_->find(keys[i]);
      const absl::string_view value =
          it != data_->end() ? absl::string_view(it->second) : "";
      absl::Status status = visit(i, it != data_->end() ? &value : nullptr);
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  }

  std::unique_ptr<KvIterator> NewIterator(std::string lower, std::string upper,
                                          bool fill_cache) override {
    return std::make_unique<MemoryIterator>(data_, std::move(lower),
                                            std::move(upper));
  }

 private:
  const std::shared_ptr<const Map> data_;
};

}  // namespace

MemoryEngine::MemoryEngine(std::shared_ptr<Volume> volume, bool read_only)
    : volume_(volume != nullptr ? std::move(volume)
                                : std::make_shared<Volume>()),
      read_only_(read_only),
      sequence_(0) {
  std::lock_guard<std::mutex> lock(volume_->mu);
  sequence_.Advance(std::max<int64_t>(0, SequenceOf(*volume_->data)));
}

std::unique_ptr<KvSnapshot> MemoryEngine::GetSnapshot() {
  std::lock_guard<std::mutex> lock(volume_->mu);
  return std::make_unique<MemorySnapshot>(volume_->data);
}

EngineLimits MemoryEngine::limits() const {
  EngineLimits limits;
  limits.read_only = read_only_;
  return limits;
}

absl::Status MemoryEngine::Apply(const KvWriteBatch& batch, int64_t sequence) {
  if (read_only_) {
    return absl::FailedPreconditionError(
        "the store is open read-only; writes are refused");
  }
  std::lock_guard<std::mutex> lock(volume_->mu);
  if (sequence < sequence_.Load()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "sequence ", sequence, " is below the last, ", sequence_.Load()));
  }
  auto data = std::make_shared<Map>(*volume_->data);
  for (const KvWriteBatch::Operation& operation : batch.operations()) {
    switch (operation.kind) {
      case KvWriteBatch::Operation::Kind::kPut:
        (*data)[operation.key] = operation.value;
        break;
      case KvWriteBatch::Operation::Kind::kDelete:
        data->erase(operation.key);
        break;
      case KvWriteBatch::Operation::Kind::kDeleteRange:
        if (operation.key < operation.value) {
          data->erase(data->lower_bound(operation.key),
                      data->lower_bound(operation.value));
        }
        break;
    }
  }
  (*data)[kSequenceKey] = absl::StrCat(sequence);
  volume_->data = std::move(data);
  sequence_.Advance(sequence);
  return absl::OkStatus();
}

}  // namespace content
