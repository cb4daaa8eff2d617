#ifndef CONTENT_BENCH_BENCH_CORPUS_H_
#define CONTENT_BENCH_BENCH_CORPUS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "content/v1/article.pb.h"
#include "document/corpus_generator.h"

namespace content::bench {

// The two article sizes the benchmarks compare peers at.
enum class ArticleShape {
  // CorpusGenerator's articles as they are: about 6.3 KB serialized (9 KB
  // as documents) on average, a third with a Markdown body.
  kGenerated,
  // The same articles cut to the seed document's shape and size (about
  // 2.1 KB serialized): no body, no unknown keys, at most one image and two
  // related items (each with at most one image).
  kSeedSized,
};

// The corpus every scenario and peer of one benchmark run uses: article i
// (and its webUrl) depends only on i and the shape. Thread-safe.
class BenchCorpus {
 public:
  explicit BenchCorpus(ArticleShape shape) : shape_(shape) {}

  // Article `index` (any index; its webUrl is unique to it).
  v1::Article Article(uint64_t index) const;
  // The webUrls of articles 0 .. count - 1, in index order.
  std::vector<std::string> Urls(uint64_t count) const;

 private:
  const ArticleShape shape_;
  const CorpusGenerator generator_{42};
};

}  // namespace content::bench

#endif  // CONTENT_BENCH_BENCH_CORPUS_H_
