// X^T X by workers of single-threaded BLAS calls: every row block counted once whatever the
// number of workers, both orders and precisions, and an interruption seen between blocks.
#include <doctest/doctest.h>

#include <atomic>
#include <random>
#include <vector>

#include "shrinkage/products.hpp"

using namespace shrinkage;

namespace {
// Entry e (column-major) of X^T X.
template <class T>
double gram_entry(const std::vector<T>& x, int n, int p, bool fortran, std::size_t e) {
  const int j = static_cast<int>(e % p), k = static_cast<int>(e / p);
  const auto at = [&](int i, int c) {
    return double(fortran ? x[std::size_t(c) * n + i] : x[std::size_t(i) * p + c]);
  };
  double s = 0;
  for (int i = 0; i < n; ++i) s += at(i, j) * at(i, k);
  return s;
}
}  // namespace

TEST_CASE_TEMPLATE("dense_gram by workers equals X^T X", T, double, float) {
  const int n = 1030, p = 1000;  // row blocks of 1 000 (1e9 multiply-adds): two
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal;
  std::vector<T> x(std::size_t(n) * p);
  for (T& v : x) v = static_cast<T>(normal(rng));
  for (const bool fortran : {true, false})
    for (const int workers : {1, 3}) {
      std::vector<double> g(std::size_t(p) * p, -1.0);
      REQUIRE(dense_gram(x.data(), n, p, fortran, g.data(), {}, workers));
      for (std::size_t e = 0; e < g.size(); e += 997)
        CHECK(g[e] == doctest::Approx(gram_entry(x, n, p, fortran, e)).epsilon(1e-12).scale(n));
    }
}

TEST_CASE("dense_gram stops between blocks when interrupted") {
  const int n = 3000, p = 1000;
  std::vector<double> x(std::size_t(n) * p, 1.0), g(std::size_t(p) * p);
  std::atomic<int> polls{0};
  const Interrupted stop_now = [&] { return ++polls >= 1; };
  CHECK_FALSE(dense_gram(x.data(), n, p, true, g.data(), stop_now, 2));
  CHECK(polls >= 1);
}
