#include "shrinkage/products.hpp"

#include "shrinkage/blas.hpp"

namespace shrinkage {

// In tiles so that both the reads and the strided writes stay in cache.
void mirror_lower(double* a, int p) {
  constexpr int kTile = 64;
  const std::size_t ld = static_cast<std::size_t>(p);
  for (int jb = 0; jb < p; jb += kTile)
    for (int ib = jb; ib < p; ib += kTile)
      for (int j = jb; j < std::min(jb + kTile, p); ++j)
        for (int i = std::max(ib, j + 1); i < std::min(ib + kTile, p); ++i)
          a[i * ld + j] = a[j * ld + i];
}

bool dense_gram(const double* x, int n, int p, bool fortran_order, double* out,
                const Interrupted& interrupted) {
  // About 2e10 multiply-adds a block (a fraction of a second at BLAS speed), and never fewer
  // than 4096 rows, where syrk's blocking stays efficient.
  if (n == 0) {
    std::fill(out, out + static_cast<std::size_t>(p) * p, 0.0);
    return true;
  }
  const double per_row = std::max(1.0, double(p) * p);
  const int rows = static_cast<int>(std::min<double>(n, std::max(4096.0, 2e10 / per_row)));
  for (int r0 = 0; r0 < n; r0 += rows) {
    if (r0 > 0 && interrupted && interrupted()) return false;
    const int rb = std::min(rows, n - r0);
    const double beta = r0 == 0 ? 0.0 : 1.0;
    if (fortran_order)
      blas::syrk('T', p, rb, 1.0, x + r0, n, beta, out, p);
    else
      blas::syrk('N', p, rb, 1.0, x + static_cast<std::size_t>(r0) * p, p, beta, out, p);
  }
  mirror_lower(out, p);
  return true;
}

bool dense_gram(const float* x, int n, int p, bool fortran_order, double* out,
                const Interrupted& interrupted) {
  const bool done = detail::for_row_blocks(
      x, n, p, fortran_order,
      [&](const double* xb, int, int rb, double beta) {
        blas::syrk('T', p, rb, 1.0, xb, rb, beta, out, p);
      },
      interrupted);
  if (done) mirror_lower(out, p);
  return done;
}

void cross_product(const double* x, int n, int p, bool fortran_order, const double* y, int k,
                   double* out) {
  if (k == 1) {  // streams X once; gemm would first pack a copy of it
    blas::gemv(fortran_order ? 'T' : 'N', fortran_order ? n : p, fortran_order ? p : n, 1.0, x,
               fortran_order ? n : p, y, 0.0, out);
  } else if (fortran_order) {
    blas::gemm('T', 'N', p, k, n, 1.0, x, n, y, n, 0.0, out, p);
  } else {
    blas::gemm('N', 'N', p, k, n, 1.0, x, p, y, n, 0.0, out, p);
  }
}

void cross_product(const float* x, int n, int p, bool fortran_order, const double* y, int k,
                   double* out) {
  detail::for_row_blocks(x, n, p, fortran_order, [&](const double* xb, int r0, int rb, double beta) {
    if (k == 1)
      blas::gemv('T', rb, p, 1.0, xb, rb, y + r0, beta, out);
    else
      blas::gemm('T', 'N', p, k, rb, 1.0, xb, rb, y + r0, n, beta, out, p);
  });
}

}  // namespace shrinkage
