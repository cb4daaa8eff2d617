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

}  // namespace

absl::StatusOr<RocksDbArticleStore::VerifyReport> RocksDbArticleStore::Verify(
    const ArticleCheck& check) {
  rocksdb::ManagedSnapshot snapshot(db_.get());
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot.snapshot();
  // One pass over everything; keep it out of the block cache.
  read_options.fill_cache = false;
  VerifyReport report;
  ProblemList problems(&report.problems);

  // Point reads in the same snapshot, for cross-references.
  const auto read = [&](const std::string& raw_key)
      -> absl::StatusOr<std::optional<std::string>> {
    std::string value;
    const rocksdb::Status status = db_->Get(read_options, raw_key, &value);
    if (status.IsNotFound()) return std::nullopt;
    if (!status.ok()) return FromRocks(status, "verifying the store");
    return std::optional<std::string>(std::move(value));
  };
  int64_t counters[2] = {-1, -1};  // revision, article count
  const char* const counter_keys[2] = {kRevisionKey, kArticleCountKey};
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<std::optional<std::string>> bytes = read(counter_keys[i]);
    if (!bytes.ok()) return bytes.status();
    if (!bytes->has_value()) {
      counters[i] = 0;
    } else if (!absl::SimpleAtoi(**bytes, &counters[i])) {
      problems.Add(counter_keys[i], " is not a number");
    }
  }
  report.revision = counters[0];

  int64_t index_entries = 0;
  int64_t expected_index_entries = 0;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string raw_key = it->key().ToString();
    absl::string_view key = raw_key;
    if (absl::ConsumePrefix(&key, kArticlePrefix)) {
      ++report.articles;
      absl::StatusOr<storage::StoredArticle> stored =
          ParseStored(it->value(), key);
      if (!stored.ok()) {
        problems.Add(stored.status().message());
        continue;
      }
      v1::Article content = stored->article();
      const int64_t revision = content.revision();
      const std::string etag = content.etag();
      if (revision < 1 || revision > report.revision) {
        problems.Add(key, ": revision ", revision, " is outside 1..",
                     report.revision);
      }
      if (ContentEtag(&content) != etag) {
        problems.Add(key, ": etag ", etag, " does not match its content");
      }
      const std::string found = check(key, stored->article());
      if (!found.empty()) problems.Add(key, ": ", found);
      for (const std::string& index_key : IndexKeys(key, *stored)) {
        ++expected_index_entries;
        absl::StatusOr<std::optional<std::string>> entry = read(index_key);
        if (!entry.ok()) return entry.status();
        if (!entry->has_value()) {
          problems.Add(key, ": index entry ", absl::CHexEscape(index_key),
                       " is missing");
        }
      }
      for (const std::string& alias : stored->alias_keys()) {
        absl::StatusOr<std::optional<std::string>> owner =
            read(AliasKey(alias));
        if (!owner.ok()) return owner.status();
        if (*owner != std::string(key)) {
          problems.Add(key, ": its alias ", alias, " resolves to ",
                       owner->has_value() ? **owner : "nothing");
        }
      }
    } else if (absl::ConsumePrefix(&key, kAliasPrefix)) {
      ++report.aliases;
      const std::string owner = it->value().ToString();
      absl::StatusOr<std::optional<std::string>> bytes =
          read(ArticleKey(owner));
      if (!bytes.ok()) return bytes.status();
      if (!bytes->has_value()) {
        problems.Add("alias ", key, " points at ", owner,
                     ", which is not stored");
        continue;
      }
      absl::StatusOr<storage::StoredArticle> stored =
          ParseStored(**bytes, owner);
      if (!stored.ok()) continue;  // reported with the article itself
      const auto& aliases = stored->alias_keys();
      if (std::find(aliases.begin(), aliases.end(), key) == aliases.end()) {
        problems.Add("alias ", key, " points at ", owner,
                     ", which does not list it");
      }
    } else if (absl::StartsWith(raw_key, kPostingPrefix) ||
               absl::StartsWith(raw_key, kReferencePrefix)) {
      ++index_entries;  // each article checks its own entries exist
    } else if (absl::StartsWith(raw_key, kChangePrefix)) {
      const int64_t revision = ChangeRevision(raw_key);
      if (revision < 1 || revision > report.revision) {
        problems.Add("a change of revision ", revision, " is outside 1..",
                     report.revision);
      }
    } else if (raw_key != kRevisionKey && raw_key != kArticleCountKey &&
               raw_key != kFormatKey && raw_key != kOldestChangeKey) {
      problems.Add("unexpected key ", absl::CHexEscape(raw_key));
    }
  }
  if (!it->status().ok()) return FromRocks(it->status(), "verifying the store");
  if (index_entries != expected_index_entries) {
    problems.Add(index_entries,
                 " index entries are stored but the articles "
                 "make ",
                 expected_index_entries, " (stale entries)");
  }
  if (counters[1] >= 0 && counters[1] != report.articles) {
    problems.Add(kArticleCountKey, " says ", counters[1], " but ",
                 report.articles, " articles are stored");
  }
  return report;
}

}  // namespace content
