#ifndef CONTENT_SERVICE_LIST_QUERY_H_
#define CONTENT_SERVICE_LIST_QUERY_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/article_query.h"

namespace content {

// Parses the `filter` of ListArticles and WatchArticles, a subset of AIP-160:
// comparisons joined by AND.
//
//   filter     := comparison { "AND" comparison }
//   comparison := field operator value
//   field      := category | type | provider.domain     with =
//               | topics                                with : (has)
//               | published                             with = (true|false)
//               | publishedDateTime                     with = < <= > >=
//               | quality                               with = < <= > >=
//   value      := "quoted string" (\" and \\ escape) | bare word
//
// Field names may be written in snake_case too (published_date_time,
// provider_domain is not a field: it is provider.domain). Times are RFC 3339
// with any offset; qualities are 32-bit integers. Strict bounds become
// inclusive ones (a time plus a nanosecond, a quality plus one).
//
// Errors are INVALID_ARGUMENT whose message starts with the 1-based
// character position of the problem ("at character 14: ..."). Filters
// longer than 8 KiB are refused whole.
absl::StatusOr<ArticleQuery> ParseFilter(absl::string_view filter);

// Applies `order_by` (AIP-132) to `query`: "" or `publishedDateTime desc`
// (the default), `publishedDateTime [asc]`, `quality desc`, `quality [asc]`.
// INVALID_ARGUMENT for anything else.
absl::Status ParseOrderBy(absl::string_view order_by, ArticleQuery* query);

}  // namespace content

#endif  // CONTENT_SERVICE_LIST_QUERY_H_
