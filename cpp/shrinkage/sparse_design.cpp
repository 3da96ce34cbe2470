#include "shrinkage/sparse_design.hpp"

#include <algorithm>
#include <memory>
#include <utility>
#include <stdexcept>
#include <string>

namespace shrinkage {

namespace {
// start[0..count] non-decreasing from 0 to nnz, index[0..nnz) in [0, range).
void check_structure(const Compressed& x, int count, int range, std::int64_t nnz,
                     const char* what) {
  const std::string name = std::string("sparse X (") + what + "): ";
  if (x.start[0] != 0 || x.start[count] != nnz)
    throw std::invalid_argument(name + "indptr must run from 0 to nnz");
  for (int k = 0; k < count; ++k)
    if (x.start[k + 1] < x.start[k])
      throw std::invalid_argument(name + "indptr must be non-decreasing");
  for (std::int64_t e = 0; e < nnz; ++e)
    if (x.index[e] < 0 || x.index[e] >= range)
      throw std::invalid_argument(name + "an index is out of range");
}
}  // namespace

SparseDesign::SparseDesign(const Compressed& columns, const Compressed& rows, int n, int p,
                           double scale, const double* weights, const double* offsets)
    : Design(p, scale), indptr_(columns.start), indices_(columns.index),
      data_(columns.value), n_(n), diag_(static_cast<std::size_t>(p)), rows_(rows) {
  const std::int64_t nnz = indptr_[p];
  check_structure(columns, p, n, nnz, "CSC");
  if (rows_.start != nullptr) check_structure(rows_, n, p, nnz, "CSR");
  reweight(weights, offsets);
}

// diag_j = sum_i s_i (x_ij - m_j)^2, as the stored rows' terms plus m_j^2 times the weight of
// the other rows: two non-negative parts, so a large centre cancels nothing. A row's duplicate
// entries are summed first (scipy's meaning of a duplicate).
void SparseDesign::reweight(const double* weights, const double* offsets) {
  const int p = n_features();
  if (weights)
    weight_.assign(weights, weights + n_);
  else
    weight_.clear();
  if (offsets)
    offset_.assign(offsets, offsets + p);
  else
    offset_.clear();
  weight_sum_ = 0.0;
  for (int i = 0; i < n_; ++i) weight_sum_ += weights ? weights[i] : 1.0;
  std::vector<double> value(static_cast<std::size_t>(n_), 0.0);
  std::vector<char> seen(static_cast<std::size_t>(n_), 0);
  for (int j = 0; j < p; ++j) {
    const double m = offsets ? offsets[j] : 0.0;
    for (std::int64_t e = indptr_[j]; e < indptr_[j + 1]; ++e) value[indices_[e]] += data_[e];
    double stored = 0.0, stored_weight = 0.0;
    for (std::int64_t e = indptr_[j]; e < indptr_[j + 1]; ++e) {
      const int i = indices_[e];
      if (seen[i]) continue;
      seen[i] = 1;
      const double s = weights ? weights[i] : 1.0;
      stored += s * (value[i] - m) * (value[i] - m);
      stored_weight += s;
    }
    for (std::int64_t e = indptr_[j]; e < indptr_[j + 1]; ++e) {
      value[indices_[e]] = 0.0;
      seen[indices_[e]] = 0;
    }
    diag_[j] = stored + m * m * std::max(0.0, weight_sum_ - stored_weight);
  }
}

void SparseDesign::times(const double* w, double* out) const {
  std::fill(out, out + n_, 0.0);
  for (int j = 0; j < n_features(); ++j)
    if (w[j] != 0.0)
      for (std::int64_t e = indptr_[j]; e < indptr_[j + 1]; ++e)
        out[indices_[e]] += data_[e] * w[j];
}

namespace {
// A copy of some columns of X in CSC and the design over it (the copy made first, as a base).
struct SparseCopy {
  std::vector<std::int64_t> start{0};
  std::vector<std::int32_t> index;
  std::vector<double> value;
};
class OwningSparseDesign final : private SparseCopy, public SparseDesign {
 public:
  OwningSparseDesign(SparseCopy copy, int n, int p, double scale)
      : SparseCopy(std::move(copy)),
        SparseDesign({start.data(), index.data(), value.data()}, {}, n, p, scale) {}
};
}  // namespace

std::unique_ptr<Design> SparseDesign::columns(const std::vector<int>& features) const {
  SparseCopy copy;
  for (int j : features) {
    copy.index.insert(copy.index.end(), indices_ + indptr_[j], indices_ + indptr_[j + 1]);
    copy.value.insert(copy.value.end(), data_ + indptr_[j], data_ + indptr_[j + 1]);
    copy.start.push_back(static_cast<std::int64_t>(copy.value.size()));
  }
  const int m = static_cast<int>(features.size());
  return std::make_unique<OwningSparseDesign>(std::move(copy), n_, m, scale());
}

void SparseDesign::transposed_times(const double* u, int k, double* out) const {
  const int p = n_features();
  for (int j = 0; j < p; ++j)
    for (int t = 0; t < k; ++t) {
      const double* ut = u + static_cast<std::size_t>(t) * n_;
      double v = 0;
      for (std::int64_t e = indptr_[j]; e < indptr_[j + 1]; ++e) v += data_[e] * ut[indices_[e]];
      out[static_cast<std::size_t>(t) * p + j] = v;
    }
}

auto SparseDesign::rows() -> const Compressed& {
  std::call_once(rows_once_, [this] {
    if (rows_.start != nullptr) return;
    const int p = n_features();
    const std::int64_t nnz = indptr_[p];
    RowCopy& r = row_copy_;
    r.start.assign(static_cast<std::size_t>(n_) + 1, 0);
    for (std::int64_t e = 0; e < nnz; ++e) ++r.start[indices_[e] + 1];
    for (int i = 0; i < n_; ++i) r.start[i + 1] += r.start[i];
    r.features.resize(static_cast<std::size_t>(nnz));
    r.values.resize(static_cast<std::size_t>(nnz));
    std::vector<std::int64_t> next(r.start.begin(), r.start.end() - 1);
    for (int j = 0; j < p; ++j)
      for (std::int64_t e = indptr_[j]; e < indptr_[j + 1]; ++e) {
        const std::int64_t at = next[indices_[e]]++;
        r.features[at] = j;
        r.values[at] = data_[e];
      }
    rows_ = {r.start.data(), r.features.data(), r.values.data()};
  });
  return rows_;
}

// Column k of the block: x_j^T S X accumulated into a length-p buffer over the rows x_j
// touches, read at the working set, and the touched entries zeroed again.
void SparseDesign::fill_block(const int* ws, int m, int first, double* H, int ldh,
                              SourceScratch& scratch) {
  if (first >= m) return;
  const Compressed& r = rows();
  auto& acc = scratch.gram_column;
  acc.resize(static_cast<std::size_t>(n_features()), 0.0);
  for (int k = first; k < m; ++k) {
    const int j = ws[k];
    for (std::int64_t e = indptr_[j]; e < indptr_[j + 1]; ++e) {
      const int i = indices_[e];
      const double v = weight_.empty() ? data_[e] : weight_[i] * data_[e];
      for (std::int64_t f = r.start[i]; f < r.start[i + 1]; ++f)
        acc[r.index[f]] += v * r.value[f];
    }
    double* hk = H + static_cast<std::size_t>(k) * ldh;
    for (int l = 0; l < m; ++l) hk[l] = scale() * (acc[ws[l]] - centring(ws[l], j));
    for (std::int64_t e = indptr_[j]; e < indptr_[j + 1]; ++e) {
      const int i = indices_[e];
      for (std::int64_t f = r.start[i]; f < r.start[i + 1]; ++f) acc[r.index[f]] = 0.0;
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
