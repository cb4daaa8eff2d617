// Queries of KvArticleStore over its secondary indexes.

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "storage/article_index.h"
#include "storage/article_layout.h"
#include "storage/kv_article_store.h"

namespace content {

namespace {

// Walks the entries of one posting (or reference list) within a range of
// positions, forward or backward, counting the entries it lands on.
class IndexCursor {
 public:
  IndexCursor(KvSnapshot* state, std::string prefix, const PositionRange& range,
              bool backward)
      : prefix_(std::move(prefix)),
        lower_(prefix_ + range.lower),
        upper_(range.upper.has_value() ? prefix_ + *range.upper
                                       : PrefixSuccessor(prefix_)),
        backward_(backward),
        it_(state->NewIterator(lower_, upper_)) {}

  // Positions the cursor on the first entry, in its direction, at or after
  // `position`; "" is the start.
  void Seek(absl::string_view position) {
    const std::string target = absl::StrCat(prefix_, position);
    if (!backward_) {
      if (position.empty() || target < lower_) {
        it_->SeekToFirst();
      } else {
        it_->Seek(target);
      }
    } else if (position.empty() || (!upper_.empty() && target >= upper_)) {
      it_->SeekToLast();
    } else {
      it_->SeekForPrev(target);
    }
    Count();
  }

  void Next() {
    if (backward_) {
      it_->Prev();
    } else {
      it_->Next();
    }
    Count();
  }

  bool Valid() const { return it_->Valid(); }
  // The entry's key after the prefix. Valid() must be true.
  absl::string_view position() const {
    return it_->key().substr(prefix_.size());
  }
  // Whether position `a` comes before `b` in this cursor's direction.
  bool Before(absl::string_view a, absl::string_view b) const {
    return backward_ ? a > b : a < b;
  }
  absl::Status status() const { return it_->status(); }
  int64_t entries_read() const { return entries_read_; }

 private:
  void Count() {
    if (it_->Valid()) ++entries_read_;
  }

  const std::string prefix_;
  const std::string lower_;
  const std::string upper_;  // "" when unbounded
  const bool backward_;
  const std::unique_ptr<KvIterator> it_;
  int64_t entries_read_ = 0;
};

using Cursors = std::vector<std::unique_ptr<IndexCursor>>;

// Leapfrog intersection: moves every cursor to the first position, at or
// after the first cursor's, that all of them hold. False when one runs out.
bool Align(const Cursors& cursors) {
  if (!cursors[0]->Valid()) return false;
  std::string target(cursors[0]->position());
  size_t agreeing = 1;
  for (size_t i = 1 % cursors.size(); agreeing < cursors.size();
       i = (i + 1) % cursors.size()) {
    IndexCursor& cursor = *cursors[i];
    if (!cursor.Valid()) return false;
    if (cursor.Before(cursor.position(), target)) {
      cursor.Seek(target);
      if (!cursor.Valid()) return false;
    }
    if (cursor.position() == target) {
      ++agreeing;
    } else {
      target = std::string(cursor.position());
      agreeing = 1;
    }
  }
  return true;
}

// Reads one page: the articles at the positions all the cursors hold
// (after `start_after`), whose key is the position from `key_offset` on, and
// which `query` (if any) matches. The articles stay serialized, cut out of
// their stored records.
class PageReader {
 public:
  PageReader(KvSnapshot* state, const Cursors* cursors, size_t key_offset,
             const ArticleQuery* query, PageLimits limit)
      : state_(state),
        cursors_(*cursors),
        key_offset_(key_offset),
        // The postings answer equalities and the sort field's range; a range
        // on the other field is checked on the articles (parsed only then).
        query_(query != nullptr && HasRangeOffTheSortField(*query) ? query
                                                                   : nullptr),
        limit_(limit),
        // Bounds the entries examined per page, so that a page that matches
        // little still returns soon.
        budget_(std::max<size_t>(1000, 16 * limit.articles)) {}

  absl::StatusOr<QueryPage> Read(absl::string_view start_after) {
    absl::StatusOr<int64_t> revision = state_->Sequence();
    if (!revision.ok()) return revision.status();
    page_.revision = *revision;
    if (cursors_.empty() || limit_.articles == 0) return std::move(page_);

    for (const auto& cursor : cursors_) cursor->Seek(start_after);
    if (!start_after.empty() && cursors_[0]->Valid() &&
        cursors_[0]->position() == start_after) {
      cursors_[0]->Next();
    }
    while (more_ && !full_ && page_.hits.size() < limit_.articles &&
           examined_ < budget_) {
      absl::Status status = ReadBatch();
      if (!status.ok()) return status;
    }
    // A full page may be the last one: look for one more candidate.
    if (more_ && !full_ && page_.hits.size() == limit_.articles &&
        !Align(cursors_)) {
      more_ = false;
    }
    // Ended by bytes: the rest of the positions read follow.
    if (more_ || full_) page_.next_start = std::move(last_examined_);
    for (const auto& cursor : cursors_) {
      page_.index_entries_read += cursor->entries_read();
    }
    return std::move(page_);
  }

