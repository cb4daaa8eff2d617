#include "storage/rocksdb_article_store.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"
#include "rocksdb/write_batch.h"
#include "storage/apply_mutation.h"

namespace content {
namespace {

// Key layout: articles under "a:" + canonical URL, store metadata under "m:".
constexpr absl::string_view kArticlePrefix = "a:";
constexpr char kArticleEnd[] = "a;";  // ';' follows ':'
constexpr char kRevisionKey[] = "m:revision";

// Bounds the work (and the latency) of one leader.
constexpr size_t kMaxGroupSize = 64;

std::string ArticleKey(absl::string_view key) {
  return absl::StrCat(kArticlePrefix, key);
}

absl::Status FromRocks(const rocksdb::Status& status, absl::string_view what) {
  const std::string message = absl::StrCat(what, ": ", status.ToString());
  if (status.IsNoSpace()) return absl::ResourceExhaustedError(message);
  if (status.IsCorruption()) return absl::DataLossError(message);
  if (status.IsBusy() || status.IsTimedOut() || status.IsTryAgain()) {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

absl::StatusOr<v1::Article> ParseArticle(const rocksdb::Slice& bytes,
                                         absl::string_view key) {
  v1::Article article;
  if (!article.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(absl::StrCat("unparsable article at ", key));
  }
  return article;
}

// Options chosen for this workload (point reads by URL, ~3 KB values, range
// scans for listing); the README explains each choice.
rocksdb::Options MakeOptions(const RocksDbOptions& store_options) {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(store_options.block_cache_bytes);
  // Most Gets hit at most one SST: a 10-bit bloom filter (~1% false
  // positives) skips the others, and lookups of unknown URLs touch no data.
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  // Index and filter blocks count against the cache, so memory stays bounded
  // as the store grows; L0's stay pinned because every read consults them.
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  // Several articles per block compress far better than one.
  table.block_size = 16 << 10;
  table.format_version = 5;

  rocksdb::Options options;
  options.create_if_missing = true;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  // LZ4 where data is rewritten soon, ZSTD at the bottom level, which holds
  // ~90% of the data and is read more than written.
  options.compression = rocksdb::kLZ4Compression;
  options.bottommost_compression = rocksdb::kZSTD;
  options.level_compaction_dynamic_level_bytes = true;
  options.max_background_jobs = 2;
  options.bytes_per_sync = 1 << 20;
  options.keep_log_file_num = 5;
  return options;
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
      rocksdb::DB::Open(MakeOptions(options), options.path, &raw_db);
  std::unique_ptr<rocksdb::DB> db(raw_db);
  if (!status.ok()) {
    return FromRocks(status, absl::StrCat("opening ", options.path));
  }
  std::string revision_bytes;
  int64_t last_revision = 0;
  status = db->Get(rocksdb::ReadOptions(), kRevisionKey, &revision_bytes);
  if (status.ok()) {
    if (!absl::SimpleAtoi(revision_bytes, &last_revision)) {
      return absl::DataLossError("unparsable store revision");
    }
  } else if (!status.IsNotFound()) {
    return FromRocks(status, "reading the store revision");
  }
  return std::unique_ptr<RocksDbArticleStore>(new RocksDbArticleStore(
      std::move(db), options.durable_writes, last_revision));
}

RocksDbArticleStore::RocksDbArticleStore(std::unique_ptr<rocksdb::DB> db,
                                         bool durable_writes,
                                         int64_t last_revision)
    : db_(std::move(db)),
      durable_writes_(durable_writes),
      last_revision_(last_revision) {}

RocksDbArticleStore::~RocksDbArticleStore() {
  // Writes made without sync are in the OS cache; a clean stop makes them
  // durable too. Errors cannot be reported from here, and the WAL replays on
  // the next open either way.
  if (!durable_writes_) db_->SyncWAL().PermitUncheckedError();
  db_->Close().PermitUncheckedError();
}

int64_t RocksDbArticleStore::LastRevision() {
  absl::MutexLock lock(&mu_);
  return last_revision_;
}

absl::StatusOr<std::vector<std::optional<v1::Article>>>
RocksDbArticleStore::MultiGet(absl::Span<const std::string> keys) {
  std::vector<std::string> db_keys;
  db_keys.reserve(keys.size());
  for (const std::string& key : keys) db_keys.push_back(ArticleKey(key));
  std::vector<rocksdb::Slice> slices(db_keys.begin(), db_keys.end());

  rocksdb::ManagedSnapshot snapshot(db_.get());
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot.snapshot();
  std::vector<std::string> values;
  std::vector<rocksdb::Status> statuses =
      db_->MultiGet(read_options, slices, &values);

  std::vector<std::optional<v1::Article>> articles(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    if (!statuses[i].ok()) return FromRocks(statuses[i], "reading articles");
    absl::StatusOr<v1::Article> article = ParseArticle(values[i], keys[i]);
    if (!article.ok()) return article.status();
    articles[i] = std::move(*article);
  }
  return articles;
}

absl::StatusOr<std::vector<KeyedArticle>> RocksDbArticleStore::Scan(
    absl::string_view start_after, size_t limit) {
  const rocksdb::Slice upper_bound(kArticleEnd);
  rocksdb::ReadOptions read_options;
  read_options.iterate_upper_bound = &upper_bound;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options));
  const std::string start = ArticleKey(start_after);
  it->Seek(start);
  if (it->Valid() && it->key() == start) it->Next();

  std::vector<KeyedArticle> page;
  for (; it->Valid() && page.size() < limit; it->Next()) {
    std::string key = it->key().ToString().substr(kArticlePrefix.size());
    absl::StatusOr<v1::Article> article = ParseArticle(it->value(), key);
    if (!article.ok()) return article.status();
    page.push_back({std::move(key), std::move(*article)});
  }
  if (!it->status().ok()) return FromRocks(it->status(), "scanning articles");
  return page;
}

absl::StatusOr<std::vector<MutationResult>> RocksDbArticleStore::Write(
    std::vector<ArticleMutation> mutations) {
  PendingWrite self(std::move(mutations));
  std::vector<PendingWrite*> group;
  int64_t revision = 0;
  {
    absl::MutexLock lock(&mu_);
    queue_.push_back(&self);
    auto done_or_leading = [this, &self]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return self.done || queue_.front() == &self;
    };
    mu_.Await(absl::Condition(&done_or_leading));
    if (self.done) return std::move(self.result);
    // Leader: later arrivals queue up behind the group and form the next one.
    group.assign(queue_.begin(),
                 queue_.begin() + std::min(queue_.size(), kMaxGroupSize));
    revision = last_revision_;
  }
  revision = CommitGroup(group, revision);
  {
    absl::MutexLock lock(&mu_);
    last_revision_ = revision;
    for (PendingWrite* write : group) {
      write->done = true;
      queue_.pop_front();
    }
  }
  return std::move(self.result);
}

absl::StatusOr<std::optional<v1::Article>> RocksDbArticleStore::ReadCommitted(
    const std::string& key) {
  std::string value;
  const rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), ArticleKey(key), &value);
  if (status.IsNotFound()) return std::nullopt;
  if (!status.ok()) return FromRocks(status, "reading an article");
  absl::StatusOr<v1::Article> article = ParseArticle(value, key);
  if (!article.ok()) return article.status();
  return std::optional<v1::Article>(std::move(*article));
}

