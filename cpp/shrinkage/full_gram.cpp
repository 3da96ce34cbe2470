#include "shrinkage/full_gram.hpp"

#include <algorithm>

#include "shrinkage/cd_kernels.hpp"

namespace shrinkage {

void FullGram::fill_block(const int* ws, int m, int first, double* H, int ldh, SourceScratch&) {
  const double s = scale();
  for (int k = first; k < m; ++k) {
    const double* col = column(ws[k]);
    double* hk = H + static_cast<std::size_t>(k) * ldh;
    for (int i = 0; i < m; ++i) hk[i] = s * col[ws[i]];
  }
}

void FullGram::gradient(const double* b, const double* w, int n_tasks,
                        const std::vector<int>& support, double* q, SourceScratch&) {
  const int p = n_features();
  std::copy(b, b + static_cast<std::size_t>(p) * n_tasks, q);
  for (int t = 0; t < n_tasks; ++t)
    for (int j : support)
      axpy_sub(p, scale() * w[static_cast<std::size_t>(t) * p + j], column(j),
               q + static_cast<std::size_t>(t) * p);
}

}  // namespace shrinkage
