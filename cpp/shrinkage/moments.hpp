// Weighted first and second moments of (X, Y) about a shift, over any subset of rows, in one
// pass and in double whatever X's precision: the sufficient statistics of the intercept-fitted,
// weighted problem (docs/design.md §1) and of every cross-validation fold.
//
// Row blocks are gathered as Z = sqrt(w) (X - shift) into a small double scratch and accumulated
// by syrk / gemm, so X is never copied or centred as a whole. With the shift at (or near) the
// weighted mean, the co-moment S2 - S1 S1^T / W has no cancellation even when the means dwarf
// the spread, which a raw X^T W X - W m m^T would suffer.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "shrinkage/blas.hpp"
#include "shrinkage/products.hpp"

namespace shrinkage {

// Sums about the shift (c for X, d for Y) over the selected rows i with weight w_i:
//   weight_sum = sum w_i,   s1x = sum w_i (x_i - c),   s1y = sum w_i (y_i - d),
//   s2xx = sum w_i (x_i - c)(x_i - c)^T (p x p, column-major; only its diagonal if
//   diagonal_only, then p entries),   s2xy = sum w_i (x_i - c)(y_i - d)^T (p x k),
//   s2yy = sum w_i (y_i - d)^2 per target (k).
struct MomentsOut {
  double* weight_sum;
  double* s1x;
  double* s1y;
  double* s2xx;
  double* s2xy;
  double* s2yy;
};

// X is n x p (row- or column-major), Y n x k column-major double (k may be 0); rows (optional)
// lists the rows to use, weights (optional) one non-negative weight per row of X.
// Returns false if `interrupted` (polled between row blocks) returned true.
template <class T>
bool shifted_moments(const T* x, int n, int p, bool fortran_order, const double* y, int k,
                     const std::int64_t* rows, std::int64_t n_rows, const double* weights,
                     const double* shift_x, const double* shift_y, bool diagonal_only,
                     const MomentsOut& out, const Interrupted& interrupted = {}) {
  const std::size_t P = static_cast<std::size_t>(p), K = static_cast<std::size_t>(k);
  const std::int64_t total = rows != nullptr ? n_rows : n;
  // About 8 MiB of scratch, and at least 64 rows so that syrk's updates stay compute-bound.
  const int block = static_cast<int>(
      std::max<std::int64_t>(1, std::min<std::int64_t>(total, std::max<std::int64_t>(
                                                                   64, (1 << 20) / std::max(p, 1)))));
  std::vector<double> z(static_cast<std::size_t>(block) * P), zy(static_cast<std::size_t>(block) * K);
  std::vector<double> root(block);
  *out.weight_sum = 0.0;
  std::fill(out.s1x, out.s1x + P, 0.0);
  std::fill(out.s1y, out.s1y + K, 0.0);
  std::fill(out.s2xx, out.s2xx + (diagonal_only ? P : P * P), 0.0);
  std::fill(out.s2xy, out.s2xy + P * K, 0.0);
  std::fill(out.s2yy, out.s2yy + K, 0.0);

  std::vector<std::int64_t> picked(block);
  bool first_block = true;
  for (std::int64_t r0 = 0; r0 < total;) {
    if (!first_block && interrupted && interrupted()) return false;
    // Gather the next rows with a positive weight (zero weights contribute nothing).
    int rb = 0;
    for (; r0 < total && rb < block; ++r0) {
      const std::int64_t i = rows != nullptr ? rows[r0] : r0;
      const double wi = weights != nullptr ? weights[i] : 1.0;
      if (wi <= 0.0) continue;
      picked[rb] = i;
      root[rb] = std::sqrt(wi);
      *out.weight_sum += wi;
      ++rb;
    }
    if (rb == 0) break;
    for (std::size_t j = 0; j < P; ++j) {
      double* zj = z.data() + j * rb;
      for (int r = 0; r < rb; ++r) {
        const std::size_t i = static_cast<std::size_t>(picked[r]);
        const double v = fortran_order ? x[j * n + i] : x[i * P + j];
        zj[r] = root[r] * (v - shift_x[j]);
      }
    }
    for (std::size_t t = 0; t < K; ++t)
      for (int r = 0; r < rb; ++r)
        zy[t * rb + r] = root[r] * (y[t * n + static_cast<std::size_t>(picked[r])] - shift_y[t]);

    for (std::size_t j = 0; j < P; ++j) {
      const double* zj = z.data() + j * rb;
      double s1 = 0.0, s2 = 0.0;
      for (int r = 0; r < rb; ++r) {
        s1 += root[r] * zj[r];
        s2 += zj[r] * zj[r];
      }
      out.s1x[j] += s1;
      if (diagonal_only) out.s2xx[j] += s2;
    }
    for (std::size_t t = 0; t < K; ++t) {
      const double* zt = zy.data() + t * rb;
      double s1 = 0.0, s2 = 0.0;
      for (int r = 0; r < rb; ++r) {
        s1 += root[r] * zt[r];
        s2 += zt[r] * zt[r];
      }
      out.s1y[t] += s1;
      out.s2yy[t] += s2;
    }
    const double beta = first_block ? 0.0 : 1.0;
    if (!diagonal_only) blas::syrk('T', p, rb, 1.0, z.data(), rb, beta, out.s2xx, p);
    if (k > 0) blas::gemm('T', 'N', p, k, rb, 1.0, z.data(), rb, zy.data(), rb, beta, out.s2xy, p);
    first_block = false;
  }
  if (!diagonal_only) mirror_lower(out.s2xx, p);  // syrk filled the lower triangle
  return true;
}

}  // namespace shrinkage