int64_t RocksDbArticleStore::CommitGroup(absl::Span<PendingWrite* const> group,
                                         int64_t revision) {
  const int64_t first_revision = revision;
  const absl::Time now = absl::Now();
  // State after the writes of the group accepted so far.
  absl::flat_hash_map<std::string, std::optional<v1::Article>> committed;
  std::vector<PendingWrite*> accepted;
  rocksdb::WriteBatch batch;

  for (PendingWrite* write : group) {
    // One write's view: what it changed on top of `committed`.
    absl::flat_hash_map<std::string, std::optional<v1::Article>> staged;
    absl::flat_hash_set<std::string> dirty;
    std::vector<MutationResult> results;
    absl::Status failure;
    for (const ArticleMutation& mutation : write->mutations) {
      auto it = staged.find(mutation.key);
      if (it == staged.end()) {
        auto base = committed.find(mutation.key);
        absl::StatusOr<std::optional<v1::Article>> current =
            base != committed.end() ? base->second
                                    : ReadCommitted(mutation.key);
        if (!current.ok()) {
          failure = current.status();
          break;
        }
        it = staged.emplace(mutation.key, std::move(*current)).first;
      }
      absl::StatusOr<MutationResult> result =
          ApplyMutation(mutation, revision + 1, now, &it->second);
      if (!result.ok()) {
        failure = result.status();
        break;
      }
      if (result->changed) dirty.insert(mutation.key);
      results.push_back(std::move(*result));
    }
    if (!failure.ok()) {
      write->result = failure;
      continue;
    }
    write->result = std::move(results);
    if (dirty.empty()) continue;
    ++revision;
    accepted.push_back(write);
    for (const std::string& key : dirty) {
      std::optional<v1::Article>& value = staged[key];
      if (value.has_value()) {
        batch.Put(ArticleKey(key), value->SerializeAsString());
      } else {
        batch.Delete(ArticleKey(key));
      }
      committed[key] = std::move(value);
    }
  }
  if (accepted.empty()) return revision;

  batch.Put(kRevisionKey, absl::StrCat(revision));
  rocksdb::WriteOptions write_options;
  write_options.sync = durable_writes_;
  const rocksdb::Status status = db_->Write(write_options, &batch);
  if (status.ok()) return revision;
  const absl::Status failure = FromRocks(status, "writing articles");
  for (PendingWrite* write : accepted) write->result = failure;
  return first_revision;
}

}  // namespace content
