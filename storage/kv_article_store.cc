#include "storage/kv_article_store.h"

#include <algorithm>
#include <condition_variable>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "storage/apply_mutation.h"
#include "storage/article_layout.h"
#include "storage/stored_article.pb.h"
#include "storage/write_staging.h"

namespace content {
namespace {

// Bounds the work (and the latency) of one leader.
constexpr size_t kMaxGroupSize = 64;

// The number stored under `key` in `state`, or `missing` if there is none.
absl::StatusOr<int64_t> ReadCounter(KvSnapshot& state, const std::string& key,
                                    int64_t missing) {
  absl::StatusOr<std::optional<std::string>> bytes = state.Get(key);
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return missing;
  int64_t value = 0;
  if (!absl::SimpleAtoi(**bytes, &value)) {
    return absl::DataLossError(absl::StrCat("unparsable ", key));
  }
  return value;
}

}  // namespace

struct KvArticleStore::PendingWrite {
  explicit PendingWrite(std::vector<ArticleMutation> mutations)
      : mutations(std::move(mutations)) {}

  std::vector<ArticleMutation> mutations;
  absl::StatusOr<std::vector<MutationResult>> result;
  bool done = false;  // guarded by the store's mu_
  // Signalled (under mu_) when the write is done or leads the queue: each
  // writer has its own, so a commit wakes only its group and the next
  // leader, not every queued writer.
  std::condition_variable turn;
};

absl::StatusOr<std::unique_ptr<KvArticleStore>> KvArticleStore::Open(
    KvEngine* engine, const KvArticleStoreOptions& options) {
  std::unique_ptr<KvSnapshot> state = engine->GetSnapshot();
  absl::StatusOr<int64_t> article_count =
      ReadCounter(*state, kArticleCountKey, 0);
  if (!article_count.ok()) return article_count.status();
  absl::StatusOr<int64_t> oldest_change =
      ReadCounter(*state, kOldestChangeKey, 1);
  if (!oldest_change.ok()) return oldest_change.status();
  absl::StatusOr<std::optional<std::string>> format = state->Get(kFormatKey);
  if (!format.ok()) return format.status();
  if (!format->has_value() && *article_count == 0 &&
      !engine->limits().read_only) {
    KvWriteBatch batch;
    batch.Put(kFormatKey, kFormat);
    const absl::Status status = engine->Apply(batch, engine->LastSequence());
    if (!status.ok()) return status;
    *format = kFormat;
  }
  if (format->value_or("") != kFormat) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the database holds layout version '", format->value_or(""),
        "' (empty: before secondary indexes); this server reads version ",
        kFormat,
        ". Export the articles with the server that wrote them and "
        "import them into a new data directory."));
  }
  return std::unique_ptr<KvArticleStore>(
      new KvArticleStore(engine, options, *article_count, *oldest_change));
}

KvArticleStore::KvArticleStore(KvEngine* engine,
                               const KvArticleStoreOptions& options,
                               int64_t article_count, int64_t oldest_change)
    : engine_(engine),
      change_history_revisions_(
          std::max<int64_t>(1, options.change_history_revisions)),
      article_count_(article_count),
      oldest_change_(oldest_change) {}

int64_t KvArticleStore::LastRevision() { return engine_->LastSequence(); }

int64_t KvArticleStore::ArticleCount() { return article_count_.load(); }

int64_t KvArticleStore::WaitForRevision(int64_t revision, absl::Time deadline) {
  return engine_->WaitForSequence(revision, deadline);
}

absl::Status KvArticleStore::VisitStored(absl::Span<const std::string> keys,
                                         const StoredVisitor& visit) {
  std::unique_ptr<KvSnapshot> state = engine_->GetSnapshot();
  std::vector<std::string> raw_keys;
  raw_keys.reserve(keys.size());
  for (const std::string& key : keys) raw_keys.push_back(ArticleKey(key));
  // Keys without an article of their own may be aliases: resolve those.
  std::vector<size_t> unresolved;
  absl::Status status = state->VisitMultiGet(
      raw_keys, [&](size_t i, const absl::string_view* record) {
        if (record == nullptr) {
          unresolved.push_back(i);
          return absl::OkStatus();
        }
        return visit(i, *record);
      });
  if (!status.ok() || unresolved.empty()) return status;
  raw_keys.clear();
  for (size_t i : unresolved) raw_keys.push_back(AliasKey(keys[i]));
  absl::StatusOr<std::vector<std::optional<std::string>>> owners =
      state->MultiGet(raw_keys);
  if (!owners.ok()) return owners.status();
  raw_keys.clear();
  std::vector<size_t> aliased;
  for (size_t j = 0; j < unresolved.size(); ++j) {
    if ((*owners)[j].has_value()) {
      aliased.push_back(unresolved[j]);
      raw_keys.push_back(ArticleKey(*(*owners)[j]));
    }
  }
  return state->VisitMultiGet(raw_keys, [&](size_t j,
                                            const absl::string_view* record) {
    return record == nullptr ? absl::OkStatus() : visit(aliased[j], *record);
  });
}

