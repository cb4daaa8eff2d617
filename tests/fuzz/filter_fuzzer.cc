// Fuzzes the List filter parser: any input is accepted or refused with
// INVALID_ARGUMENT naming a position, never a crash; and an accepted filter
// stays accepted, with exactly one more condition, behind "category = x AND".

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "service/list_query.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string filter(reinterpret_cast<const char*>(data), size);
  const absl::StatusOr<content::ArticleQuery> query =
      content::ParseFilter(filter);
  if (!query.ok()) {
    if (query.status().code() != absl::StatusCode::kInvalidArgument) {
      std::abort();
    }
    return 0;
  }
  content::v1::Article article;
  article.add_topics("AI");
  (void)content::Matches(*query, article);
  if (filter.find_first_not_of(" \t\n\v\f\r") == std::string::npos) return 0;
  const absl::StatusOr<content::ArticleQuery> joined =
      content::ParseFilter(absl::StrCat("category = x AND ", filter));
  if (filter.size() + 17 <= 8192 &&
      (!joined.ok() || joined->equals.size() != query->equals.size() + 1)) {
    std::abort();
  }
  return 0;
}
