// X_W, the working set's columns, as the residual-form solver reads them (residual_solver.hpp):
// a column's weighted correlation with a sample-space vector, its axpy into one, and the same
// over all of W at once.
//   Sparse X: the CSC arrays of all of X read through W's features, with optional row weights s
//   and column centres m, so that the weighted, intercept-centred Gram
//   scale (X^T S X - W m m^T) (W = sum s) is applied without centring X. A coordinate costs
//   its column's nonzeros.
//   Dense X: Z_W = sqrt(S) (X_W - 1 m_W^T), packed n x |W| in W's order by the design (weights
//   and centres applied there), read by contiguous dot and axpy kernels and BLAS-2 passes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "shrinkage/blas.hpp"
#include "shrinkage/cd_kernels.hpp"

namespace shrinkage {

struct WorkingColumns {
  int n = 0;
  double scale = 1;
  // Sparse X.
  const std::int64_t* indptr = nullptr;
  const std::int32_t* indices = nullptr;
  const double* data = nullptr;
  const int* features = nullptr;  // W's features
  const double* weights = nullptr;  // n, or null: all 1
  const double* offsets = nullptr;  // p, or null: no centring
  double weight_sum = 0;
  // Dense X.
  const double* packed = nullptr;  // Z_W, n x |W|

  bool dense() const { return packed != nullptr; }
  // m_j of column k (0 for dense columns, which are centred already).
  double offset(int k) const { return offsets ? offsets[features[k]] : 0.0; }
  const double* column(int k) const { return packed + static_cast<std::size_t>(k) * n; }

  // Column k's stored entries: what one read of it costs.
  double entries(int k) const {
    if (dense()) return n;
    const int j = features[k];
    return static_cast<double>(indptr[j + 1] - indptr[j]);
  }
  // x_k^T S f (dense: z_k^T f).
  double correlation(int k, const double* f) const {
    if (dense()) return dot(n, column(k), f);
    const int j = features[k];
    double s = 0.0;
    if (weights)
      for (std::int64_t e = indptr[j]; e < indptr[j + 1]; ++e)
        s += data[e] * weights[indices[e]] * f[indices[e]];
    else
      for (std::int64_t e = indptr[j]; e < indptr[j + 1]; ++e) s += data[e] * f[indices[e]];
    return s;
  }
  // f += a x_k.
  void add(int k, double a, double* f) const {
    if (dense()) return axpy_sub(n, -a, column(k), f);
    const int j = features[k];
    for (std::int64_t e = indptr[j]; e < indptr[j + 1]; ++e) f[indices[e]] += a * data[e];
  }
  // out[k] = x_k^T S f for k < m.
  void correlations(int m, const double* f, double* out) const {
    if (dense() && m > 0) return blas::gemv('T', n, m, 1.0, packed, n, f, 0.0, out);
    for (int k = 0; k < m; ++k) out[k] = correlation(k, f);
  }
  // f = X_W w (m entries), raw: no weights, no centring (dense: Z_W w).
  void combine(int m, const double* w, double* f) const {
    if (dense() && m > 0) return blas::gemv('N', n, m, 1.0, packed, n, w, 0.0, f);
    for (int i = 0; i < n; ++i) f[i] = 0.0;
    for (int k = 0; k < m; ++k)
      if (w[k] != 0.0) add(k, w[k], f);
  }
};

}  // namespace shrinkage
