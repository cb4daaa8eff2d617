#include "bench/key_picker.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace content::bench {
namespace {

constexpr int kDraws = 200000;

// How often each index in [0, n) was drawn, as fractions of kDraws.
std::vector<double> Frequencies(uint64_t n, KeyDistribution distribution) {
  KeyPicker picker(n, distribution);
  std::vector<double> counts(n);
  for (int i = 0; i < kDraws; ++i) {
    const uint64_t index = picker.Next();
    EXPECT_LT(index, n);
    if (index < n) counts[index] += 1.0 / kDraws;
  }
  return counts;
}

TEST(KeyPickerTest, UniformDrawsEveryIndexAlike) {
  for (double frequency : Frequencies(10, KeyDistribution::kUniform)) {
    EXPECT_NEAR(frequency, 0.1, 0.01);
  }
}

TEST(KeyPickerTest, ZipfianDrawsRankKInProportionToOneOverKToTheTheta) {
  constexpr uint64_t kItems = 1000;
  double zeta = 0;
  for (uint64_t i = 1; i <= kItems; ++i) zeta += 1 / std::pow(i, 0.99);
  const std::vector<double> frequencies =
      Frequencies(kItems, KeyDistribution::kZipfian);
  // P(rank k) = 1 / ((k + 1)^0.99 * zeta(n)). Gray et al.'s method is exact
  // for the first two ranks and approximate beyond; 10% is its error and
  // the sampling noise together.
  for (uint64_t rank : {0, 1, 9, 99}) {
    const double expected = 1 / (std::pow(rank + 1, 0.99) * zeta);
    EXPECT_NEAR(frequencies[rank], expected, expected * 0.1) << "rank " << rank;
  }
  // The last ranks are still drawn.
  double tail = 0;
  for (uint64_t rank = kItems / 2; rank < kItems; ++rank) {
    tail += frequencies[rank];
  }
  EXPECT_GT(tail, 0.05);
}

TEST(KeyPickerTest, ASingleItemIsAlwaysDrawn) {
  for (KeyDistribution distribution :
       {KeyDistribution::kUniform, KeyDistribution::kZipfian}) {
    KeyPicker picker(1, distribution);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(picker.Next(), 0u);
  }
}

}  // namespace
}  // namespace content::bench
