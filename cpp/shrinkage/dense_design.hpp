// Wide dense X (n < p): no Gram column is ever formed. The working-set block is
// Z_W^T Z_new / n (n m flops per new feature instead of n p for a whole column) and the
// gradient comes from the residual, q = b - Z^T (Z_S w_S) / n, both in double whatever X's
// precision. Z = sqrt(S) (X - 1 m^T) is the weighted, centred design of the intercept-fitted
// problem, applied column by column; without weights and offsets Z = X. The solver's many
// gradient passes, each bound by memory bandwidth, can instead read a float32 view of X (X
// itself if float32, else a copy made at the first such pass: half of X's bytes) and come
// with error bounds, exact where it matters (bounded_gradient). Holds no solver state, so
// concurrent paths may share it (the view is made once, under a once_flag); designs over the
// same X with other weights (a cross-validation's folds) can share one view.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "shrinkage/design.hpp"

namespace shrinkage {

template <class T>  // X's element type: float or double (explicitly instantiated)
class DenseDesign : public Design {
 public:
  // weights (n, optional): the row weights; offsets (p, optional): column centres; sq_norms:
  // the unscaled diagonal under those.
  DenseDesign(const T* x, int n, int p, bool fortran_order, const double* sq_norms, double scale,
              const double* weights = nullptr, const double* offsets = nullptr);

  // The diagonal follows in one pass over X; paths' cached columns of Z are dropped at their
  // next gather.
  void reweight(const double* weights, const double* offsets) override;
  int n_samples() const override { return n_; }
  void times(const double* w, double* out) const override;
  void transposed_times(const double* u, int k, double* out) const override;
  std::unique_ptr<Design> columns(const std::vector<int>& features) const override;
  // One pass over X for the weights' column sums, X^T u and the diagonal.
  void reweight_for_model(const double* weights, bool centred, const double* u, double* b,
                          double* centres) override;

  // Shares `other`'s float32 view of X (made by whichever design first needs it), so designs
  // of one X under other weights hold one copy. Throws if `other` reads another array.
  void share_view_with(const DenseDesign& other);
  bool shares_view_with(const DenseDesign& other) const { return view_ == other.view_; }

  const double* diagonal() const override { return diag_.data(); }
  bool is_cheap(int, const SourceScratch&) const override { return false; }
  void fill_block(const int* ws, int m, int first, double* H, int ldh,
                  SourceScratch& scratch) override;
  void gradient(const double* b, const double* w, int n_tasks, const std::vector<int>& support,
                double* q, SourceScratch& scratch) override;
  bool bounded_gradient(const double* b, const double* w, const std::vector<int>& support,
                        const std::vector<int>& exact, double* q, double* err,
                        SourceScratch& scratch) override;
  void make_exact(const double* b, const std::vector<int>& features, double* q, double* err,
                  SourceScratch& scratch) override;
  bool has_columns() const override { return true; }
  WorkingColumns working_columns(const int* ws, int m, SourceScratch& scratch) override;

 private:
  struct Float32View {
    const float* x = nullptr;
    bool fortran = true;
    std::vector<float> copy;
    std::vector<double> norms;
  };
  struct ViewSlot {  // the view, made once, possibly for several designs
    std::once_flag once;
    std::unique_ptr<Float32View> view;
  };
  const Float32View* float32_view();
  double exact_product(int j, const double* u) const;
  void design_times(const double* w, int n_tasks, const std::vector<int>& support,
                    const SourceScratch& scratch, double* fit) const;
  double to_sample_space(double* v) const;
  double centred(double xtv, int j, double v_sum) const {
    return offset_.empty() ? xtv : xtv - offset_[j] * v_sum;
  }
  const double* gather_working_set(const int* ws, int m, SourceScratch& scratch) const;
  void gather_column(int j, double* out) const;

  const T* x_;
  int n_;
  bool fortran_;
  std::vector<double> diag_;
  std::vector<double> root_;  // the square roots of the row weights
  std::vector<double> offset_;
  unsigned weighting_ = 0;  // counts reweight(): cached columns of Z are of one weighting
  std::shared_ptr<ViewSlot> view_ = std::make_shared<ViewSlot>();  // made at the first
                                                                     // bounded gradient
};

extern template class DenseDesign<float>;
extern template class DenseDesign<double>;

}  // namespace shrinkage
