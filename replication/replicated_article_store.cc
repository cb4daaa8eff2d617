#include "replication/replicated_article_store.h"

#include <algorithm>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "replication/log_entry.pb.h"

namespace content {
namespace {

// Bounds the writes of one entry.
constexpr size_t kMaxGroupWrites = 64;

replication::LoggedMutation ToLogged(ArticleMutation mutation) {
  replication::LoggedMutation logged;
  logged.set_delete_(mutation.kind == ArticleMutation::Kind::kDelete);
  logged.set_key(std::move(mutation.key));
  *logged.mutable_article() = std::move(mutation.article);
  for (std::string& key : mutation.alias_keys) {
    logged.add_alias_keys(std::move(key));
  }
  for (std::string& key : mutation.related_keys) {
    logged.add_related_keys(std::move(key));
  }
  logged.set_create_only(mutation.create_only);
  logged.set_allow_missing(mutation.allow_missing);
  logged.set_expected_etag(std::move(mutation.expected_etag));
  return logged;
}

ArticleMutation FromLogged(replication::LoggedMutation* logged) {
  ArticleMutation mutation;
  mutation.kind = logged->delete_() ? ArticleMutation::Kind::kDelete
                                    : ArticleMutation::Kind::kPut;
  mutation.key = std::move(*logged->mutable_key());
  mutation.article = std::move(*logged->mutable_article());
  mutation.alias_keys.assign(logged->alias_keys().begin(),
                             logged->alias_keys().end());
  mutation.related_keys.assign(logged->related_keys().begin(),
                               logged->related_keys().end());
  mutation.create_only = logged->create_only();
  mutation.allow_missing = logged->allow_missing();
  mutation.expected_etag = std::move(*logged->mutable_expected_etag());
  return mutation;
}

}  // namespace

struct ReplicatedArticleStore::PendingWrite {
  uint64_t id = 0;
  replication::LoggedWrite logged;
  size_t bytes = 0;
  // Set by the leader of the group that carried it; guarded by mu_.
  bool appended = false;
  absl::StatusOr<int64_t> revision = 0;
};

absl::StatusOr<std::unique_ptr<ReplicatedArticleStore>>
ReplicatedArticleStore::Open(KvEngine* engine,
                             const KvArticleStoreOptions& store_options,
                             const ReplicationOptions& options) {
  if (options.replica_id.empty()) {
    return absl::InvalidArgumentError(
        "replica_id: required in replicated mode");
  }
  absl::StatusOr<std::unique_ptr<KvArticleStore>> local =
      KvArticleStore::Open(engine, store_options);
  if (!local.ok()) return local.status();
  absl::StatusOr<std::unique_ptr<EtcdLog>> log = EtcdLog::Connect(options.etcd);
  if (!log.ok()) return log.status();
  std::unique_ptr<ReplicatedArticleStore> store(new ReplicatedArticleStore(
      engine, std::move(*local), std::move(*log), options));
  ReplicatedArticleStore* self = store.get();
  self->log_->Follow(
      engine->LastSequence() + 1,
      [self](int64_t revision, const std::string& entry) {
        return self->ApplyEntry(revision, entry);
      },
      [self](const absl::Status& status) { self->SetTrouble(status); });
  self->keeper_ = std::thread([self] { self->KeepLog(); });
  return store;
}

ReplicatedArticleStore::ReplicatedArticleStore(
    KvEngine* engine, std::unique_ptr<KvArticleStore> local,
    std::unique_ptr<EtcdLog> log, const ReplicationOptions& options)
    : engine_(engine),
      local_(std::move(local)),
      log_(std::move(log)),
      options_(options),
      origin_(absl::StrCat(
          options.replica_id, "/",
          std::random_device()() ^ (uint64_t{std::random_device()()} << 32))) {}

ReplicatedArticleStore::~ReplicatedArticleStore() {
  log_->Stop();  // no ApplyEntry or SetTrouble after this
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (keeper_.joinable()) keeper_.join();
}

void ReplicatedArticleStore::KeepLog() {
  const absl::Duration interval =
      std::max(options_.lease_ttl / 5, absl::Milliseconds(100));
  std::unique_lock<std::mutex> lock(mu_);
  for (int round = 0;; ++round) {
    changed_.wait_until(
        lock, absl::ToChronoTime(absl::Now() + interval),
        [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_; });
    if (stopping_) return;
    lock.unlock();
    // Errors pass: the watch reports a lost etcd, and the next round tries
    // again.
    log_->ReportApplied(options_.replica_id, engine_->LastSequence(),
                        options_.lease_ttl)
        .IgnoreError();
    if (round % 5 == 4) log_->CompactBehindReplicas().IgnoreError();
    lock.lock();
  }
}

void ReplicatedArticleStore::SetTrouble(const absl::Status& status) {
  std::lock_guard<std::mutex> lock(mu_);
  trouble_ = status;
}

absl::Status ReplicatedArticleStore::Health() {
  std::lock_guard<std::mutex> lock(mu_);
  return trouble_;
}

absl::Status ReplicatedArticleStore::ApplyEntry(int64_t revision,
                                                const std::string& bytes) {
  replication::LogEntry entry;
  if (!entry.ParseFromString(bytes)) {
    // Nothing can ever apply it, and every replica skips it alike.
    std::vector<std::vector<ArticleMutation>> none;
    return local_->ApplyEntry(revision, absl::Now(), std::move(none)).status();
  }
  std::vector<std::vector<ArticleMutation>> writes;
  writes.reserve(entry.writes_size());
  for (replication::LoggedWrite& logged : *entry.mutable_writes()) {
    std::vector<ArticleMutation>& write = writes.emplace_back();
    for (replication::LoggedMutation& mutation : *logged.mutable_mutations()) {
      write.push_back(FromLogged(&mutation));
    }
  }
  absl::StatusOr<std::vector<absl::StatusOr<std::vector<MutationResult>>>>
      outcomes = local_->ApplyEntry(
          revision, absl::FromUnixNanos(entry.time_unix_nanos()),
          std::move(writes));
  if (!outcomes.ok()) return outcomes.status();
  if (entry.origin() == origin_) {
    // Only for writers still waiting; one that gave up left no slot.
    std::lock_guard<std::mutex> lock(mu_);
    for (int i = 0; i < entry.writes_size(); ++i) {
      auto waiting = outcomes_.find(entry.writes(i).id());
      if (waiting != outcomes_.end()) {
        waiting->second = std::move((*outcomes)[i]);
      }
    }
  }
  changed_.notify_all();
  return absl::OkStatus();
}

absl::StatusOr<std::vector<MutationResult>> ReplicatedArticleStore::Write(
    std::vector<ArticleMutation> mutations) {
  if (engine_->limits().read_only) {
    return absl::FailedPreconditionError(
        "the store is open read-only; writes are refused");
  }
  // A replica that can no longer follow the log would never see the
  // outcome of its write.
  const absl::Status health = Health();
  if (absl::IsOutOfRange(health)) {
    return absl::UnavailableError(health.message());
  }
  // Split into entries below the limit, each article whole.
  std::vector<MutationResult> results;
  std::vector<ArticleMutation> chunk;
  size_t chunk_bytes = 0;
  const auto flush = [&]() -> absl::Status {
    if (chunk.empty()) return absl::OkStatus();
    absl::StatusOr<std::vector<MutationResult>> written =
        WriteEntry(std::move(chunk), chunk_bytes);
    chunk.clear();
    chunk_bytes = 0;
    if (!written.ok()) return written.status();
    for (MutationResult& result : *written)
      results.push_back(std::move(result));
    return absl::OkStatus();
  };
  for (ArticleMutation& mutation : mutations) {
    const size_t bytes =
        mutation.article.ByteSizeLong() + mutation.key.size() +
        64 * (mutation.alias_keys.size() + mutation.related_keys.size() + 1);
    if (bytes > options_.max_entry_bytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the article ", mutation.key, " takes about ", bytes,
          " bytes, more than one entry of the replicated log holds (",
          options_.max_entry_bytes, ")"));
    }
    if (chunk_bytes + bytes > options_.max_entry_bytes) {
      absl::Status status = flush();
      if (!status.ok()) return status;
    }
    chunk_bytes += bytes;
    chunk.push_back(std::move(mutation));
  }
  absl::Status status = flush();
  if (!status.ok()) return status;
  return results;
}

