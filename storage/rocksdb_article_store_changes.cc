// The change feed of RocksDbArticleStore: reading it, waiting on it,
// trimming it to the history kept.

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "storage/rocksdb_article_store.h"
#include "storage/rocksdb_layout.h"
#include "storage/stored_article.pb.h"

namespace content {

absl::StatusOr<std::vector<ArticleChange>> RocksDbArticleStore::ReadChanges(
    int64_t from_revision, size_t limit) {
  rocksdb::ManagedSnapshot snapshot(db_.get());
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot.snapshot();
  std::string oldest_bytes;
  int64_t oldest = 1;
  const rocksdb::Status status =
      db_->Get(read_options, kOldestChangeKey, &oldest_bytes);
  if (status.ok()) {
    if (!absl::SimpleAtoi(oldest_bytes, &oldest)) {
      return absl::DataLossError(absl::StrCat("unparsable ", kOldestChangeKey));
    }
  } else if (!status.IsNotFound()) {
    return FromRocks(status, "reading the change history");
  }
  if (from_revision < oldest) {
    return absl::OutOfRangeError(absl::StrCat(
        "revision ", from_revision,
        " is no longer in the change history, which starts at revision ",
        oldest,
        "; list the articles again and watch from the listing's "
        "revision + 1"));
  }

  const rocksdb::Slice upper_bound(kChangeEnd);
  read_options.iterate_upper_bound = &upper_bound;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options));
  std::vector<ArticleChange> changes;
  for (it->Seek(ChangeKey(from_revision)); it->Valid(); it->Next()) {
    const int64_t revision =
        ChangeRevision(absl::string_view(it->key().data(), it->key().size()));
    if (changes.size() >= limit && revision != changes.back().revision) break;
    storage::StoredChange stored;
    if (!stored.ParseFromArray(it->value().data(),
                               static_cast<int>(it->value().size()))) {
      return absl::DataLossError(
          absl::StrCat("unparsable change at revision ", revision));
    }
    ArticleChange change;
    change.kind = stored.deleted() ? ArticleChange::Kind::kDelete
                                   : ArticleChange::Kind::kPut;
    change.revision = revision;
    change.key = std::move(*stored.mutable_key());
    change.article = std::move(*stored.mutable_stored()->mutable_article());
    if (stored.has_previous()) {
      change.previous = std::move(*stored.mutable_previous());
    }
    changes.push_back(std::move(change));
  }
  if (!it->status().ok()) {
    return FromRocks(it->status(), "reading the change history");
  }
  return changes;
}

int64_t RocksDbArticleStore::WaitForRevision(int64_t revision,
                                             absl::Time deadline) {
  // Far-future deadlines overflow the conversion to a chrono time point.
  deadline = std::min(deadline, absl::Now() + absl::Hours(24));
  std::unique_lock<std::mutex> lock(mu_);
  queue_changed_.wait_until(lock, absl::ToChronoTime(deadline),
                            [this, revision]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(
                                mu_) { return last_revision_ >= revision; });
  return last_revision_;
}

int64_t RocksDbArticleStore::TrimChanges(int64_t revision,
                                         rocksdb::WriteBatch* batch) {
  const int64_t keep_from = revision - change_history_revisions_ + 1;
  // One range tombstone per step rather than one per write.
  const int64_t step = std::max<int64_t>(1, change_history_revisions_ / 16);
  if (keep_from - oldest_change_ < step) return oldest_change_;
  batch->DeleteRange(ChangeKey(oldest_change_), ChangeKey(keep_from));
  batch->Put(kOldestChangeKey, absl::StrCat(keep_from));
  return keep_from;
}

}  // namespace content
