#ifndef CONTENT_STORAGE_ARTICLE_INDEX_H_
#define CONTENT_STORAGE_ARTICLE_INDEX_H_

// The secondary indexes of RocksDbArticleStore; private to storage/.
//
// Every index entry is a key with an empty value, written in the same
// WriteBatch as its article:
//   "x:" sort field, indexed field, varint length, value, sort key, article key
//     one posting per (sort field, indexed field value) pair, plus "all
//     articles" postings; sort keys have a fixed width per sort field, so an
//     entry's position (sort key + article key) orders a posting totally.
//   "r:" varint length, related key, article key
//     the reverse index of `related`: who points at a URL.

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "storage/article_query.h"
#include "storage/stored_article.pb.h"

namespace content {

inline constexpr absl::string_view kPostingPrefix = "x:";
inline constexpr absl::string_view kReferencePrefix = "r:";

// Every index key of the article stored under `key`, sorted, no duplicates.
std::vector<std::string> IndexKeys(absl::string_view key,
                                   const storage::StoredArticle& stored);

// The prefix of the posting of `condition` ordered by `sort_by`; without a
// condition, of the posting of all articles.
std::string PostingPrefix(ArticleQuery::SortBy sort_by,
                          const std::optional<ArticleQuery::Equals>& condition);

// The prefix of the entries of the articles whose `related` list holds
// `related_key`.
std::string ReferencePrefix(absl::string_view related_key);

// Entry positions (the part after a posting's prefix) a query's range on its
// sort field allows: from `lower` (inclusive) to `upper` (exclusive;
// unbounded when unset).
struct PositionRange {
  std::string lower;
  std::optional<std::string> upper;
  bool empty() const { return upper.has_value() && *upper <= lower; }
};
PositionRange SortRange(const ArticleQuery& query);

// Width of the sort key at the front of a posting entry's position.
size_t SortKeyWidth(ArticleQuery::SortBy sort_by);

// The smallest string greater than every string that starts with `prefix`,
// or "" if there is none.
std::string PrefixSuccessor(absl::string_view prefix);

}  // namespace content

#endif  // CONTENT_STORAGE_ARTICLE_INDEX_H_
