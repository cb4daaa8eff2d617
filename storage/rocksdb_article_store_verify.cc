// RocksDbArticleStore::Verify: the consistency walk behind `contentctl verify`.

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "storage/apply_mutation.h"
#include "storage/article_index.h"
#include "storage/rocksdb_article_store.h"
#include "storage/rocksdb_layout.h"

namespace content {
namespace {

constexpr size_t kMaxProblems = 100;

class ProblemList {
 public:
  explicit ProblemList(std::vector<std::string>* problems)
      : problems_(problems) {}

  template <typename... Parts>
  void Add(const Parts&... parts) {
    if (problems_->size() < kMaxProblems) {
      problems_->push_back(absl::StrCat(parts...));
    }
  }

 private:
  std::vector<std::string>* problems_;
};

// One pass over a snapshot: each key is checked as it comes, with point
// reads in the same snapshot for its cross-references.
class Verifier {
 public:
  Verifier(rocksdb::DB* db, const rocksdb::ReadOptions& read_options,
           const RocksDbArticleStore::ArticleCheck& check,
           RocksDbArticleStore::VerifyReport* report)
      : db_(db),
        read_options_(read_options),
        check_(check),
        report_(report),
        problems_(&report->problems) {}

  // Reads the revision and the article count; the revision bounds the
  // checks that follow.
  absl::Status ReadCounters() {
    const char* const keys[2] = {kRevisionKey, kArticleCountKey};
    int64_t* const values[2] = {&report_->revision, &article_count_};
    for (int i = 0; i < 2; ++i) {
      absl::StatusOr<std::optional<std::string>> bytes = Read(keys[i]);
      if (!bytes.ok()) return bytes.status();
      if (!bytes->has_value()) {
        *values[i] = 0;
      } else if (!absl::SimpleAtoi(**bytes, values[i])) {
        *values[i] = -1;
        problems_.Add(keys[i], " is not a number");
      }
    }
    return absl::OkStatus();
  }

  // Checks the entry `raw_key` -> `value`.
  absl::Status CheckEntry(const std::string& raw_key,
                          const rocksdb::Slice& value) {
    absl::string_view key = raw_key;
    if (absl::ConsumePrefix(&key, kArticlePrefix)) {
      return CheckArticle(key, value);
    }
    if (absl::ConsumePrefix(&key, kAliasPrefix)) {
      return CheckAlias(key, value.ToString());
    }
    if (absl::StartsWith(raw_key, kPostingPrefix) ||
        absl::StartsWith(raw_key, kReferencePrefix)) {
      ++index_entries_;  // each article checks its own entries exist
    } else if (absl::StartsWith(raw_key, kChangePrefix)) {
      const int64_t revision = ChangeRevision(raw_key);
      if (revision < 1 || revision > report_->revision) {
        problems_.Add("a change of revision ", revision, " is outside 1..",
                      report_->revision);
      }
    } else if (raw_key != kRevisionKey && raw_key != kArticleCountKey &&
               raw_key != kFormatKey && raw_key != kOldestChangeKey) {
      problems_.Add("unexpected key ", absl::CHexEscape(raw_key));
    }
    return absl::OkStatus();
  }

  // The checks that need the whole pass: counts against what was found.
  void Finish() {
    if (index_entries_ != expected_index_entries_) {
      problems_.Add(index_entries_,
                    " index entries are stored but the articles make ",
                    expected_index_entries_, " (stale entries)");
    }
    if (article_count_ >= 0 && article_count_ != report_->articles) {
      problems_.Add(kArticleCountKey, " says ", article_count_, " but ",
                    report_->articles, " articles are stored");
    }
  }

 private:
  absl::StatusOr<std::optional<std::string>> Read(const std::string& raw_key) {
    std::string value;
    const rocksdb::Status status = db_->Get(read_options_, raw_key, &value);
    if (status.IsNotFound()) return std::nullopt;
    if (!status.ok()) return FromRocks(status, "verifying the store");
    return std::optional<std::string>(std::move(value));
  }

