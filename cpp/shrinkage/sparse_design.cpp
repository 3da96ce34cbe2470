#include "shrinkage/sparse_design.hpp"

#include <algorithm>
#include <stdexcept>

namespace shrinkage {

SparseDesign::SparseDesign(const std::int64_t* indptr, const std::int32_t* indices,
                           const double* data, int n, int p, std::int64_t nnz,
                           const double* sq_norms, double scale, const double* weights,
                           const double* offsets, double weight_sum)
    : GramSource(p, scale), indptr_(indptr), indices_(indices), data_(data), n_(n),
      diag_(sq_norms, sq_norms + p),
      weight_(weights ? std::vector<double>(weights, weights + n) : std::vector<double>()),
      offset_(offsets ? std::vector<double>(offsets, offsets + p) : std::vector<double>()),
      weight_sum_(weight_sum) {
  if (indptr_[0] != 0 || indptr_[p] != nnz)
    throw std::invalid_argument("sparse X: indptr must run from 0 to nnz");
  for (int j = 0; j < p; ++j)
    if (indptr_[j + 1] < indptr_[j])
      throw std::invalid_argument("sparse X: indptr must be non-decreasing");
  for (std::int64_t e = 0; e < nnz; ++e)
    if (indices_[e] < 0 || indices_[e] >= n)
      throw std::invalid_argument("sparse X: a row index is out of range [0, n_samples)");
}

auto SparseDesign::rows() -> const Rows& {
  std::call_once(rows_once_, [this] {
    const int p = n_features();
    const std::int64_t nnz = indptr_[p];
    rows_.start.assign(static_cast<std::size_t>(n_) + 1, 0);
    for (std::int64_t e = 0; e < nnz; ++e) ++rows_.start[indices_[e] + 1];
    for (int i = 0; i < n_; ++i) rows_.start[i + 1] += rows_.start[i];
    rows_.features.resize(static_cast<std::size_t>(nnz));
    rows_.values.resize(static_cast<std::size_t>(nnz));
    std::vector<std::int64_t> next(rows_.start.begin(), rows_.start.end() - 1);
    for (int j = 0; j < p; ++j)
      for (std::int64_t e = indptr_[j]; e < indptr_[j + 1]; ++e) {
        const std::int64_t at = next[indices_[e]]++;
        rows_.features[at] = j;
        rows_.values[at] = data_[e];
      }
  });
  return rows_;
}

// Column k of the block: x_j^T S X accumulated into a length-p buffer over the rows x_j
// touches, read at the working set, and the touched entries zeroed again.
void SparseDesign::fill_block(const int* ws, int m, int first, double* H, int ldh,
                              SourceScratch& scratch) {
  if (first >= m) return;
  const Rows& r = rows();
  auto& acc = scratch.gram_column;
  acc.resize(static_cast<std::size_t>(n_features()), 0.0);
  for (int k = first; k < m; ++k) {
    const int j = ws[k];
    for (std::int64_t e = indptr_[j]; e < indptr_[j + 1]; ++e) {
      const int i = indices_[e];
      const double v = weight_.empty() ? data_[e] : weight_[i] * data_[e];
      for (std::int64_t f = r.start[i]; f < r.start[i + 1]; ++f)
        acc[r.features[f]] += v * r.values[f];
    }
    double* hk = H + static_cast<std::size_t>(k) * ldh;
    for (int l = 0; l < m; ++l) hk[l] = scale() * (acc[ws[l]] - centring(ws[l], j));
    for (std::int64_t e = indptr_[j]; e < indptr_[j + 1]; ++e) {
      const int i = indices_[e];
      for (std::int64_t f = r.start[i]; f < r.start[i + 1]; ++f) acc[r.features[f]] = 0.0;
    }
  }
}

WorkingColumns SparseDesign::working_columns(const int* ws, int, SourceScratch&) {
  WorkingColumns x;
  x.n = n_;
  x.scale = scale();
  x.indptr = indptr_;
  x.indices = indices_;
  x.data = data_;
  x.features = ws;
  x.weights = weight_.empty() ? nullptr : weight_.data();
  x.offsets = offset_.empty() ? nullptr : offset_.data();
  x.weight_sum = weight_sum_;
  return x;
}

void SparseDesign::gradient(const double* b, const double* w, int n_tasks,
                            const std::vector<int>& support, double* q, SourceScratch&) {
  const int p = n_features();
  std::vector<double> u(static_cast<std::size_t>(n_));
  for (int t = 0; t < n_tasks; ++t) {
    const double* wt = w + static_cast<std::size_t>(t) * p;
    std::fill(u.begin(), u.end(), 0.0);
    for (int j : support)
      if (wt[j] != 0.0)
        for (std::int64_t e = indptr_[j]; e < indptr_[j + 1]; ++e)
          u[indices_[e]] += wt[j] * data_[e];
    double u_sum = 0.0;
    for (int i = 0; i < n_; ++i) {
      if (!weight_.empty()) u[i] *= weight_[i];
      u_sum += u[i];
    }
    const double* bt = b + static_cast<std::size_t>(t) * p;
    double* qt = q + static_cast<std::size_t>(t) * p;
    for (int k = 0; k < p; ++k) {
      double dot = 0.0;
      for (std::int64_t e = indptr_[k]; e < indptr_[k + 1]; ++e) dot += data_[e] * u[indices_[e]];
      if (!offset_.empty()) dot -= offset_[k] * u_sum;
      qt[k] = bt[k] - scale() * dot;
    }
  }
}

}  // namespace shrinkage
