#include "storage/rocksdb_article_store.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "rocksdb/write_batch.h"
#include "storage/apply_mutation.h"
#include "storage/article_index.h"
#include "storage/article_query.h"
#include "storage/rocksdb_layout.h"
#include "storage/stored_article.pb.h"

namespace content {

namespace {

// Bounds the work (and the latency) of one leader.
constexpr size_t kMaxGroupSize = 64;

// Stages the removal of the index entries only `before` has and the
// addition of those only `after` has; both are sorted.
void StageIndexChanges(
    const std::vector<std::string>& before,
    const std::vector<std::string>& after,
    absl::flat_hash_map<std::string, std::optional<std::string>>* staged) {
  auto old_it = before.begin();
  auto new_it = after.begin();
  while (old_it != before.end() || new_it != after.end()) {
    if (new_it == after.end() ||
        (old_it != before.end() && *old_it < *new_it)) {
      (*staged)[*old_it++] = std::nullopt;
    } else if (old_it == before.end() || *new_it < *old_it) {
      (*staged)[*new_it++] = std::string();
    } else {
      ++old_it;
      ++new_it;
    }
  }
}

}  // namespace

struct RocksDbArticleStore::PendingWrite {
  explicit PendingWrite(std::vector<ArticleMutation> mutations)
      : mutations(std::move(mutations)) {}