  // An article: parsable, its revision and etag, the caller's check, its
  // index entries and its aliases.
  absl::Status CheckArticle(absl::string_view key,
                            const rocksdb::Slice& value) {
    ++report_->articles;
    absl::StatusOr<storage::StoredArticle> stored = ParseStored(value, key);
    if (!stored.ok()) {
      problems_.Add(stored.status().message());
      return absl::OkStatus();
    }
    v1::Article content = stored->article();
    const int64_t revision = content.revision();
    const std::string etag = content.etag();
    if (revision < 1 || revision > report_->revision) {
      problems_.Add(key, ": revision ", revision, " is outside 1..",
                    report_->revision);
    }
    if (ContentEtag(&content) != etag) {
      problems_.Add(key, ": etag ", etag, " does not match its content");
    }
    const std::string found = check_(key, stored->article());
    if (!found.empty()) problems_.Add(key, ": ", found);
    for (const std::string& index_key : IndexKeys(key, *stored)) {
      ++expected_index_entries_;
      absl::StatusOr<std::optional<std::string>> entry = Read(index_key);
      if (!entry.ok()) return entry.status();
      if (!entry->has_value()) {
        problems_.Add(key, ": index entry ", absl::CHexEscape(index_key),
                      " is missing");
      }
    }
    for (const std::string& alias : stored->alias_keys()) {
      absl::StatusOr<std::optional<std::string>> owner = Read(AliasKey(alias));
      if (!owner.ok()) return owner.status();
      if (*owner != std::string(key)) {
        problems_.Add(key, ": its alias ", alias, " resolves to ",
                      owner->has_value() ? **owner : "nothing");
      }
    }
    return absl::OkStatus();
  }

  // An alias: its article exists and lists it.
  absl::Status CheckAlias(absl::string_view key, const std::string& owner) {
    ++report_->aliases;
    absl::StatusOr<std::optional<std::string>> bytes = Read(ArticleKey(owner));
    if (!bytes.ok()) return bytes.status();
    if (!bytes->has_value()) {
      problems_.Add("alias ", key, " points at ", owner,
                    ", which is not stored");
      return absl::OkStatus();
    }
    absl::StatusOr<storage::StoredArticle> stored = ParseStored(**bytes, owner);
    if (!stored.ok()) return absl::OkStatus();  // reported with the article
    const auto& aliases = stored->alias_keys();
    if (std::find(aliases.begin(), aliases.end(), key) == aliases.end()) {
      problems_.Add("alias ", key, " points at ", owner,
                    ", which does not list it");
    }
    return absl::OkStatus();
  }

  rocksdb::DB* const db_;
  const rocksdb::ReadOptions& read_options_;
  const RocksDbArticleStore::ArticleCheck& check_;
  RocksDbArticleStore::VerifyReport* const report_;
  ProblemList problems_;
  int64_t article_count_ = -1;  // as the counter says; -1 if unparsable
  int64_t index_entries_ = 0;
  int64_t expected_index_entries_ = 0;
};

}  // namespace

absl::StatusOr<RocksDbArticleStore::VerifyReport> RocksDbArticleStore::Verify(
    const ArticleCheck& check) {
  rocksdb::ManagedSnapshot snapshot(db_.get());
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot.snapshot();
  // One pass over everything; keep it out of the block cache.
  read_options.fill_cache = false;
  VerifyReport report;
  Verifier verifier(db_.get(), read_options, check, &report);
  absl::Status status = verifier.ReadCounters();
  if (!status.ok()) return status;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    status = verifier.CheckEntry(it->key().ToString(), it->value());
    if (!status.ok()) return status;
  }
  if (!it->status().ok()) return FromRocks(it->status(), "verifying the store");
  verifier.Finish();
  return report;
}

}  // namespace content
