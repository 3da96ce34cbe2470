#include "shrinkage/gram_source.hpp"

#include <algorithm>

#include "shrinkage/cd_kernels.hpp"

namespace shrinkage {

void GramColumns::request(const int* idx, int count, SourceScratch& scratch) {
  require(idx, count);
  if (all_cheap()) return;
  scratch.requested.resize(static_cast<std::size_t>(n_features()), 0);
  for (int i = 0; i < count; ++i) scratch.requested[idx[i]] = 1;
}

void GramColumns::fill_block(const int* ws, int m, int first, double* H, int ldh,
                             SourceScratch& scratch) {
  request(ws + first, m - first, scratch);
  const double s = scale();
  for (int k = first; k < m; ++k) {
    const double* col = column(ws[k]);
    double* hk = H + static_cast<std::size_t>(k) * ldh;
    for (int i = 0; i < m; ++i) hk[i] = s * col[ws[i]];
  }
}

void GramColumns::gradient(const double* b, const double* w, int n_tasks,
                           const std::vector<int>& support, double* q, SourceScratch& scratch) {
  const int p = n_features();
  request(support.data(), static_cast<int>(support.size()), scratch);
  std::copy(b, b + static_cast<std::size_t>(p) * n_tasks, q);
  for (int t = 0; t < n_tasks; ++t)
    for (int j : support)
      axpy_sub(p, scale() * w[static_cast<std::size_t>(t) * p + j], column(j),
               q + static_cast<std::size_t>(t) * p);
}

}  // namespace shrinkage
