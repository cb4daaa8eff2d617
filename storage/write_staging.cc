#include "storage/write_staging.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "storage/apply_mutation.h"
#include "storage/article_index.h"
#include "storage/article_layout.h"

namespace content {
namespace {

// Engine keys to their new values; nullopt deletes. Ordered, so the batch
// (and everything derived from it) is the same on every machine.
using RawWrites = std::map<std::string, std::optional<std::string>>;

// Stages one write at a time over the snapshot and the writes of the group
// staged before it.
class Stager {
 public:
  Stager(KvSnapshot* state, absl::Time now) : state_(state), now_(now) {}

  // Stages `mutations` as revision `revision` into `staged`; fails without
  // staging on a failed precondition.
  // `*sequence` numbers the changes within the revision; it advances by
  // the changes staged.
  absl::Status StageWrite(std::vector<ArticleMutation>* mutations,
                          int64_t revision, uint32_t* sequence,
                          RawWrites* staged,
                          std::vector<MutationResult>* results) {
    staged_ = staged;
    for (ArticleMutation& mutation : *mutations) {
      absl::Status status =
          StageMutation(&mutation, revision, sequence, results);
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  }

  // Makes `staged` part of the state later writes see.
  void Accept(RawWrites* staged) {
    for (auto& [key, value] : *staged) accepted_[key] = std::move(value);
  }

  RawWrites* accepted() { return &accepted_; }

 private:
  // Reads see the current write's changes, then the group's, then the
  // snapshot.
  absl::StatusOr<std::optional<std::string>> Read(const std::string& raw_key) {
    if (auto it = staged_->find(raw_key); it != staged_->end()) {
      return it->second;
    }
    if (auto it = accepted_.find(raw_key); it != accepted_.end()) {
      return it->second;
    }
    return state_->Get(raw_key);
  }

  // The key of the article `mutation` acts on: its own, or for a delete of
  // an alias, its article's; with what is stored there.
  absl::Status Resolve(ArticleMutation* mutation,
                       std::optional<std::string>* stored) {
    absl::StatusOr<std::optional<std::string>> bytes =
        Read(ArticleKey(mutation->key));
    if (!bytes.ok()) return bytes.status();
    if (!bytes->has_value() &&
        mutation->kind == ArticleMutation::Kind::kDelete) {
      absl::StatusOr<std::optional<std::string>> owner =
          Read(AliasKey(mutation->key));
      if (!owner.ok()) return owner.status();
      if (owner->has_value()) {
        mutation->key = std::move(**owner);
        bytes = Read(ArticleKey(mutation->key));
        if (!bytes.ok()) return bytes.status();
      }
    }
    *stored = std::move(*bytes);
    return absl::OkStatus();
  }

  absl::Status StageMutation(ArticleMutation* given, int64_t revision,
                             uint32_t* sequence,
                             std::vector<MutationResult>* results) {
    ArticleMutation& mutation = *given;
    std::optional<std::string> bytes;
    absl::Status status = Resolve(&mutation, &bytes);
    if (!status.ok()) return status;
    const std::string key = mutation.key;
    std::optional<storage::StoredArticle> current;
    if (bytes.has_value()) {
      absl::StatusOr<storage::StoredArticle> parsed = ParseStored(*bytes, key);
      if (!parsed.ok()) return parsed.status();
      current = std::move(*parsed);
    }
    const std::optional<storage::StoredArticle> before = current;
    const bool is_put = mutation.kind == ArticleMutation::Kind::kPut;
    absl::StatusOr<MutationResult> result =
        ApplyMutation(std::move(mutation), revision, now_, &current);
    if (!result.ok()) return result.status();
    if (result->changed) {
      status =
          StageChange(key, before, bytes, current, revision, (*sequence)++);
      if (!status.ok()) return status;
    }
    if (is_put) result->article = std::move(*current->mutable_article());
    results->push_back(std::move(*result));
    return absl::OkStatus();
  }

  // The records of the article under `key` going from `before` (stored as
  // `before_bytes`) to `after`: the article, its change-feed entry, its
  // index entries and its aliases.
  absl::Status StageChange(const std::string& key,
                           const std::optional<storage::StoredArticle>& before,
                           const std::optional<std::string>& before_bytes,
                           const std::optional<storage::StoredArticle>& after,
                           int64_t revision, uint32_t sequence) {
    std::optional<std::string> value;
    if (after.has_value()) value = after->SerializeAsString();
    std::optional<v1::Article> previous;
    if (after.has_value() && before.has_value()) {
      previous = FilterFields(before->article());
    }
    (*staged_)[ChangeKey(revision, sequence)] =
        ChangeRecord(!after.has_value(), key,
                     after.has_value() ? *value : *before_bytes, previous);
    StageIndexChanges(before.has_value() ? IndexKeys(key, *before)
                                         : std::vector<std::string>(),
                      after.has_value() ? IndexKeys(key, *after)
                                        : std::vector<std::string>());
    (*staged_)[ArticleKey(key)] = std::move(value);
    return StageAliases(key, before, after);
  }

  // Removes the index entries only `old_keys` has and adds those only
  // `new_keys` has; both are sorted.
  void StageIndexChanges(const std::vector<std::string>& old_keys,
                         const std::vector<std::string>& new_keys) {
    auto old_it = old_keys.begin();
    auto new_it = new_keys.begin();
    while (old_it != old_keys.end() || new_it != new_keys.end()) {
      if (new_it == new_keys.end() ||
          (old_it != old_keys.end() && *old_it < *new_it)) {
        (*staged_)[*old_it++] = std::nullopt;
      } else if (old_it == old_keys.end() || *new_it < *old_it) {
        (*staged_)[*new_it++] = std::string();
      } else {
        ++old_it;
        ++new_it;
      }
    }
  }

  // Releases the aliases the article still owns and no longer lists, and
  // claims those it lists now.
  absl::Status StageAliases(
      const std::string& key,
      const std::optional<storage::StoredArticle>& before,
      const std::optional<storage::StoredArticle>& after) {
    static const storage::StoredArticle kNone;
    const auto& old_aliases =
        (before.has_value() ? *before : kNone).alias_keys();
    const auto& new_aliases = (after.has_value() ? *after : kNone).alias_keys();
    for (const std::string& alias : old_aliases) {
      if (std::find(new_aliases.begin(), new_aliases.end(), alias) !=
          new_aliases.end()) {
        continue;
      }
      absl::StatusOr<std::optional<std::string>> owner = Read(AliasKey(alias));
      if (!owner.ok()) return owner.status();
      if (*owner == key) (*staged_)[AliasKey(alias)] = std::nullopt;
    }
    for (const std::string& alias : new_aliases) {
      (*staged_)[AliasKey(alias)] = key;
    }
    return absl::OkStatus();
  }

  KvSnapshot* const state_;
  const absl::Time now_;
  RawWrites accepted_;           // the accepted writes of the group so far
  RawWrites* staged_ = nullptr;  // the current write's
};

}  // namespace

StagedGroup StageWrites(KvSnapshot& state, int64_t revision, absl::Time now,
                        absl::Span<std::vector<ArticleMutation>* const> writes,
                        RevisionPolicy policy) {
  const bool one_for_all = policy == RevisionPolicy::kOneForAll;
  Stager stager(&state, now);
  StagedGroup group;
  group.writes.resize(writes.size());
  uint32_t sequence = 0;
  for (size_t i = 0; i < writes.size(); ++i) {
    RawWrites staged;
    std::vector<MutationResult> results;
    const uint32_t first_sequence = sequence;
    if (!one_for_all) sequence = 0;
    const absl::Status status = stager.StageWrite(writes[i], revision + 1,
                                                  &sequence, &staged, &results);
    if (!status.ok()) {
      // A failed precondition is the write's outcome. Failing to read the
      // state is this machine's trouble, not the write's: for a log entry,
      // which every replica must apply alike, the whole entry fails.
      const bool precondition = absl::IsNotFound(status) ||
                                absl::IsAborted(status) ||
                                absl::IsAlreadyExists(status);
      if (one_for_all && !precondition) {
        StagedGroup failed;
        failed.failure = status;
        return failed;
      }
      sequence = first_sequence;  // nothing of it is staged
      group.writes[i].result = status;
      continue;
    }
    if (!staged.empty()) {
      if (!one_for_all) ++revision;
      group.writes[i].revision = one_for_all ? revision + 1 : revision;
      for (const MutationResult& result : results) {
        group.articles_added += result.created ? 1 : 0;
        group.articles_added -= result.deleted ? 1 : 0;
      }
      stager.Accept(&staged);
    }
    group.writes[i].result = std::move(results);
  }
  for (auto& [key, value] : *stager.accepted()) {
    if (value.has_value()) {
      group.batch.Put(key, std::move(*value));
    } else {
      group.batch.Delete(key);
    }
  }
  group.last_revision = one_for_all ? revision + 1 : revision;
  return group;
}

}  // namespace content
