// Queries of RocksDbArticleStore over its secondary indexes.

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "storage/article_index.h"
#include "storage/rocksdb_article_store.h"
#include "storage/rocksdb_layout.h"

namespace content {

namespace {

// Walks the entries of one posting (or reference list) within a range of
// positions, forward or backward, counting the entries it lands on.
class IndexCursor {
 public:
  IndexCursor(rocksdb::DB* db, const rocksdb::Snapshot* snapshot,
              std::string prefix, const PositionRange& range, bool backward)
      : prefix_(std::move(prefix)),
        lower_(prefix_ + range.lower),
        upper_(range.upper.has_value() ? prefix_ + *range.upper
                                       : PrefixSuccessor(prefix_)),
        lower_slice_(lower_),
        upper_slice_(upper_),
        backward_(backward) {
    rocksdb::ReadOptions read_options;
    read_options.snapshot = snapshot;
    read_options.iterate_lower_bound = &lower_slice_;
    read_options.iterate_upper_bound = &upper_slice_;
    it_.reset(db->NewIterator(read_options));
  }

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
    } else if (position.empty() || target >= upper_) {
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
    return absl::string_view(it_->key().data(), it_->key().size())
        .substr(prefix_.size());
  }
  // Whether position `a` comes before `b` in this cursor's direction.
  bool Before(absl::string_view a, absl::string_view b) const {
    return backward_ ? a > b : a < b;
  }
  rocksdb::Status status() const { return it_->status(); }
  int64_t entries_read() const { return entries_read_; }

 private:
  void Count() {
    if (it_->Valid()) ++entries_read_;
  }

  const std::string prefix_;
  const std::string lower_;
  const std::string upper_;
  const rocksdb::Slice lower_slice_;
  const rocksdb::Slice upper_slice_;
  const bool backward_;
  std::unique_ptr<rocksdb::Iterator> it_;
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

// The store revision as of `read_options`' snapshot.
absl::StatusOr<int64_t> ReadRevision(rocksdb::DB* db,
                                     const rocksdb::ReadOptions& read_options) {
  std::string bytes;
  const rocksdb::Status status = db->Get(read_options, kRevisionKey, &bytes);
  if (status.IsNotFound()) return 0;
  if (!status.ok()) return FromRocks(status, "reading the revision");
  int64_t revision = 0;
  if (!absl::SimpleAtoi(bytes, &revision)) {
    return absl::DataLossError(absl::StrCat("unparsable ", kRevisionKey));
  }
  return revision;
}

// The page within `limit` of the articles at the positions all `cursors`
// hold (after `start_after`), whose key is the position from `key_offset`
// on, and which `query` (if any) matches; everything read from `snapshot`.
// The articles stay serialized, cut out of their stored values.
absl::StatusOr<QueryPage> ReadHits(rocksdb::DB* db,
                                   const rocksdb::Snapshot* snapshot,
                                   const Cursors& cursors, size_t key_offset,
                                   const ArticleQuery* query,
                                   absl::string_view start_after,
                                   PageLimits limit) {
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot;
  QueryPage page;
  absl::StatusOr<int64_t> revision = ReadRevision(db, read_options);
  if (!revision.ok()) return revision.status();
  page.revision = *revision;
  if (cursors.empty() || limit.articles == 0) return page;

  for (const auto& cursor : cursors) cursor->Seek(start_after);
  if (!start_after.empty() && cursors[0]->Valid() &&
      cursors[0]->position() == start_after) {
    cursors[0]->Next();
  }
  // The postings answer equalities and the sort field's range; a range on
  // the other field is checked on the articles (parsed only then). Bound
  // the entries examined per page so a page that matches little still
  // returns soon.
  const bool check = query != nullptr && HasRangeOffTheSortField(*query);
  const size_t budget = std::max<size_t>(1000, 16 * limit.articles);
  size_t examined = 0;
  size_t page_bytes = 0;
  bool more = true;
  bool full = false;  // of bytes
  std::string last_examined;
  std::vector<std::string> positions;
  std::vector<std::string> keys;
  while (more && !full && page.hits.size() < limit.articles &&
         examined < budget) {
    positions.clear();
    keys.clear();
    while (positions.size() < limit.articles - page.hits.size()) {
      if (!Align(cursors)) {
        more = false;
        break;
      }
      positions.emplace_back(cursors[0]->position());
      keys.push_back(ArticleKey(positions.back().substr(key_offset)));
      cursors[0]->Next();
    }
    for (const auto& cursor : cursors) {
      if (!cursor->status().ok()) {
        return FromRocks(cursor->status(), "reading an index");
      }
    }
    if (positions.empty()) break;
    examined += positions.size();

    const PinnedValues found = MultiGetPinned(db, read_options, keys);
    for (size_t i = 0; i < keys.size(); ++i) {
      const absl::string_view key =
          absl::string_view(keys[i]).substr(kArticlePrefix.size());
      if (found.statuses[i].IsNotFound()) {
        return absl::DataLossError(absl::StrCat("an index entry names ", key,
                                                ", which has no article"));
      }
      if (!found.statuses[i].ok()) {
        return FromRocks(found.statuses[i], "reading articles");
      }
      absl::StatusOr<absl::string_view> article = StoredArticleBytes(
          absl::string_view(found.values[i].data(), found.values[i].size()),
          key);
      if (!article.ok()) return article.status();
      if (check) {
        v1::Article parsed;
        if (!parsed.ParseFromArray(article->data(),
                                   static_cast<int>(article->size()))) {
          return absl::DataLossError(
              absl::StrCat("unparsable article at ", key));
        }
        if (!Matches(*query, parsed)) {
          last_examined = std::move(positions[i]);
          continue;
        }
      }
      if (!page.hits.empty() && page_bytes + article->size() > limit.bytes) {
        full = true;
        break;
      }
      page_bytes += article->size();
      page.hits.push_back({std::string(key), std::string(*article)});
      last_examined = std::move(positions[i]);
    }
  }
  // A full page may be the last one: look for one more candidate.
  if (more && !full && page.hits.size() == limit.articles && !Align(cursors)) {
    more = false;
  }
  // Ended by bytes: the rest of the positions read follow.
  if (more || full) page.next_start = std::move(last_examined);
  for (const auto& cursor : cursors) {
    page.index_entries_read += cursor->entries_read();
  }
  return page;
}

}  // namespace

absl::StatusOr<QueryPage> RocksDbArticleStore::Query(
    const ArticleQuery& query, absl::string_view start_after,
    PageLimits limit) {
  rocksdb::ManagedSnapshot snapshot(db_.get());
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
          db_.get(), snapshot.snapshot(), PostingPrefix(query.sort_by, posting),
          range, query.descending));
    }
  }
  return ReadHits(db_.get(), snapshot.snapshot(), cursors,
                  SortKeyWidth(query.sort_by), &query, start_after, limit);
}

absl::StatusOr<QueryPage> RocksDbArticleStore::ListReferencing(
    absl::string_view related_key, absl::string_view start_after,
    PageLimits limit) {
  rocksdb::ManagedSnapshot snapshot(db_.get());
  Cursors cursors;
  cursors.push_back(std::make_unique<IndexCursor>(
      db_.get(), snapshot.snapshot(), ReferencePrefix(related_key),
      PositionRange(), /*backward=*/false));
  return ReadHits(db_.get(), snapshot.snapshot(), cursors, /*key_offset=*/0,
                  /*query=*/nullptr, start_after, limit);
}

}  // namespace content