absl::StatusOr<std::vector<std::optional<v1::Article>>>
KvArticleStore::MultiGet(absl::Span<const std::string> keys) {
  std::vector<std::optional<v1::Article>> articles(keys.size());
  const absl::Status status =
      VisitStored(keys, [&](size_t i, absl::string_view record) {
        absl::StatusOr<storage::StoredArticle> stored =
            ParseStored(record, keys[i]);
        if (!stored.ok()) return stored.status();
        articles[i] = std::move(*stored->mutable_article());
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return articles;
}

absl::StatusOr<std::vector<std::optional<std::string>>>
KvArticleStore::MultiGetSerialized(absl::Span<const std::string> keys) {
  // Each article's bytes are copied once, out of the engine's value.
  std::vector<std::optional<std::string>> articles(keys.size());
  const absl::Status status =
      VisitStored(keys, [&](size_t i, absl::string_view record) {
        absl::StatusOr<absl::string_view> article =
            StoredArticleBytes(record, keys[i]);
        if (!article.ok()) return article.status();
        articles[i].emplace(*article);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return articles;
}

absl::StatusOr<std::vector<MutationResult>> KvArticleStore::Write(
    std::vector<ArticleMutation> mutations) {
  if (engine_->limits().read_only) {
    return absl::FailedPreconditionError(
        "the store is open read-only; writes are refused");
  }
  for (ArticleMutation& mutation : mutations) PrepareMutation(&mutation);
  PendingWrite self(std::move(mutations));
  std::vector<PendingWrite*> group;
  {
    std::unique_lock<std::mutex> lock(mu_);
    queue_.push_back(&self);
    self.turn.wait(lock, [this, &self]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return self.done || queue_.front() == &self;
    });
    if (self.done) return std::move(self.result);
    // Leader: later arrivals queue up behind the group and form the next one.
    group.assign(queue_.begin(),
                 queue_.begin() + std::min(queue_.size(), kMaxGroupSize));
  }
  CommitGroup(group);
  std::lock_guard<std::mutex> lock(mu_);
  for (PendingWrite* write : group) {
    write->done = true;
    queue_.pop_front();
  }
  // Under mu_: a follower cannot return (and destroy its `turn`) before its
  // signal is sent. The next leader first, so its commit starts sooner.
  if (!queue_.empty()) queue_.front()->turn.notify_one();
  for (PendingWrite* write : group) {
    if (write != &self) write->turn.notify_one();
  }
  return std::move(self.result);
}

void KvArticleStore::CommitGroup(absl::Span<PendingWrite* const> group) {
  std::vector<std::vector<ArticleMutation>*> writes;
  writes.reserve(group.size());
  for (PendingWrite* write : group) writes.push_back(&write->mutations);
  // The revision the writes are judged against is the snapshot's own, so
  // staging and state cannot disagree.
  std::unique_ptr<KvSnapshot> state = engine_->GetSnapshot();
  const absl::StatusOr<int64_t> revision = state->Sequence();
  if (!revision.ok()) {
    for (PendingWrite* write : group) write->result = revision.status();
    return;
  }
  StagedGroup staged = StageWrites(*state, *revision, absl::Now(), writes);
  const absl::Status committed =
      staged.batch.empty() ? absl::OkStatus() : Commit(&staged);
  for (size_t i = 0; i < group.size(); ++i) {
    StagedWrite& write = staged.writes[i];
    group[i]->result =
        write.revision != 0 && !committed.ok()
            ? absl::StatusOr<std::vector<MutationResult>>(committed)
            : std::move(write.result);
  }
}

absl::Status KvArticleStore::Commit(StagedGroup* staged) {
  const int64_t article_count = article_count_ + staged->articles_added;
  staged->batch.Put(kArticleCountKey, absl::StrCat(article_count));
  const int64_t oldest_change =
      TrimChanges(staged->last_revision, &staged->batch);
  absl::Status status = engine_->Apply(staged->batch, staged->last_revision);
  if (!status.ok()) return status;
  article_count_ = article_count;
  oldest_change_ = oldest_change;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<absl::StatusOr<std::vector<MutationResult>>>>
KvArticleStore::ApplyEntry(int64_t revision, absl::Time now,
                           std::vector<std::vector<ArticleMutation>> writes) {
  std::unique_lock<std::mutex> lock(mu_);  // no Write meanwhile
  if (revision <= engine_->LastSequence()) {
    return absl::InvalidArgumentError(absl::StrCat("entry revision ", revision,
                                                   " is not after the store's ",
                                                   engine_->LastSequence()));
  }
  std::vector<std::vector<ArticleMutation>*> pointers;
  for (std::vector<ArticleMutation>& write : writes) {
    for (ArticleMutation& mutation : write) PrepareMutation(&mutation);
    pointers.push_back(&write);
  }
  std::unique_ptr<KvSnapshot> state = engine_->GetSnapshot();
  StagedGroup staged = StageWrites(*state, revision - 1, now, pointers,
                                   RevisionPolicy::kOneForAll);
  if (!staged.failure.ok()) return staged.failure;
  absl::Status status = Commit(&staged);
  if (!status.ok()) return status;
  std::vector<absl::StatusOr<std::vector<MutationResult>>> results;
  for (StagedWrite& write : staged.writes) {
    results.push_back(std::move(write.result));
  }
  return results;
}

int64_t KvArticleStore::TrimChanges(int64_t revision,
                                    KvWriteBatch* batch) const {
  const int64_t keep_from = revision - change_history_revisions_ + 1;
  // One range deletion per step rather than one per write.
  const int64_t step = std::max<int64_t>(1, change_history_revisions_ / 16);
  if (keep_from - oldest_change_ < step) return oldest_change_;
  batch->DeleteRange(ChangeKey(oldest_change_), ChangeKey(keep_from));
  batch->Put(kOldestChangeKey, absl::StrCat(keep_from));
  return keep_from;
}

}  // namespace content
