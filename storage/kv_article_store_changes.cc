// The change feed of KvArticleStore: reading it.

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "storage/article_layout.h"
#include "storage/kv_article_store.h"
#include "storage/stored_article.pb.h"

namespace content {
namespace {

// The change recorded under `key` (a change-feed key) as `record`.
absl::StatusOr<ArticleChange> ParseChange(absl::string_view key,
                                          absl::string_view record) {
  ArticleChange change;
  change.revision = ChangeRevision(key);
  storage::StoredChange stored;
  if (!stored.ParseFromArray(record.data(), static_cast<int>(record.size()))) {
    return absl::DataLossError(
        absl::StrCat("unparsable change at revision ", change.revision));
  }
  change.kind = stored.deleted() ? ArticleChange::Kind::kDelete
                                 : ArticleChange::Kind::kPut;
  change.key = std::move(*stored.mutable_key());
  change.article = std::move(*stored.mutable_stored()->mutable_article());
  if (stored.has_previous()) {
    change.previous = std::move(*stored.mutable_previous());
  }
  return change;
}

}  // namespace

absl::StatusOr<std::vector<ArticleChange>> KvArticleStore::ReadChanges(
    int64_t from_revision, size_t limit) {
  std::unique_ptr<KvSnapshot> state = engine_->GetSnapshot();
  absl::StatusOr<std::optional<std::string>> oldest_bytes =
      state->Get(kOldestChangeKey);
  if (!oldest_bytes.ok()) return oldest_bytes.status();
  int64_t oldest = 1;
  if (oldest_bytes->has_value() && !absl::SimpleAtoi(**oldest_bytes, &oldest)) {
    return absl::DataLossError(absl::StrCat("unparsable ", kOldestChangeKey));
  }
  if (from_revision < oldest) {
    return absl::OutOfRangeError(absl::StrCat(
        "revision ", from_revision,
        " is no longer in the change history, which starts at revision ",
        oldest,
        "; list the articles again and watch from the listing's "
        "revision + 1"));
  }

  std::unique_ptr<KvIterator> it =
      state->NewIterator(ChangeKey(from_revision), kChangeEnd);
  std::vector<ArticleChange> changes;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (changes.size() >= limit &&
        ChangeRevision(it->key()) != changes.back().revision) {
      break;
    }
    absl::StatusOr<ArticleChange> change = ParseChange(it->key(), it->value());
    if (!change.ok()) return change.status();
    changes.push_back(std::move(*change));
  }
  if (!it->status().ok()) return it->status();
  return changes;
}

}  // namespace content
