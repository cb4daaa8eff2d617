#ifndef CONTENT_DOCUMENT_CORPUS_GENERATOR_H_
#define CONTENT_DOCUMENT_CORPUS_GENERATOR_H_

#include <cstdint>

#include "absl/types/span.h"
#include "content/v1/article.pb.h"

namespace content {

// Synthetic articles in the seed document's shape, for tests and benchmarks:
// 0-5 related items, 0-4 images, 1-4 topics from a vocabulary of 40,
// providers from a pool of 24, titles in Latin, Greek, Cyrillic, CJK and
// Arabic script, publication times spread over 2010-2025, about a third
// with a Markdown body of up to 20 KB, about a fifth with unknown keys
// (nested ones too) in `extra`, some originalUrls carrying tracking
// parameters and some AMP URLs.
//
// Article(i) depends only on the seed and i, so any slice of a corpus can be
// made, in any order, on any thread. Thread-safe.
class CorpusGenerator {
 public:
  explicit CorpusGenerator(uint64_t seed) : seed_(seed) {}

  // The index-th article of the corpus; its webUrl is unique to the index.
  v1::Article Article(uint64_t index) const;

  // The vocabulary topics are drawn from.
  static absl::Span<const char* const> Topics();

 private:
  const uint64_t seed_;
};

}  // namespace content

#endif  // CONTENT_DOCUMENT_CORPUS_GENERATOR_H_
