#include "shrinkage/cholesky.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "shrinkage/blas.hpp"
#include "shrinkage/dispatch.hpp"

namespace shrinkage {

namespace {

// Block size of the right-looking factorisation: the diagonal block must be large enough for
// the trailing syrk to run at speed and small enough that its unblocked factorisation stays
// cheap; 128 was the best or tied in a sweep of 64 to 256 against LAPACK's dpotrf.
constexpr int kBlock = 128;

template <class T>
inline int unblocked(int n, T* a, int lda) {
  const std::size_t ld = static_cast<std::size_t>(lda);
  for (int j = 0; j < n; ++j) {
    T* __restrict aj = a + j * ld;
    // a[j:, j] -= sum_k a[j, k] * a[j:, k]  (contiguous axpys over the columns to the left)
    for (int k = 0; k < j; ++k) {
      const T* __restrict ak = a + k * ld;
      const T f = ak[j];
      for (int i = j; i < n; ++i) aj[i] -= f * ak[i];
    }
    const T pivot = aj[j];
    if (!(pivot > T(0))) return j;
    const T d = std::sqrt(pivot);
    aj[j] = d;
    const T inv = T(1) / d;
    for (int i = j + 1; i < n; ++i) aj[i] *= inv;
  }
  return -1;
}

template <class T>
int blocked(int n, T* a, int lda, const Interrupted& interrupted) {
  const std::size_t ld = static_cast<std::size_t>(lda);
  for (int k = 0; k < n; k += kBlock) {
    if (interrupted && interrupted()) return kInterrupted;
    const int kb = std::min(kBlock, n - k), rest = n - k - kb;
    T* akk = a + k * ld + k;
    const int info = cholesky_unblocked(kb, akk, lda);
    if (info >= 0) return k + info;
    if (rest == 0) break;
    T* panel = akk + kb;  // A[k+kb:, k:k+kb] <- A[k+kb:, k:k+kb] L_kk^{-T}
    blas::trsm('R', 'L', 'T', rest, kb, T(1), akk, lda, panel, lda);
    blas::syrk('N', rest, kb, T(-1), panel, lda, T(1), a + (k + kb) * ld + k + kb, lda);
  }
  return -1;
}

template <class T>
void solve_many(int n, int nrhs, const T* l, int ldl, T* b, int ldb) {
  blas::trsm('L', 'L', 'N', n, nrhs, T(1), l, ldl, b, ldb);
  blas::trsm('L', 'L', 'T', n, nrhs, T(1), l, ldl, b, ldb);
}

}  // namespace

SHRINKAGE_MULTIVERSION
int cholesky_unblocked(int n, double* a, int lda) { return unblocked(n, a, lda); }
SHRINKAGE_MULTIVERSION
int cholesky_unblocked(int n, float* a, int lda) { return unblocked(n, a, lda); }

int cholesky_factor(int n, double* a, int lda, const Interrupted& interrupted) {
  return blocked(n, a, lda, interrupted);
}
int cholesky_factor(int n, float* a, int lda, const Interrupted& interrupted) {
  return blocked(n, a, lda, interrupted);
}

void cholesky_solve_many(int n, int nrhs, const double* l, int ldl, double* b, int ldb) {
  solve_many(n, nrhs, l, ldl, b, ldb);
}
void cholesky_solve_many(int n, int nrhs, const float* l, int ldl, float* b, int ldb) {
  solve_many(n, nrhs, l, ldl, b, ldb);
}

bool cholesky_append(int n, int k, double* l, int lda, double tiny) {
  const std::size_t ld = static_cast<std::size_t>(lda);
  double* c = l + n + n * ld;
  if (k == 1) {  // one row: trsv, without the packing and dispatch of the level-3 calls
    const double d = *c;
    if (n > 0) blas::trsv('L', 'N', n, l, lda, l + n, lda);
    double pivot = d;
    for (int j = 0; j < n; ++j) pivot -= l[n + j * ld] * l[n + j * ld];
    if (!(pivot > tiny * d)) return false;
    *c = std::sqrt(pivot);
    return true;
  }
  std::vector<double> diag(static_cast<std::size_t>(k));
  for (int j = 0; j < k; ++j) diag[j] = c[j + j * ld];
  if (n > 0) {
    blas::trsm('R', 'L', 'T', k, n, 1.0, l, lda, l + n, lda);  // B^T <- B^T L^{-T}
    blas::syrk('N', k, n, -1.0, l + n, lda, 1.0, c, lda);      // C <- C - (B^T L^{-T})(..)^T
  }
  if (cholesky_factor(k, c, lda) >= 0) return false;
  for (int j = 0; j < k; ++j)
    if (!(c[j + j * ld] * c[j + j * ld] > tiny * diag[j])) return false;
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
    const double c = r / lj[j], s = v[j] / lj[j], inv_c = lj[j] / r;
    lj[j] = r;
    for (int i = j + 1; i < m; ++i) {  // a multiply per entry, not a divide
      lj[i] = (lj[i] + s * v[i]) * inv_c;
      v[i] = c * v[i] - s * lj[i];
    }
  }
}

// BLAS trsv rather than a loop here: the transposed solve is a chain of dot products that a
// compiler must not reassociate, which runs at a fraction of trsv's speed.
void cholesky_solve(int n, const double* l, int ldl, double* b) {
  if (n == 0) return;
  blas::trsv('L', 'N', n, l, ldl, b);
  blas::trsv('L', 'T', n, l, ldl, b);
}

}  // namespace shrinkage
