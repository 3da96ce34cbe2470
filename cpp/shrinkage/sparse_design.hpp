// Sparse X: no length-p Gram column is ever stored. The gradient comes from the residual,
// q = b - (X^T S (X_S w_S) - m sum(S X_S w_S)) * scale, one pass over X's nonzeros; the
// working-set block from the rows each new feature touches, x_j^T S X through X in row-major
// order (X's own CSR arrays where the caller has them, else a copy of its nonzeros made at the
// first block), so a new feature costs the nonzeros of its rows, not of X. Row weights s and
// column centres m give the intercept-fitted, weighted problem's Gram
// (X - 1 m^T)^T S (X - 1 m^T) = X^T S X - W m m^T (W = sum s), so X stays sparse. Holds no
// solver state, so concurrent paths may share it (the row-major copy is made under a once_flag).
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

#include "shrinkage/design.hpp"

namespace shrinkage {

// A compressed sparse matrix's arrays: CSC (start per column, row indices) or CSR (start per
// row, column indices); start[0] = 0 and start[last] = nnz.
struct Compressed {
  const std::int64_t* start = nullptr;
  const std::int32_t* index = nullptr;
  const double* value = nullptr;
};

class SparseDesign : public Design {
 public:
  // X (n x p) by its CSC arrays and, optionally, the same matrix's CSR arrays (`rows`, all
  // null if absent). Checks both structures (starts non-decreasing from 0 to the same nnz,
  // indices in range) once, so that no kernel reads or writes out of bounds on a corrupted
  // matrix. weights (n) and offsets (p) are optional and copied; X's arrays are read in place.
  SparseDesign(const Compressed& columns, const Compressed& rows, int n, int p, double scale,
               const double* weights = nullptr, const double* offsets = nullptr);

  // The diagonal follows in one pass over X's nonzeros; nothing else is rebuilt.
  void reweight(const double* weights, const double* offsets) override;
  int n_samples() const override { return n_; }
  void times(const double* w, double* out) const override;
  void transposed_times(const double* u, int k, double* out) const override;
  std::unique_ptr<Design> columns(const std::vector<int>& features) const override;

  const double* diagonal() const override { return diag_.data(); }
  bool is_cheap(int, const SourceScratch&) const override { return false; }
  void fill_block(const int* ws, int m, int first, double* H, int ldh,
                  SourceScratch& scratch) override;
  void gradient(const double* b, const double* w, int n_tasks, const std::vector<int>& support,
                double* q, SourceScratch& scratch) override;
  bool has_columns() const override { return true; }
  WorkingColumns working_columns(const int* ws, int m, SourceScratch& scratch) override;

 private:
  struct RowCopy {  // X in CSR, made from the columns where the caller had no CSR arrays
    std::vector<std::int64_t> start;
    std::vector<std::int32_t> features;
    std::vector<double> values;
  };
  const Compressed& rows();
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
  double weight_sum_ = 0;
  Compressed rows_;
  std::once_flag rows_once_;
  RowCopy row_copy_;
};

}  // namespace shrinkage
