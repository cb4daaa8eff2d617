#ifndef CONTENT_BENCH_KEY_PICKER_H_
#define CONTENT_BENCH_KEY_PICKER_H_

#include <cstdint>
#include <mutex>
#include <random>

namespace content::bench {

// How a benchmark draws keys from a corpus of n items.
enum class KeyDistribution {
  kUniform,
  // Zipfian with exponent theta = 0.99, YCSB's default request distribution
  // (Cooper et al., "Benchmarking Cloud Serving Systems with YCSB", SoCC
  // 2010): item k (0-based rank) is drawn with probability proportional to
  // 1 / (k + 1)^0.99, so a few items take most requests.
  kZipfian,
};

// Draws indexes in [0, n) from `distribution`, the same sequence in every
// run. Zipfian draws use the rejection-free method of Gray et al., "Quickly
// Generating Billion-Record Synthetic Databases" (SIGMOD 1994), which YCSB's
// ZipfianGenerator also uses; rank k is item k, and since a corpus item's
// index says nothing about its key's place in the key order, hot items are
// spread over the key space. Construction costs O(n) (zeta(n)). Thread-safe.
class KeyPicker {
 public:
  // `n` must be at least 1.
  KeyPicker(uint64_t n, KeyDistribution distribution);

  uint64_t Next();

 private:
  const uint64_t n_;
  const KeyDistribution distribution_;
  // Zipfian constants: zeta(n, theta), alpha = 1 / (1 - theta), eta.
  double zeta_n_ = 0;
  double alpha_ = 0;
  double eta_ = 0;
  std::mutex mu_;
  std::mt19937_64 random_{7};
};

}  // namespace content::bench

#endif  // CONTENT_BENCH_KEY_PICKER_H_
