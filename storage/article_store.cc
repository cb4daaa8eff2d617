#include "storage/article_store.h"

#include <utility>

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

absl::StatusOr<std::vector<std::optional<std::string>>>
ArticleStore::MultiGetSerialized(absl::Span<const std::string> keys) {
  absl::StatusOr<std::vector<std::optional<v1::Article>>> found =
      MultiGet(keys);
  if (!found.ok()) return found.status();
  std::vector<std::optional<std::string>> serialized(found->size());
  for (size_t i = 0; i < found->size(); ++i) {
    if ((*found)[i].has_value()) {
      serialized[i] = (*found)[i]->SerializeAsString();
    }
  }
  return serialized;
}

absl::StatusOr<MutationResult> ArticleStore::WriteOne(
    ArticleMutation mutation) {
  std::vector<ArticleMutation> mutations;
  mutations.push_back(std::move(mutation));
  absl::StatusOr<std::vector<MutationResult>> results =
      Write(std::move(mutations));
  if (!results.ok()) return results.status();
  return std::move(results->front());
}

absl::StatusOr<std::string> ArticleStore::GetSerialized(
    const std::string& key) {
  absl::StatusOr<std::vector<std::optional<std::string>>> found =
      MultiGetSerialized(absl::MakeConstSpan(&key, 1));
  if (!found.ok()) return found.status();
  if (!found->front().has_value()) {
    return absl::NotFoundError(absl::StrCat("no article for ", key));
  }
  return *std::move(found->front());
}

}  // namespace content
