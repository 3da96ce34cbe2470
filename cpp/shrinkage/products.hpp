// The products of dense X that the statistics are made of, by BLAS and in double whatever X's
// precision: X^T X (syrk) and X^T Y (gemv / gemm). float32 X is converted in row blocks (a
// scratch of a few MiB, never a copy of X), so the statistics of float32 data are as exact as
// those of float64 data and the solver's certificates hold for X itself.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "shrinkage/interrupted.hpp"

namespace shrinkage {

// Copies the lower triangle of a column-major p x p matrix into its upper triangle.
void mirror_lower(double* a, int p);

// G = X^T X (p x p, both triangles) for dense X (n x p) in either order, accumulated over row
// blocks of tens of milliseconds each, so that `interrupted` is polled between them. With
// workers > 1, that many threads take the blocks as they come free, each calling the BLAS
// (which should then run on one thread) into a p x p accumulator of its own: a core slowed
// by other work only takes fewer blocks, where a threaded BLAS call waits for it. Returns
// false if it was interrupted.
bool dense_gram(const double* x, int n, int p, bool fortran_order, double* out,
                const Interrupted& interrupted = {}, int workers = 1);
bool dense_gram(const float* x, int n, int p, bool fortran_order, double* out,
                const Interrupted& interrupted = {}, int workers = 1);

// X^T Y (p x k, column-major) for dense X (n x p, either order) and Y (n x k, column-major).
void cross_product(const double* x, int n, int p, bool fortran_order, const double* y, int k,
                   double* out);
void cross_product(const float* x, int n, int p, bool fortran_order, const double* y, int k,
                   double* out);

namespace detail {
// Rows [r0, r0 + rb) of float32 X as a column-major rb x p double block.
inline void rows_to_double(const float* x, int n, int p, bool fortran_order, int r0, int rb,
                           double* block) {
  for (int j = 0; j < p; ++j)
    for (int i = 0; i < rb; ++i)
      block[static_cast<std::size_t>(j) * rb + i] =
          fortran_order ? x[static_cast<std::size_t>(j) * n + r0 + i]
                        : x[static_cast<std::size_t>(r0 + i) * p + j];
}

// Calls accumulate(block, first_row, rows, beta) on row blocks of float32 X converted to
// double (column-major, rows x p); beta is 0 for the first block and 1 after. Returns false
// if `interrupted` (polled between blocks) returned true.
template <class F>
bool for_row_blocks(const float* x, int n, int p, bool fortran_order, F&& accumulate,
                    const Interrupted& interrupted = {}) {
  const int rows = std::max(1, std::min(n, (1 << 20) / std::max(p, 1)));
  std::vector<double> block(static_cast<std::size_t>(rows) * p);
  for (int r0 = 0; r0 < n; r0 += rows) {
    if (r0 > 0 && interrupted && interrupted()) return false;
    const int rb = std::min(rows, n - r0);
    rows_to_double(x, n, p, fortran_order, r0, rb, block.data());
    accumulate(block.data(), r0, rb, r0 == 0 ? 0.0 : 1.0);
  }
  return true;
}
}  // namespace detail

}  // namespace shrinkage
