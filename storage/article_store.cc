#include "storage/article_store.h"

#include "absl/strings/str_cat.h"

namespace content {

absl::StatusOr<v1::Article> ArticleStore::Get(const std::string& key) {
  absl::StatusOr<std::vector<std::optional<v1::Article>>> found =
      MultiGet(absl::MakeConstSpan(&key, 1));
  if (!found.ok()) return found.status();
  if (!found->front().has_value()) {
    return absl::NotFoundError(absl::StrCat("no article for ", key));
  }
  return std::move(*found->front());
}

absl::StatusOr<std::string> ArticleStore::GetSerialized(
    const std::string& key) {
  absl::StatusOr<v1::Article> article = Get(key);
  if (!article.ok()) return article.status();
  return article->SerializeAsString();
}

}  // namespace content
