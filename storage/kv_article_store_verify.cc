// KvArticleStore::Verify, the consistency walk behind `contentctl verify`,
// and KvArticleStore::Digest, the state digest replicas are compared by.

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "base/sha256.h"
#include "storage/apply_mutation.h"
#include "storage/article_index.h"
#include "storage/article_layout.h"
#include "storage/kv_article_store.h"

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
  Verifier(KvSnapshot* state, const ArticleCheck& check, VerifyReport* report)
      : state_(state),
        check_(check),
        report_(report),
        problems_(&report->problems) {}

  // Reads the revision and the article count; the revision bounds the
  // checks that follow.
  absl::Status ReadCounters() {
    absl::StatusOr<int64_t> revision = state_->Sequence();
    if (absl::IsDataLoss(revision.status())) {
      problems_.Add(kSequenceKey, " is not a number");
    } else if (!revision.ok()) {
      return revision.status();
    }
    report_->revision = revision.value_or(-1);
    absl::StatusOr<std::optional<std::string>> bytes =
        state_->Get(kArticleCountKey);
    if (!bytes.ok()) return bytes.status();
    if (!bytes->has_value()) {
      article_count_ = 0;
    } else if (!absl::SimpleAtoi(**bytes, &article_count_)) {
      article_count_ = -1;
      problems_.Add(kArticleCountKey, " is not a number");
    }
    return absl::OkStatus();
  }

  // Checks the entry `raw_key` -> `value`.
  absl::Status CheckEntry(absl::string_view raw_key, absl::string_view value) {
    absl::string_view key = raw_key;
    if (absl::ConsumePrefix(&key, kArticlePrefix)) {
      return CheckArticle(key, value);
    }
    if (absl::ConsumePrefix(&key, kAliasPrefix)) {
      return CheckAlias(key, std::string(value));
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
    } else if (raw_key != kSequenceKey && raw_key != kArticleCountKey &&
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
    return state_->Get(raw_key);
  }

  // An article: parsable, its revision and etag, the caller's check, its
  // index entries and its aliases.
  absl::Status CheckArticle(absl::string_view key, absl::string_view value) {
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

  KvSnapshot* const state_;
  const ArticleCheck& check_;
  VerifyReport* const report_;
  ProblemList problems_;
  int64_t article_count_ = -1;  // as the counter says; -1 if unparsable
  int64_t index_entries_ = 0;
  int64_t expected_index_entries_ = 0;
};

// The SHA-256 of StateDigest: fed every record in key order, it hashes
// those of the state (articles, aliases, index entries) and skips the rest.
class StateHasher {
 public:
  void Add(absl::string_view key, absl::string_view value) {
    if (!absl::StartsWith(key, kArticlePrefix) &&
        !absl::StartsWith(key, kAliasPrefix) &&
        !absl::StartsWith(key, kReferencePrefix) &&
        !absl::StartsWith(key, kPostingPrefix)) {
      return;
    }
    AddField(key);
    AddField(value);
  }

  std::string HexDigest() { return sha256_.HexDigest(); }

 private:
  // `bytes` after its length, 8 bytes big-endian, so that no two sequences
  // of records hash alike.
  void AddField(absl::string_view bytes) {
    char length[8];
    for (int i = 0; i < 8; ++i) {
      length[i] =
          static_cast<char>((uint64_t{bytes.size()} >> (56 - 8 * i)) & 0xff);
    }
    sha256_.Update(absl::string_view(length, sizeof(length)));
    sha256_.Update(bytes);
  }

  Sha256 sha256_;
};

}  // namespace

absl::StatusOr<VerifyReport> KvArticleStore::Verify(const ArticleCheck& check) {
  std::unique_ptr<KvSnapshot> state = engine_->GetSnapshot();
  VerifyReport report;
  Verifier verifier(state.get(), check, &report);
  absl::Status status = verifier.ReadCounters();
  if (!status.ok()) return status;
  // One pass over everything; kept out of the cache.
  StateHasher hasher;
  std::unique_ptr<KvIterator> it =
      state->NewIterator("", "", /*fill_cache=*/false);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    status = verifier.CheckEntry(it->key(), it->value());
    if (!status.ok()) return status;
    hasher.Add(it->key(), it->value());
  }
  if (!it->status().ok()) return it->status();
  verifier.Finish();
  report.state_digest = hasher.HexDigest();
  return report;
}

absl::StatusOr<StateDigest> KvArticleStore::Digest() {
  std::unique_ptr<KvSnapshot> state = engine_->GetSnapshot();
  StateDigest result;
  absl::StatusOr<int64_t> revision = state->Sequence();
  if (!revision.ok()) return revision.status();
  result.revision = *revision;
  StateHasher hasher;
  // The ranges of the state, in key order: not the change feed or the
  // metadata.
  const std::pair<std::string, std::string> ranges[] = {
      {std::string(kArticlePrefix), kArticleEnd},
      {std::string(kAliasPrefix), kAliasEnd},
      {std::string(kReferencePrefix), PrefixSuccessor(kReferencePrefix)},
      {std::string(kPostingPrefix), PrefixSuccessor(kPostingPrefix)}};
  for (const auto& [lower, upper] : ranges) {
    std::unique_ptr<KvIterator> it =
        state->NewIterator(lower, upper, /*fill_cache=*/false);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if (lower == kArticlePrefix) ++result.articles;
      hasher.Add(it->key(), it->value());
    }
    if (!it->status().ok()) return it->status();
  }
  result.sha256 = hasher.HexDigest();
  return result;
}

}  // namespace content