absl::StatusOr<std::vector<MutationResult>> ReplicatedArticleStore::WriteEntry(
    std::vector<ArticleMutation> mutations, size_t bytes) {
  PendingWrite self;
  self.bytes = bytes;
  for (ArticleMutation& mutation : mutations) {
    *self.logged.add_mutations() = ToLogged(std::move(mutation));
  }
  std::unique_lock<std::mutex> lock(mu_);
  self.id = next_write_id_++;
  self.logged.set_id(self.id);
  outcomes_[self.id];  // the slot its apply fills
  queue_.push_back(&self);
  changed_.wait(lock, [this, &self]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return self.appended || queue_.front() == &self;
  });
  if (!self.appended) {
    // Leader: the writes queued so far, up to the entry's limits.
    std::vector<PendingWrite*> group;
    size_t group_bytes = 0;
    for (PendingWrite* write : queue_) {
      if (!group.empty() &&
          (group.size() == kMaxGroupWrites ||
           group_bytes + write->bytes > options_.max_entry_bytes)) {
        break;
      }
      group.push_back(write);
      group_bytes += write->bytes;
    }
    lock.unlock();
    const absl::StatusOr<int64_t> revision = AppendGroup(group);
    lock.lock();
    for (PendingWrite* write : group) {
      write->appended = true;
      write->revision = revision;
      queue_.pop_front();
    }
    changed_.notify_all();
  }
  if (!self.revision.ok()) {
    outcomes_.erase(self.id);
    return self.revision.status();
  }
  // Wait for this replica to apply the entry: the outcome comes from there.
  const absl::Time deadline = absl::Now() + options_.wait_timeout;
  const bool applied =
      changed_.wait_until(lock, absl::ToChronoTime(deadline),
                          [this, &self]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
                            return outcomes_[self.id].has_value();
                          });
  auto outcome = outcomes_.find(self.id);
  if (!applied) {
    outcomes_.erase(outcome);
    return absl::UnavailableError(
        absl::StrCat("the write is in the log at revision ", *self.revision,
                     " but this replica has not applied it within ",
                     absl::FormatDuration(options_.wait_timeout),
                     "; its outcome is unknown (read it back)"));
  }
  absl::StatusOr<std::vector<MutationResult>> result =
      *std::move(outcome->second);
  outcomes_.erase(outcome);
  return result;
}