  std::vector<ArticleMutation> mutations;
  absl::StatusOr<std::vector<MutationResult>> result;
  bool done = false;  // guarded by the store's mu_
};

absl::StatusOr<std::unique_ptr<RocksDbArticleStore>> RocksDbArticleStore::Open(
    const RocksDbOptions& options) {
  rocksdb::DB* raw_db = nullptr;
  rocksdb::Status status =
      options.read_only
          ? rocksdb::DB::OpenForReadOnly(MakeOptions(options), options.path,
                                         &raw_db)
          : rocksdb::DB::Open(MakeOptions(options), options.path, &raw_db);
  std::unique_ptr<rocksdb::DB> db(raw_db);
  if (!status.ok()) {
    return FromRocks(status, absl::StrCat("opening ", options.path));
  }
  // Revision, article count, oldest change kept.
  int64_t counters[3] = {0, 0, 1};
  const char* const counter_keys[3] = {kRevisionKey, kArticleCountKey,
                                       kOldestChangeKey};
  for (int i = 0; i < 3; ++i) {
    std::string bytes;
    status = db->Get(rocksdb::ReadOptions(), counter_keys[i], &bytes);
    if (status.ok()) {
      if (!absl::SimpleAtoi(bytes, &counters[i])) {
        return absl::DataLossError(
            absl::StrCat("unparsable ", counter_keys[i]));
      }
    } else if (!status.IsNotFound()) {
      return FromRocks(status, absl::StrCat("reading ", counter_keys[i]));
    }
  }
  std::string format;
  status = db->Get(rocksdb::ReadOptions(), kFormatKey, &format);
  if (status.IsNotFound() && counters[1] == 0 && !options.read_only) {
    format = kFormat;
    status = db->Put(rocksdb::WriteOptions(), kFormatKey, format);
  }
  if (!status.ok() && !status.IsNotFound()) {
    return FromRocks(status, absl::StrCat("reading ", kFormatKey));
  }
  if (format != kFormat) {
    return absl::FailedPreconditionError(absl::StrCat(
        options.path, " holds layout version '", format,
        "' (empty: before secondary indexes); this server reads version ",
        kFormat,
        ". Export the articles with the server that wrote them and "
        "import them into a new data directory."));
  }
  return std::unique_ptr<RocksDbArticleStore>(new RocksDbArticleStore(
      std::move(db), options, counters[0], counters[1], counters[2]));
}

RocksDbArticleStore::RocksDbArticleStore(std::unique_ptr<rocksdb::DB> db,
                                         const RocksDbOptions& options,
                                         int64_t last_revision,
                                         int64_t article_count,
                                         int64_t oldest_change)
    : db_(std::move(db)),
      path_(options.path),
      durable_writes_(options.durable_writes),
      read_only_(options.read_only),
      min_free_bytes_(options.min_free_bytes),
      change_history_revisions_(
          std::max<int64_t>(1, options.change_history_revisions)),
      oldest_change_(oldest_change),
      last_revision_(last_revision),
      article_count_(article_count) {}

RocksDbArticleStore::~RocksDbArticleStore() {
  // Writes made without sync are in the OS cache; a clean stop makes them
  // durable too. Errors cannot be reported from here, and the WAL replays on
  // the next open either way.
  if (!durable_writes_ && !read_only_) db_->SyncWAL().PermitUncheckedError();
  db_->Close().PermitUncheckedError();
}

int64_t RocksDbArticleStore::LastRevision() {
  std::lock_guard<std::mutex> lock(mu_);
  return last_revision_;
}

absl::Status RocksDbArticleStore::CompactAll() {
  const rocksdb::Status status =
      db_->CompactRange(rocksdb::CompactRangeOptions(), nullptr, nullptr);
  return status.ok() ? absl::OkStatus() : FromRocks(status, "compacting");
}

RocksDbArticleStore::Stats RocksDbArticleStore::GetStats() {
  Stats stats;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stats.articles = article_count_;
  }
  uint64_t stopped = 0;
  db_->GetIntProperty(rocksdb::DB::Properties::kTotalSstFilesSize,
                      &stats.sst_bytes);
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

absl::StatusOr<std::vector<std::optional<std::string>>>
RocksDbArticleStore::MultiGetRaw(const rocksdb::ReadOptions& read_options,
                                 const std::vector<std::string>& raw_keys) {
  const PinnedValues pinned = MultiGetPinned(db_.get(), read_options, raw_keys);
  std::vector<std::optional<std::string>> found(raw_keys.size());
  for (size_t i = 0; i < raw_keys.size(); ++i) {
    if (pinned.statuses[i].IsNotFound()) continue;
    if (!pinned.statuses[i].ok()) {
      return FromRocks(pinned.statuses[i], "reading the store");
    }
    found[i] = pinned.values[i].ToString();
  }
  return found;
}

absl::StatusOr<std::vector<std::optional<std::string>>>
RocksDbArticleStore::MultiGetStored(absl::Span<const std::string> keys) {
  rocksdb::ManagedSnapshot snapshot(db_.get());
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot.snapshot();

  std::vector<std::string> raw_keys;
  raw_keys.reserve(keys.size());
  for (const std::string& key : keys) raw_keys.push_back(ArticleKey(key));
  absl::StatusOr<std::vector<std::optional<std::string>>> direct =
      MultiGetRaw(read_options, raw_keys);
  if (!direct.ok()) return direct.status();

  // Keys without an article of their own may be aliases: resolve those.
  std::vector<size_t> unresolved;
  raw_keys.clear();
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!(*direct)[i].has_value()) {
      unresolved.push_back(i);
      raw_keys.push_back(AliasKey(keys[i]));
    }
  }
  if (!unresolved.empty()) {
    absl::StatusOr<std::vector<std::optional<std::string>>> owners =
        MultiGetRaw(read_options, raw_keys);
    if (!owners.ok()) return owners.status();
    raw_keys.clear();
    std::vector<size_t> aliased;
    for (size_t j = 0; j < unresolved.size(); ++j) {
      if ((*owners)[j].has_value()) {
        aliased.push_back(unresolved[j]);
        raw_keys.push_back(ArticleKey(*(*owners)[j]));
      }
    }
    absl::StatusOr<std::vector<std::optional<std::string>>> targets =
        MultiGetRaw(read_options, raw_keys);
    if (!targets.ok()) return targets.status();
    for (size_t j = 0; j < aliased.size(); ++j) {
      (*direct)[aliased[j]] = std::move((*targets)[j]);
    }
  }

  return direct;
}

absl::StatusOr<std::vector<std::optional<v1::Article>>>
RocksDbArticleStore::MultiGet(absl::Span<const std::string> keys) {
  absl::StatusOr<std::vector<std::optional<std::string>>> values =
      MultiGetStored(keys);
  if (!values.ok()) return values.status();
  std::vector<std::optional<v1::Article>> articles(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!(*values)[i].has_value()) continue;
    absl::StatusOr<storage::StoredArticle> stored =
        ParseStored(*(*values)[i], keys[i]);
    if (!stored.ok()) return stored.status();
    articles[i] = std::move(*stored->mutable_article());
  }
  return articles;
}

