#include "bench/bench_corpus.h"

namespace content::bench {

v1::Article BenchCorpus::Article(uint64_t index) const {
  v1::Article article = generator_.Article(index);
  if (shape_ == ArticleShape::kGenerated) return article;
  article.clear_body();
  article.clear_extra();
  if (article.images_size() > 1)
    article.mutable_images()->DeleteSubrange(1, article.images_size() - 1);
  if (article.related_size() > 2)
    article.mutable_related()->DeleteSubrange(2, article.related_size() - 2);
  for (v1::RelatedItem& related : *article.mutable_related()) {
    if (related.images_size() > 1)
      related.mutable_images()->DeleteSubrange(1, related.images_size() - 1);
  }
  return article;
}

std::vector<std::string> BenchCorpus::Urls(uint64_t count) const {
  std::vector<std::string> urls;
  urls.reserve(count);
  // webUrl does not depend on the shape.
  for (uint64_t i = 0; i < count; ++i) {
    urls.push_back(generator_.Article(i).web_url());
  }
  return urls;
}

}  // namespace content::bench
