#ifndef CONTENT_STORAGE_ARTICLE_QUERY_H_
#define CONTENT_STORAGE_ARTICLE_QUERY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "content/v1/article.pb.h"

namespace content {

// Which articles a listing returns and in what order: a conjunction of
// conditions over the indexed fields. Stores answer it from secondary
// indexes (see ArticleStore::Query).
struct ArticleQuery {
  // Fields with an equality index.
  enum class Field { kCategory, kType, kTopic, kProviderDomain, kPublished };
  // `field` equals `value`; for kTopic, one of the topics does; for
  // kPublished the value is "true" or "false".
  struct Equals {
    Field field;
    std::string value;
    bool operator==(const Equals& other) const {
      return field == other.field && value == other.value;
    }
  };
  enum class SortBy { kPublishedTime, kQuality };

  std::vector<Equals> equals;
  // Inclusive bounds; unset is unbounded. An article without a published
  // time matches no bound on it.
  std::optional<absl::Time> published_min;
  std::optional<absl::Time> published_max;
  std::optional<int32_t> quality_min;
  std::optional<int32_t> quality_max;
  // Articles that sort equal are ordered by key, in the same direction.
  SortBy sort_by = SortBy::kPublishedTime;
  bool descending = true;
};

// The published time of `article`; absl::InfinitePast() when it has none,
// so such articles sort first (last in descending order).
absl::Time PublishedTime(const v1::Article& article);

// Whether `article` satisfies every condition of `query` (its order aside).
bool Matches(const ArticleQuery& query, const v1::Article& article);

// The fields of `article` that Matches reads, and no others: enough to
// evaluate any query on it later.
v1::Article FilterFields(const v1::Article& article);

// Whether `query` has a range on the field it does not sort by: a condition
// an index ordered by the sort field cannot answer by itself.
bool HasRangeOffTheSortField(const ArticleQuery& query);

}  // namespace content

#endif  // CONTENT_STORAGE_ARTICLE_QUERY_H_
