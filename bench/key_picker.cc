#include "bench/key_picker.h"

#include <algorithm>
#include <cmath>

namespace content::bench {
namespace {

constexpr double kTheta = 0.99;

// zeta(n, theta) = sum of 1 / i^theta for i = 1..n.
double Zeta(uint64_t n) {
  double sum = 0;
  for (uint64_t i = 1; i <= n; ++i) sum += 1 / std::pow(i, kTheta);
  return sum;
}

}  // namespace

KeyPicker::KeyPicker(uint64_t n, KeyDistribution distribution)
    : n_(n), distribution_(distribution) {
  if (distribution_ != KeyDistribution::kZipfian) return;
  zeta_n_ = Zeta(n_);
  alpha_ = 1 / (1 - kTheta);
  eta_ = (1 - std::pow(2.0 / n_, 1 - kTheta)) / (1 - Zeta(2) / zeta_n_);
}

uint64_t KeyPicker::Next() {
  std::lock_guard<std::mutex> lock(mu_);
  if (distribution_ == KeyDistribution::kUniform) return random_() % n_;
  const double u = std::uniform_real_distribution<double>(0, 1)(random_);
  const double uz = u * zeta_n_;
  if (uz < 1) return 0;
  if (uz < 1 + std::pow(0.5, kTheta)) return std::min<uint64_t>(1, n_ - 1);
  const auto rank =
      static_cast<uint64_t>(n_ * std::pow(eta_ * u - eta_ + 1, alpha_));
  return std::min(rank, n_ - 1);
}

}  // namespace content::bench
