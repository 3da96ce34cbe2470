// The Cholesky kernels against LAPACK: the blocked factorisation, and the factor kept up to date
// by appends and deletions against one made afresh.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "shrinkage/cholesky.hpp"

using namespace shrinkage;

extern "C" void dpotrf_(const char* uplo, const int* n, double* a, const int* lda, int* info);

namespace {
// A = B^T B / k + I / 10, n x n, column-major (SPD, moderately conditioned).
std::vector<double> spd(int n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  const int k = n + 5;
  std::vector<double> b(std::size_t(k) * n), a(std::size_t(n) * n);
  for (double& v : b) v = normal(rng);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      double s = 0;
      for (int r = 0; r < k; ++r) s += b[std::size_t(i) * k + r] * b[std::size_t(j) * k + r];
      a[std::size_t(j) * n + i] = s / k + (i == j ? 0.1 : 0.0);
    }
  return a;
}
// The lower factor of A[idx, idx] by LAPACK.
std::vector<double> lapack_factor(const std::vector<double>& a, int n, const std::vector<int>& idx) {
  const int m = static_cast<int>(idx.size());
  std::vector<double> l(std::size_t(m) * m, 0.0);
  for (int j = 0; j < m; ++j)
    for (int i = j; i < m; ++i) l[std::size_t(j) * m + i] = a[std::size_t(idx[j]) * n + idx[i]];
  int info = 0;
  dpotrf_("L", &m, l.data(), &m, &info);
  REQUIRE(info == 0);
  return l;
}
double max_lower_difference(const double* l, int ldl, const std::vector<double>& ref, int m) {
  double d = 0;
  for (int j = 0; j < m; ++j)
    for (int i = j; i < m; ++i)
      d = std::max(d, std::fabs(l[std::size_t(j) * ldl + i] - ref[std::size_t(j) * m + i]));
  return d;
}
}  // namespace

TEST_CASE("blocked factorisation agrees with LAPACK dpotrf, across block sizes") {
  for (int n : {1, 5, 127, 128, 129, 300}) {
    auto a = spd(n, n);
    std::vector<int> all(n);
    for (int i = 0; i < n; ++i) all[i] = i;
    const auto ref = lapack_factor(a, n, all);
    REQUIRE(cholesky_factor(n, a.data(), n) == -1);
    CHECK(max_lower_difference(a.data(), n, ref, n) < 1e-12);
  }
}

TEST_CASE("a non-positive pivot is reported at its column") {
  std::vector<double> a = {1, 2, 0, 2, 4, 0, 0, 0, 1};  // rank-deficient leading 2 x 2
  CHECK(cholesky_factor(3, a.data(), 3) == 1);
}

TEST_CASE("appends and deletions keep the factor of the current subset") {
  const int n = 80, ld = 80;  // room for every append (about 50 features in the end)
  const auto a = spd(n, 11);
  std::vector<double> l(std::size_t(ld) * ld, 0.0);
  std::vector<int> subset;
  std::vector<double> work(n);
  std::mt19937 rng(5);
  for (int round = 0; round < 30; ++round) {
    // Append 1 or 3 features not in the subset: their rows of A into the factor's storage.
    const int k = round % 2 ? 1 : 3;
    std::vector<int> fresh;
    while (static_cast<int>(fresh.size()) < k) {
      const int f = static_cast<int>(rng() % n);
      if (std::find(subset.begin(), subset.end(), f) == subset.end() &&
          std::find(fresh.begin(), fresh.end(), f) == fresh.end())
        fresh.push_back(f);
    }
    const int m = static_cast<int>(subset.size());
    subset.insert(subset.end(), fresh.begin(), fresh.end());
    for (int r = 0; r < m + k; ++r)
      for (int i = std::max(r, m); i < m + k; ++i)
        l[std::size_t(r) * ld + i] = a[std::size_t(subset[r]) * n + subset[i]];
    REQUIRE(cholesky_append(m, k, l.data(), ld, 1e-12));
    CHECK(max_lower_difference(l.data(), ld, lapack_factor(a, n, subset), m + k) < 1e-11);
    if (round % 3 == 2 && subset.size() > 2) {  // delete one from the middle
      const int at = static_cast<int>(subset.size()) / 2;
      cholesky_delete(static_cast<int>(subset.size()), l.data(), ld, at, work.data());
      subset.erase(subset.begin() + at);
      CHECK(max_lower_difference(l.data(), ld, lapack_factor(a, n, subset),
                                 static_cast<int>(subset.size())) < 1e-11);
    }
  }
}

TEST_CASE("an append that is numerically dependent is refused") {
  // Features 0 and 1 identical: the second's pivot vanishes.
  std::vector<double> l = {2, 2, 0, 2};  // A = [[2, 2], [2, 2]]; L(0,0) set below
  l[0] = std::sqrt(2.0);
  l[1] = 2.0;  // B^T
  l[3] = 2.0;  // C
  CHECK(!cholesky_append(1, 1, l.data(), 2, 1e-12));
}

TEST_CASE("cholesky_solve solves L L^T x = b") {
  const int n = 50;
  auto a = spd(n, 3);
  const auto a0 = a;
  REQUIRE(cholesky_factor(n, a.data(), n) == -1);
  std::vector<double> x(n);
  for (int i = 0; i < n; ++i) x[i] = std::sin(i + 1.0);
  std::vector<double> b(n, 0.0);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) b[i] += a0[std::size_t(j) * n + i] * x[j];
  cholesky_solve(n, a.data(), n, b.data());
  for (int i = 0; i < n; ++i) CHECK(b[i] == doctest::Approx(x[i]).epsilon(1e-10));
}