absl::StatusOr<int64_t> ReplicatedArticleStore::AppendGroup(
    const std::vector<PendingWrite*>& group) {
  replication::LogEntry entry;
  entry.set_origin(origin_);
  entry.set_time_unix_nanos(absl::ToUnixNanos(absl::Now()));
  for (PendingWrite* write : group) *entry.add_writes() = write->logged;
  return log_->Append(entry.SerializeAsString());
}

absl::Status ReplicatedArticleStore::SyncReads(absl::Time deadline) {
  // Not following the log: fail now rather than at the deadline.
  const absl::Status health = Health();
  if (!health.ok()) return absl::UnavailableError(health.message());
  absl::StatusOr<int64_t> revision = 0;
  {
    // Rounds of one linearizable read each. A reader needs a round that
    // started after it arrived; it starts one when none runs, and otherwise
    // waits for the next. Any later round serves too.
    std::unique_lock<std::mutex> lock(mu_);
    const uint64_t needed = barrier_started_ + 1;
    while (barrier_completed_ < needed) {
      if (barrier_in_flight_) {
        if (changed_.wait_until(lock, absl::ToChronoTime(deadline)) ==
            std::cv_status::timeout) {
          return absl::UnavailableError(
              "the log's last revision was not learned in time");
        }
        continue;
      }
      barrier_in_flight_ = true;
      const uint64_t round = ++barrier_started_;
      lock.unlock();
      absl::StatusOr<int64_t> last = log_->LastEntryRevision(deadline);
      lock.lock();
      barrier_in_flight_ = false;
      barrier_completed_ = round;
      barrier_result_ = std::move(last);
      changed_.notify_all();
    }
    revision = barrier_result_;
  }
  if (!revision.ok()) return revision.status();
  // Waits in slices, so that a replica that loses its log meanwhile says so
  // at once.
  for (absl::Time now = absl::Now(); now < deadline; now = absl::Now()) {
    const absl::Time slice = std::min(deadline, now + absl::Milliseconds(100));
    if (engine_->WaitForSequence(*revision, slice) >= *revision) {
      return absl::OkStatus();
    }
    const absl::Status trouble = Health();
    if (!trouble.ok()) return absl::UnavailableError(trouble.message());
  }
  return absl::UnavailableError(
      absl::StrCat("this replica has not applied the log up to revision ",
                   *revision, " in time"));
}

absl::StatusOr<std::vector<std::optional<v1::Article>>>
ReplicatedArticleStore::MultiGet(absl::Span<const std::string> keys) {
  return local_->MultiGet(keys);
}

absl::StatusOr<std::vector<std::optional<std::string>>>
ReplicatedArticleStore::MultiGetSerialized(absl::Span<const std::string> keys) {
  return local_->MultiGetSerialized(keys);
}

absl::StatusOr<QueryPage> ReplicatedArticleStore::Query(
    const ArticleQuery& query, absl::string_view start_after,
    PageLimits limit) {
  return local_->Query(query, start_after, limit);
}

absl::StatusOr<QueryPage> ReplicatedArticleStore::ListReferencing(
    absl::string_view related_key, absl::string_view start_after,
    PageLimits limit) {
  return local_->ListReferencing(related_key, start_after, limit);
}

absl::StatusOr<std::vector<ArticleChange>> ReplicatedArticleStore::ReadChanges(
    int64_t from_revision, size_t limit) {
  return local_->ReadChanges(from_revision, limit);
}

int64_t ReplicatedArticleStore::WaitForRevision(int64_t revision,
                                                absl::Time deadline) {
  return local_->WaitForRevision(revision, deadline);
}

int64_t ReplicatedArticleStore::LastRevision() {
  return local_->LastRevision();
}

int64_t ReplicatedArticleStore::ArticleCount() {
  return local_->ArticleCount();
}

absl::StatusOr<VerifyReport> ReplicatedArticleStore::Verify(
    const ArticleCheck& check) {
  return local_->Verify(check);
}

absl::StatusOr<StateDigest> ReplicatedArticleStore::Digest() {
  return local_->Digest();
}

}  // namespace content
