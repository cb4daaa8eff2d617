#ifndef CONTENT_STORAGE_ARTICLE_LAYOUT_H_
#define CONTENT_STORAGE_ARTICLE_LAYOUT_H_

// How KvArticleStore lays out its records in the engine; private to
// storage/.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "content/v1/article.pb.h"
#include "storage/engine.h"
#include "storage/stored_article.pb.h"

namespace content {

// Articles (StoredArticle) under "a:" + canonical URL; the change feed
// (StoredChange) under "c:" + revision + sequence in the revision; aliases
// under "l:" + canonical alias, holding the canonical URL of their article;
// store metadata under "m:" (the engine's sequence included); index entries
// under "r:" and "x:" (see article_index.h). The prefixes sort in that order.
inline constexpr absl::string_view kArticlePrefix = "a:";
inline constexpr absl::string_view kChangePrefix = "c:";
inline constexpr absl::string_view kAliasPrefix = "l:";
inline constexpr char kArticleEnd[] = "a;";  // ';' follows ':'
inline constexpr char kChangeEnd[] = "c;";
inline constexpr char kAliasEnd[] = "l;";
// The revision is the engine's sequence, under kSequenceKey (engine.h).
inline constexpr char kArticleCountKey[] = "m:article_count";
// The oldest revision the change feed still holds.
inline constexpr char kOldestChangeKey[] = "m:oldest_change";
// The layout's version; a database without it predates the indexes.
inline constexpr char kFormatKey[] = "m:format";
inline constexpr char kFormat[] = "2";

std::string ArticleKey(absl::string_view key);
std::string AliasKey(absl::string_view alias);
// The first change-feed key of `revision`; `sequence` orders the changes of
// one revision.
std::string ChangeKey(int64_t revision, uint32_t sequence = 0);
// The revision of the change-feed key `key` (which starts with "c:").
int64_t ChangeRevision(absl::string_view key);
// A serialized StoredChange holding `stored_bytes`, a serialized
// StoredArticle, without parsing it, and `previous` if set.
std::string ChangeRecord(bool deleted, absl::string_view key,
                         absl::string_view stored_bytes,
                         const std::optional<v1::Article>& previous);

// The StoredArticle in `bytes`, or DATA_LOSS naming `key`.
absl::StatusOr<storage::StoredArticle> ParseStored(absl::string_view bytes,
                                                   absl::string_view key);

// The serialized Article inside the serialized StoredArticle `bytes` (its
// field 1): a view into `bytes`, found without parsing the article;
// DATA_LOSS naming `key` if `bytes` is not a StoredArticle.
absl::StatusOr<absl::string_view> StoredArticleBytes(absl::string_view bytes,
                                                     absl::string_view key);

}  // namespace content

#endif  // CONTENT_STORAGE_ARTICLE_LAYOUT_H_
