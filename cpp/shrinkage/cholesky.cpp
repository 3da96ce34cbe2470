#include "shrinkage/cholesky.hpp"

#include <cmath>
#include <cstddef>

#include "shrinkage/blas.hpp"
#include "shrinkage/dispatch.hpp"

namespace shrinkage {

namespace {
constexpr int kUnblockedMax = 192;  // below this LAPACK's call and threading overhead dominate
}

SHRINKAGE_MULTIVERSION
int cholesky_unblocked(int n, double* a, int lda) {
  const std::size_t ld = static_cast<std::size_t>(lda);
  for (int j = 0; j < n; ++j) {
    double* __restrict aj = a + j * ld;
    // a[j:, j] -= sum_k a[j, k] * a[j:, k]  (contiguous axpys over the columns to the left)
    for (int k = 0; k < j; ++k) {
      const double* __restrict ak = a + k * ld;
      const double f = ak[j];
      for (int i = j; i < n; ++i) aj[i] -= f * ak[i];
    }
    const double pivot = aj[j];
    if (!(pivot > 0.0)) return j;
    const double d = std::sqrt(pivot);
    aj[j] = d;
    const double inv = 1.0 / d;
    for (int i = j + 1; i < n; ++i) aj[i] *= inv;
  }
  return -1;
}

int cholesky_factor(int n, double* a, int lda) {
  if (n <= kUnblockedMax) return cholesky_unblocked(n, a, lda);
  const int info = blas::potrf(n, a, lda);
  return info == 0 ? -1 : info - 1;
}

SHRINKAGE_MULTIVERSION
bool cholesky_append(int n, double* l, int lda, double* __restrict v, double d, double tiny) {
  const std::size_t ld = static_cast<std::size_t>(lda);
  double norm2 = 0;
  for (int j = 0; j < n; ++j) {  // v <- L^{-1} v, column oriented (contiguous axpys)
    const double* __restrict lj = l + j * ld;
    const double yj = v[j] / lj[j];
    v[j] = yj;
    norm2 += yj * yj;
    for (int i = j + 1; i < n; ++i) v[i] -= yj * lj[i];
  }
  const double pivot = d - norm2;
  if (!(pivot > tiny * d)) return false;
  for (int j = 0; j < n; ++j) l[n + j * ld] = v[j];
  l[n + n * ld] = std::sqrt(pivot);
  return true;
}

SHRINKAGE_MULTIVERSION
void cholesky_delete(int n, double* l, int lda, int k, double* __restrict v) {
  const std::size_t ld = static_cast<std::size_t>(lda);
  const int m = n - k - 1;  // size of the trailing block
  for (int i = 0; i < m; ++i) v[i] = l[k + 1 + i + k * ld];
  for (int j = 0; j < k; ++j) {  // columns left of k: drop row k
    double* lj = l + j * ld;
    for (int i = k; i < n - 1; ++i) lj[i] = lj[i + 1];
  }
  for (int j = k + 1; j < n; ++j) {  // trailing columns move up and left by one
    const double* src = l + j * ld;
    double* dst = l + (j - 1) * ld;
    for (int i = j; i < n; ++i) dst[i - 1] = src[i];
  }
  // Rank-one update L22 L22^T + v v^T of the trailing block, now at [k, k].
  for (int j = 0; j < m; ++j) {
    double* __restrict lj = l + (k + j) * ld + k;
    const double r = std::hypot(lj[j], v[j]);
    const double c = r / lj[j], s = v[j] / lj[j];
    lj[j] = r;
    for (int i = j + 1; i < m; ++i) {
      lj[i] = (lj[i] + s * v[i]) / c;
      v[i] = c * v[i] - s * lj[i];
    }
  }
}

SHRINKAGE_MULTIVERSION
void cholesky_solve(int n, const double* l, int ldl, double* b) {
  const std::size_t ld = static_cast<std::size_t>(ldl);
  for (int j = 0; j < n; ++j) {  // L y = b, column oriented
    const double* __restrict lj = l + j * ld;
    const double yj = b[j] / lj[j];
    b[j] = yj;
    for (int i = j + 1; i < n; ++i) b[i] -= yj * lj[i];
  }
  for (int j = n - 1; j >= 0; --j) {  // L^T x = y, dot products down the columns
    const double* __restrict lj = l + j * ld;
    double s = b[j];
    for (int i = j + 1; i < n; ++i) s -= lj[i] * b[i];
    b[j] = s / lj[j];
  }
}

}  // namespace shrinkage
