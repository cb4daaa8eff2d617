#ifndef CONTENT_SERVICE_ARTICLE_VALIDATOR_H_
#define CONTENT_SERVICE_ARTICLE_VALIDATOR_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "content/v1/article.pb.h"
#include "service/rich_status.h"
#include "storage/article_store.h"
#include "url/canonical_url.h"

namespace content {

// Size limits on one article. Generous for real articles (the seed is 3 KB),
// tight enough that one request cannot make the server hold much memory.
struct ArticleLimits {
  size_t max_url_bytes = 2048;
  size_t max_text_bytes = 8192;  // category, title, excerpt, type, names
  size_t max_body_bytes = 1 << 20;
  size_t max_secured_bytes = 64 << 10;
  size_t max_extra_bytes = 64 << 10;  // serialized size of `extra`
  int max_topics = 100;
  int max_images = 100;
  int max_related = 100;
};

// Checks one URL field: `required` says whether empty is an error. Appends
// a violation naming `field` if the URL is too long or not http(s). Returns
// the URL's canonical form, or "" if it is empty or invalid.
std::string ValidateUrl(absl::string_view field, const std::string& url,
                        bool required, const UrlCanonicalizer& canonicalizer,
                        const ArticleLimits& limits,
                        std::vector<FieldViolation>* violations);

// The store keys of a valid article, found while validating it.
struct ArticleKeys {
  std::string key;  // canonical webUrl
  // Canonical originalUrl and AMP URLs, without duplicates or `key`.
  std::vector<std::string> alias_keys;
  // Canonical web URLs of the related items, sorted, without duplicates.
  std::vector<std::string> related_keys;
};

// Returns every problem with `article`, each naming its field under `prefix`
// (e.g. "article.related[2].web_url"); empty when the article may be stored,
// and then `*keys` holds its keys. Output-only fields are not checked: the
// store overwrites them.
std::vector<FieldViolation> ValidateArticle(
    const v1::Article& article, absl::string_view prefix,
    const UrlCanonicalizer& canonicalizer, const ArticleLimits& limits,
    ArticleKeys* keys);

// The upsert of a validated `article` under the keys its validation found.
// Fields of a newer schema are dropped: they would be stored unchecked and
// change the etag without changing anything this server can show.
ArticleMutation PutMutation(v1::Article article, ArticleKeys keys);

}  // namespace content

#endif  // CONTENT_SERVICE_ARTICLE_VALIDATOR_H_
