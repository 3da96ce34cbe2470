// Sparse CSC X: no length-p Gram column is ever stored. The gradient comes from the residual,
// q = b - (X^T S (X_S w_S) - m sum(S X_S w_S)) * scale, one pass over X's nonzeros; the
// working-set block from the rows each new feature touches, x_j^T S X through a row-major copy
// of X (its nonzeros, made once), so a new feature costs the nonzeros of its rows, not of X.
// Row weights s and column centres m give the intercept-fitted, weighted problem's Gram
// (X - 1 m^T)^T S (X - 1 m^T) = X^T S X - W m m^T (W = sum s), so X stays sparse. Holds no
// solver state, so concurrent paths may share it (the row-major copy is made under a once_flag).
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

#include "shrinkage/gram_source.hpp"

namespace shrinkage {

// X's columns as the residual-form solver reads them (residual_solver.hpp): the CSC arrays,
// optional row weights s and column centres m, with W = sum s and the Gram's scale, so that
// G = scale (X^T S X - W m m^T) is applied one column at a time.
struct SparseColumns {
  const std::int64_t* indptr = nullptr;
  const std::int32_t* indices = nullptr;
  const double* data = nullptr;
  int n = 0;
  const double* weights = nullptr;  // n, or null: all 1
  const double* offsets = nullptr;  // p, or null: no centring
  double weight_sum = 0;
  double scale = 1;

  double offset(int j) const { return offsets ? offsets[j] : 0.0; }
  // x_j^T S f.
  double weighted_dot(int j, const double* f) const {
    double s = 0.0;
    if (weights)
      for (std::int64_t e = indptr[j]; e < indptr[j + 1]; ++e)
        s += data[e] * weights[indices[e]] * f[indices[e]];
    else
      for (std::int64_t e = indptr[j]; e < indptr[j + 1]; ++e) s += data[e] * f[indices[e]];
    return s;
  }
  // f += a x_j.
  void add(int j, double a, double* f) const {
    for (std::int64_t e = indptr[j]; e < indptr[j + 1]; ++e) f[indices[e]] += a * data[e];
  }
};

class SparseDesign final : public GramSource {
 public:
  // Checks the CSC structure (indptr non-decreasing from 0 to nnz, row indices in [0, n)) once,
  // so that no kernel reads or writes out of bounds on a corrupted matrix. weights (n) and
  // offsets (p) are optional and copied; X's arrays are read in place.
  SparseDesign(const std::int64_t* indptr, const std::int32_t* indices, const double* data, int n,
               int p, std::int64_t nnz, const double* sq_norms, double scale,
               const double* weights = nullptr, const double* offsets = nullptr,
               double weight_sum = 0.0);

  const double* diagonal() const override { return diag_.data(); }
  bool is_cheap(int, const SourceScratch&) const override { return false; }
  void fill_block(const int* ws, int m, int first, double* H, int ldh,
                  SourceScratch& scratch) override;
  void gradient(const double* b, const double* w, int n_tasks, const std::vector<int>& support,
                double* q, SourceScratch& scratch) override;
  const SparseColumns* columns() const override { return &columns_; }

 private:
  struct Rows {  // X in CSR: the features of each row
    std::vector<std::int64_t> start;
    std::vector<std::int32_t> features;
    std::vector<double> values;
  };
  const Rows& rows();
  double centring(int j, int k) const {
    return offset_.empty() ? 0.0 : weight_sum_ * offset_[j] * offset_[k];
  }

  const std::int64_t* indptr_;
  const std::int32_t* indices_;
  const double* data_;
  int n_;
  std::vector<double> diag_;
  std::vector<double> weight_;
  std::vector<double> offset_;
  double weight_sum_;
  SparseColumns columns_;
  std::once_flag rows_once_;
  Rows rows_;
};

}  // namespace shrinkage