 private:
  // The next positions the cursors agree on, as many as the page lacks, and
  // their articles.
  absl::Status ReadBatch() {
    std::vector<std::string> positions;
    std::vector<std::string> keys;
    while (positions.size() < limit_.articles - page_.hits.size()) {
      if (!Align(cursors_)) {
        more_ = false;
        break;
      }
      positions.emplace_back(cursors_[0]->position());
      keys.push_back(ArticleKey(positions.back().substr(key_offset_)));
      cursors_[0]->Next();
    }
    for (const auto& cursor : cursors_) {
      if (!cursor->status().ok()) return cursor->status();
    }
    if (positions.empty()) {
      more_ = false;
      return absl::OkStatus();
    }
    examined_ += positions.size();
    return state_->VisitMultiGet(
        keys, [&](size_t i, const absl::string_view* record) {
          if (full_) return absl::OkStatus();
          const absl::string_view key =
              absl::string_view(keys[i]).substr(kArticlePrefix.size());
          if (record == nullptr) {
            return absl::DataLossError(absl::StrCat(
                "an index entry names ", key, ", which has no article"));
          }
          return AddHit(key, *record, &positions[i]);
        });
  }

  // Adds the article of `key` (its stored record) to the page if it matches
  // and fits; sets full_ if it does not fit.
  absl::Status AddHit(absl::string_view key, absl::string_view record,
                      std::string* position) {
    absl::StatusOr<absl::string_view> article = StoredArticleBytes(record, key);
    if (!article.ok()) return article.status();
    if (query_ != nullptr) {
      v1::Article parsed;
      if (!parsed.ParseFromArray(article->data(),
                                 static_cast<int>(article->size()))) {
        return absl::DataLossError(absl::StrCat("unparsable article at ", key));
      }
      if (!Matches(*query_, parsed)) {
        last_examined_ = std::move(*position);
        return absl::OkStatus();
      }
    }
    if (!page_.hits.empty() && page_bytes_ + article->size() > limit_.bytes) {
      full_ = true;
      return absl::OkStatus();
    }
    page_bytes_ += article->size();
    page_.hits.push_back({std::string(key), std::string(*article)});
    last_examined_ = std::move(*position);
    return absl::OkStatus();
  }

  KvSnapshot* const state_;
  const Cursors& cursors_;
  const size_t key_offset_;
  const ArticleQuery* const query_;  // when articles must be checked
  const PageLimits limit_;
  const size_t budget_;
  QueryPage page_;
  size_t examined_ = 0;
  size_t page_bytes_ = 0;
  bool more_ = true;
  bool full_ = false;  // of bytes
  std::string last_examined_;
};

}  // namespace

absl::StatusOr<QueryPage> KvArticleStore::Query(const ArticleQuery& query,
                                                absl::string_view start_after,
                                                PageLimits limit) {
  std::unique_ptr<KvSnapshot> state = engine_->GetSnapshot();
  const PositionRange range = SortRange(query);
  std::vector<std::optional<ArticleQuery::Equals>> postings;
  for (const ArticleQuery::Equals& condition : query.equals) {
    if (std::find(postings.begin(), postings.end(), condition) ==
        postings.end()) {
      postings.push_back(condition);
    }
  }
  if (postings.empty()) postings.push_back(std::nullopt);
  // A contradictory range on the other field matches nothing either.
  const bool empty =
      range.empty() ||
      (query.quality_min.has_value() && query.quality_max.has_value() &&
       *query.quality_min > *query.quality_max) ||
      (query.published_min.has_value() && query.published_max.has_value() &&
       *query.published_min > *query.published_max);
  Cursors cursors;
  if (!empty) {
    for (const auto& posting : postings) {
      cursors.push_back(std::make_unique<IndexCursor>(
          state.get(), PostingPrefix(query.sort_by, posting), range,
          query.descending));
    }
  }
  return PageReader(state.get(), &cursors, SortKeyWidth(query.sort_by), &query,
                    limit)
      .Read(start_after);
}

absl::StatusOr<QueryPage> KvArticleStore::ListReferencing(
    absl::string_view related_key, absl::string_view start_after,
    PageLimits limit) {
  std::unique_ptr<KvSnapshot> state = engine_->GetSnapshot();
  Cursors cursors;
  cursors.push_back(std::make_unique<IndexCursor>(
      state.get(), ReferencePrefix(related_key), PositionRange(),
      /*backward=*/false));
  return PageReader(state.get(), &cursors, /*key_offset=*/0,
                    /*query=*/nullptr, limit)
      .Read(start_after);
}

}  // namespace content