absl::StatusOr<std::vector<std::optional<std::string>>>
RocksDbArticleStore::MultiGetSerialized(absl::Span<const std::string> keys) {
  absl::StatusOr<std::vector<std::optional<std::string>>> values =
      MultiGetStored(keys);
  if (!values.ok()) return values.status();
  for (size_t i = 0; i < keys.size(); ++i) {
    std::optional<std::string>& value = (*values)[i];
    if (!value.has_value()) continue;
    absl::StatusOr<absl::string_view> article =
        StoredArticleBytes(*value, keys[i]);
    if (!article.ok()) return article.status();
    *value = std::string(*article);
  }
  return values;
}

absl::StatusOr<std::vector<MutationResult>> RocksDbArticleStore::Write(
    std::vector<ArticleMutation> mutations) {
  if (read_only_) {
    return absl::FailedPreconditionError(
        "the store is open read-only; writes are refused");
  }
  for (ArticleMutation& mutation : mutations) PrepareMutation(&mutation);
  PendingWrite self(std::move(mutations));
  std::vector<PendingWrite*> group;
  int64_t revision = 0;
  int64_t article_count = 0;
  {
    std::unique_lock<std::mutex> lock(mu_);
    queue_.push_back(&self);
    queue_changed_.wait(lock,
                        [this, &self]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
                          return self.done || queue_.front() == &self;
                        });
    if (self.done) return std::move(self.result);
    // Leader: later arrivals queue up behind the group and form the next one.
    group.assign(queue_.begin(),
                 queue_.begin() + std::min(queue_.size(), kMaxGroupSize));
    revision = last_revision_;
    article_count = article_count_;
  }
  CommitGroup(group, &revision, &article_count);
  {
    std::lock_guard<std::mutex> lock(mu_);
    last_revision_ = revision;
    article_count_ = article_count;
    for (PendingWrite* write : group) {
      write->done = true;
      queue_.pop_front();
    }
  }
  // Wakes the group's followers and the next leader.
  queue_changed_.notify_all();
  return std::move(self.result);
}

absl::StatusOr<std::optional<std::string>> RocksDbArticleStore::ReadRaw(
    const std::string& raw_key) {
  std::string value;
  const rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), raw_key, &value);
  if (status.IsNotFound()) return std::nullopt;
  if (!status.ok()) return FromRocks(status, "reading the store");
  return std::optional<std::string>(std::move(value));
}

absl::Status RocksDbArticleStore::StageWrite(
    PendingWrite* write, int64_t revision, absl::Time now,
    const RawWrites& committed, RawWrites* staged,
    std::vector<MutationResult>* results) {
  // Reads see this write's own changes, then the group's, then the database.
  auto read = [&](const std::string& raw_key)
      -> absl::StatusOr<std::optional<std::string>> {
    if (auto it = staged->find(raw_key); it != staged->end()) return it->second;
    if (auto it = committed.find(raw_key); it != committed.end()) {
      return it->second;
    }
    return ReadRaw(raw_key);
  };
  uint32_t sequence = 0;  // of the changes within this write's revision
  for (ArticleMutation& given : write->mutations) {
    std::string article_key = ArticleKey(given.key);
    absl::StatusOr<std::optional<std::string>> bytes = read(article_key);
    if (!bytes.ok()) return bytes.status();
    ArticleMutation* resolved = &given;
    ArticleMutation through_alias;
    if (!bytes->has_value() && given.kind == ArticleMutation::Kind::kDelete) {
      // A delete may name the article by one of its aliases.
      absl::StatusOr<std::optional<std::string>> owner =
          read(AliasKey(given.key));
      if (!owner.ok()) return owner.status();
      if (owner->has_value()) {
        through_alias = given;
        through_alias.key = **owner;
        resolved = &through_alias;
        article_key = ArticleKey(through_alias.key);
        bytes = read(article_key);
        if (!bytes.ok()) return bytes.status();
      }
    }
    ArticleMutation& mutation = *resolved;
    const std::string key = mutation.key;
    std::optional<storage::StoredArticle> current;
    if (bytes->has_value()) {
      absl::StatusOr<storage::StoredArticle> parsed = ParseStored(**bytes, key);
      if (!parsed.ok()) return parsed.status();
      current = std::move(*parsed);
    }
    std::vector<std::string> old_aliases;
    std::vector<std::string> old_index_keys;
    if (current.has_value()) {
      old_aliases.assign(current->alias_keys().begin(),
                         current->alias_keys().end());
      old_index_keys = IndexKeys(key, *current);
    }
    const bool is_put = mutation.kind == ArticleMutation::Kind::kPut;
    std::optional<v1::Article> previous;
    if (is_put && current.has_value()) {
      previous = FilterFields(current->article());
    }
    absl::StatusOr<MutationResult> result =
        ApplyMutation(std::move(mutation), revision, now, &current);
    if (!result.ok()) return result.status();
    if (result->changed) {
      std::optional<std::string> value;
      if (current.has_value()) value = current->SerializeAsString();
      (*staged)[ChangeKey(revision, sequence++)] =
          ChangeRecord(!current.has_value(), key,
                       current.has_value() ? *value : **bytes, previous);
      StageIndexChanges(old_index_keys,
                        current.has_value() ? IndexKeys(key, *current)
                                            : std::vector<std::string>(),
                        staged);
      (*staged)[article_key] = std::move(value);
      const std::vector<std::string> new_aliases =
          current.has_value()
              ? std::vector<std::string>(current->alias_keys().begin(),
                                         current->alias_keys().end())
              : std::vector<std::string>();
      for (const std::string& alias : old_aliases) {
        if (std::find(new_aliases.begin(), new_aliases.end(), alias) !=
            new_aliases.end()) {
          continue;
        }
        // Only release an alias this article still owns.
        absl::StatusOr<std::optional<std::string>> owner =
            read(AliasKey(alias));
        if (!owner.ok()) return owner.status();
        if (*owner == key) (*staged)[AliasKey(alias)] = std::nullopt;
      }
      for (const std::string& alias : new_aliases) {
        (*staged)[AliasKey(alias)] = key;
      }
    }
    if (is_put) result->article = std::move(*current->mutable_article());
    results->push_back(std::move(*result));
  }
  return absl::OkStatus();
}

absl::Status RocksDbArticleStore::CheckFreeSpace() const {
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

void RocksDbArticleStore::CommitGroup(absl::Span<PendingWrite* const> group,
                                      int64_t* revision_io,
                                      int64_t* article_count_io) {
  int64_t revision = *revision_io;
  int64_t article_count = *article_count_io;
  const absl::Time now = absl::Now();
  RawWrites committed;  // the accepted writes of the group so far
  std::vector<PendingWrite*> accepted;
  for (PendingWrite* write : group) {
    RawWrites staged;
    std::vector<MutationResult> results;
    const absl::Status status =
        StageWrite(write, revision + 1, now, committed, &staged, &results);
    if (!status.ok()) {
      write->result = status;
      continue;
    }
    if (staged.empty()) {  // nothing changed
      write->result = std::move(results);
      continue;
    }
    for (const MutationResult& result : results) {
      if (result.created) ++article_count;
      if (result.deleted) --article_count;
    }
    write->result = std::move(results);
    ++revision;
    accepted.push_back(write);
    for (auto& [key, value] : staged) committed[key] = std::move(value);
  }
  if (accepted.empty()) return;
  const absl::Status space = CheckFreeSpace();
  if (!space.ok()) {
    for (PendingWrite* write : accepted) write->result = space;
    return;
  }
  if (needs_resume_) {
    // Fails, with the original cause, for as long as that persists.
    const rocksdb::Status resumed = db_->Resume();
    if (!resumed.ok()) {
      const absl::Status failure = FromRocks(resumed, "resuming writes");
      for (PendingWrite* write : accepted) write->result = failure;
      return;
    }
    needs_resume_ = false;
  }

  rocksdb::WriteBatch batch;
  for (const auto& [key, value] : committed) {
    if (value.has_value()) {
      batch.Put(key, *value);
    } else {
      batch.Delete(key);
    }
  }
  batch.Put(kRevisionKey, absl::StrCat(revision));
  batch.Put(kArticleCountKey, absl::StrCat(article_count));
  const int64_t oldest_change = TrimChanges(revision, &batch);
  rocksdb::WriteOptions write_options;
  write_options.sync = durable_writes_;
  const rocksdb::Status status = db_->Write(write_options, &batch);
  if (!status.ok()) {
    const absl::Status failure = FromRocks(status, "writing articles");
    for (PendingWrite* write : accepted) write->result = failure;
    // An I/O error stops RocksDB's writes until it is resumed.
    needs_resume_ = true;
    return;
  }
  *revision_io = revision;
  *article_count_io = article_count;
  oldest_change_ = oldest_change;
}

}  // namespace content
