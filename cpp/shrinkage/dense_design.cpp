#include "shrinkage/dense_design.hpp"

#include <algorithm>
#include <memory>
#include <utility>
#include <cmath>
#include <stdexcept>
#include <type_traits>

#include "shrinkage/blas.hpp"
#include "shrinkage/cd_kernels.hpp"
#include "shrinkage/products.hpp"

namespace shrinkage {

namespace {
// The float32 view is not made below this many rows: its bounds cost a few operations per
// feature at each alpha, which short columns do not repay.
constexpr std::size_t kMinRows = 256;

// The sum of term(i) for i < n in four partial sums: one serial chain of additions (which a
// compiler may not reorder) runs about four times slower.
template <class Term>
double sum4(std::size_t n, Term&& term) {
  double partial[4] = {0, 0, 0, 0};
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4)
    for (int k = 0; k < 4; ++k) partial[k] += term(i + k);
  for (; i < n; ++i) partial[0] += term(i);
  return (partial[0] + partial[1]) + (partial[2] + partial[3]);
}

std::vector<double> roots(const double* weights, int n) {
  std::vector<double> r;
  if (weights)
    for (int i = 0; i < n; ++i) r.push_back(std::sqrt(weights[i]));
  return r;
}
}  // namespace

template <class T>
DenseDesign<T>::DenseDesign(const T* x, int n, int p, bool fortran_order, const double* sq_norms,
                            double scale, const double* weights, const double* offsets)
    : Design(p, scale), x_(x), n_(n), fortran_(fortran_order), diag_(sq_norms, sq_norms + p),
      root_(roots(weights, n)),
      offset_(offsets ? std::vector<double>(offsets, offsets + p) : std::vector<double>()) {}

template <class T>
void DenseDesign<T>::share_view_with(const DenseDesign& other) {
  if (other.x_ != x_ || other.n_ != n_ || other.n_features() != n_features() ||
      other.fortran_ != fortran_)
    throw std::invalid_argument("designs share a float32 view only over the same X");
  view_ = other.view_;
}

template <class T>
void DenseDesign<T>::reweight(const double* weights, const double* offsets) {
  const std::size_t n = static_cast<std::size_t>(n_), p = static_cast<std::size_t>(n_features());
  root_ = roots(weights, n_);
  if (offsets)
    offset_.assign(offsets, offsets + p);
  else
    offset_.clear();
  ++weighting_;
  std::vector<double> column(n);
  for (std::size_t j = 0; j < p; ++j) {
    gather_column(static_cast<int>(j), column.data());
    diag_[j] = sum4(n, [&](std::size_t i) { return column[i] * column[i]; });
  }
}

// The diagonal comes from each column's weighted squares about a reference value a_j (its
// previous centre, which the next model's moves little from), as sum w (x - a)^2 - W (m - a)^2;
// a column where the correction is not small against the sum is summed again about m, so no
// cancellation reaches the diagonal.
template <class T>
void DenseDesign<T>::reweight_for_model(const double* weights, bool centred, const double* u,
                                        double* b, double* centres) {
  const std::size_t n = static_cast<std::size_t>(n_), p = static_cast<std::size_t>(n_features());
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) total += weights[i];
  std::vector<double> ref(p, 0.0), sums(p, 0.0), squares(p, 0.0);
  if (centred && !offset_.empty()) ref = offset_;
  std::fill(b, b + p, 0.0);
  const auto x = [&](std::size_t i, std::size_t j) {
    return static_cast<double>(fortran_ ? x_[j * n + i] : x_[i * p + j]);
  };
  if (fortran_) {
    for (std::size_t j = 0; j < p; ++j) {
      const T* xj = x_ + j * n;
      const double a = ref[j];
      sums[j] = sum4(n, [&](std::size_t i) { return weights[i] * static_cast<double>(xj[i]); });
      b[j] = sum4(n, [&](std::size_t i) { return u[i] * static_cast<double>(xj[i]); });
      squares[j] = sum4(n, [&](std::size_t i) {
        const double d = static_cast<double>(xj[i]) - a;
        return weights[i] * d * d;
      });
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      const T* xi = x_ + i * p;
      const double wi = weights[i], ui = u[i];
      for (std::size_t j = 0; j < p; ++j) {
        const double v = static_cast<double>(xi[j]), d = v - ref[j];
        sums[j] += wi * v;
        b[j] += ui * v;
        squares[j] += wi * d * d;
      }
    }
  }
  root_ = roots(weights, n_);
  offset_.assign(p, 0.0);
  for (std::size_t j = 0; j < p; ++j) {
    const double m = centred ? sums[j] / total : 0.0, shift = m - ref[j];
    double d = squares[j] - total * shift * shift;
    if (!(total * shift * shift <= 1e-6 * squares[j]))
      d = sum4(n, [&](std::size_t i) {
        const double e = x(i, j) - m;
        return weights[i] * e * e;
      });
    diag_[j] = d;
    offset_[j] = m;
    if (centred) centres[j] = m;
  }
  if (!centred) offset_.clear();
  ++weighting_;
}

template <class T>
void DenseDesign<T>::times(const double* w, double* out) const {
  const std::size_t n = static_cast<std::size_t>(n_), p = static_cast<std::size_t>(n_features());
  std::fill(out, out + n, 0.0);
  if (fortran_) {  // only the columns of w's nonzeros
    for (std::size_t j = 0; j < p; ++j)
      if (w[j] != 0.0) {
        const T* xj = x_ + j * n;
        for (std::size_t i = 0; i < n; ++i) out[i] += w[j] * static_cast<double>(xj[i]);
      }
    return;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const T* xi = x_ + i * p;
    out[i] = sum4(p, [&](std::size_t j) { return static_cast<double>(xi[j]) * w[j]; });
  }
}

namespace {
// A copy of some columns of X (column-major, double) and the design over it: the copy is a
// base, so it is made before the design that reads it.
struct DenseCopy {
  std::vector<double> values, norms;
};
class OwningDenseDesign final : private DenseCopy, public DenseDesign<double> {
 public:
  OwningDenseDesign(DenseCopy copy, int n, int p, double scale)
      : DenseCopy(std::move(copy)),
        DenseDesign<double>(values.data(), n, p, true, norms.data(), scale) {}
};
}  // namespace

template <class T>
std::unique_ptr<Design> DenseDesign<T>::columns(const std::vector<int>& features) const {
  const std::size_t n = static_cast<std::size_t>(n_), p = static_cast<std::size_t>(n_features());
  const int m = static_cast<int>(features.size());
  DenseCopy copy;
  copy.values.resize(n * features.size());
  copy.norms.assign(features.size(), 0.0);
  for (int k = 0; k < m; ++k) {
    double* out = copy.values.data() + static_cast<std::size_t>(k) * n;
    const std::size_t j = static_cast<std::size_t>(features[k]);
    for (std::size_t i = 0; i < n; ++i) {
      out[i] = static_cast<double>(fortran_ ? x_[j * n + i] : x_[i * p + j]);
      copy.norms[k] += out[i] * out[i];
    }
  }
  return std::make_unique<OwningDenseDesign>(std::move(copy), n_, m, scale());
}

template <class T>
void DenseDesign<T>::transposed_times(const double* u, int k, double* out) const {
  cross_product(x_, n_, n_features(), fortran_, u, k, out);
}

template <class T>
void DenseDesign<T>::fill_block(const int* ws, int m, int first, double* H, int ldh,
                                SourceScratch& scratch) {
  if (first >= m) return;
  const double* zw = gather_working_set(ws, m, scratch);
  blas::gemm('T', 'N', m, m - first, n_, scale(), zw, n_,
             zw + static_cast<std::size_t>(first) * n_, n_, 0.0,
             H + static_cast<std::size_t>(first) * ldh, ldh);
}

template <class T>
WorkingColumns DenseDesign<T>::working_columns(const int* ws, int m, SourceScratch& scratch) {
  WorkingColumns x;
  x.n = n_;
  x.scale = scale();
  x.packed = gather_working_set(ws, m, scratch);
  return x;
}

template <class T>
void DenseDesign<T>::gradient(const double* b, const double* w, int n_tasks,
                              const std::vector<int>& support, double* q,
                              SourceScratch& scratch) {
  const int p = n_features();
  const std::size_t n = static_cast<std::size_t>(n_);
  std::vector<double> fit(n * n_tasks, 0.0);
  design_times(w, n_tasks, support, scratch, fit.data());
  std::vector<double> fit_sum(n_tasks);
  for (int t = 0; t < n_tasks; ++t) fit_sum[t] = to_sample_space(fit.data() + t * n);
  cross_product(x_, n_, p, fortran_, fit.data(), n_tasks, q);
  for (int t = 0; t < n_tasks; ++t)
    for (int j = 0; j < p; ++j) {
      const std::size_t i = static_cast<std::size_t>(t) * p + j;
      q[i] = b[i] - scale() * centred(q[i], j, fit_sum[t]);
    }
}

// X^T u in float32 arithmetic on a float32 view of X (half the bytes of a float64 pass, which
// is bound by memory bandwidth), with a rigorous bound on its error; exact products for the
// working set (from its gathered columns).
template <class T>
bool DenseDesign<T>::bounded_gradient(const double* b, const double* w,
                                      const std::vector<int>& support,
                                      const std::vector<int>& exact, double* q, double* err,
                                      SourceScratch& scratch) {
  const Float32View* view = float32_view();
  if (view == nullptr) return false;
  const int p = n_features();
  const std::size_t n = static_cast<std::size_t>(n_);
  auto& u = scratch.residual_fit;
  u.assign(n, 0.0);
  design_times(w, 1, support, scratch, u.data());
  const bool gathered = !exact.empty() && scratch.features == exact;
  std::vector<double> exact_products(exact.size());
  if (gathered)  // Z_W^T (Z_S w_S) from the gathered columns, before u leaves Z's space
    blas::gemv('T', n_, static_cast<int>(exact.size()), 1.0, scratch.columns.data(), n_,
               u.data(), 0.0, exact_products.data());
  scratch.residual_sum = to_sample_space(u.data());
  if (!gathered)
    for (std::size_t k = 0; k < exact.size(); ++k)
      exact_products[k] =
          centred(exact_product(exact[k], u.data()), exact[k], scratch.residual_sum);

  // u / max|u| in float32: entries at most 1, so with X's entries at most 1e30 nothing
  // overflows.
  double largest = 0;
  for (double v : u) largest = std::max(largest, std::fabs(v));
  auto& u32 = scratch.fit32;
  auto& t32 = scratch.product32;
  u32.resize(n);
  t32.resize(static_cast<std::size_t>(p));
  double u32_norm = 0;
  for (std::size_t i = 0; i < n; ++i) {
    u32[i] = largest > 0 ? static_cast<float>(u[i] / largest) : 0.0f;
    u32_norm += double(u32[i]) * u32[i];
  }
  u32_norm = std::sqrt(u32_norm);
  if (view->fortran)
    blas::gemv('T', n_, p, 1.0f, view->x, n_, u32.data(), 0.0f, t32.data());
  else
    blas::gemv('N', p, n_, 1.0f, view->x, p, u32.data(), 0.0f, t32.data());
  // Error against x_j^T u / largest, relative to sum_i |x32_ij u32_i| <= |x32_j| |u32|: a
  // float32 dot product of n terms in any summation order (Higham, Accuracy and Stability,
  // 3.1) and the rounding of both factors to float32; absolute, for underflow (each
  // conversion and product off by at most 2^-150): 2^-149 (n + sqrt(n) |x32_j|), doubled.
  const double unit = std::ldexp(1.0, -24), gamma = n * unit / (1.0 - n * unit);
  const double relative = gamma + (2 * unit + unit * unit) / ((1 - unit) * (1 - unit));
  const double tiny = std::ldexp(1.0, -148), root_n = std::sqrt(static_cast<double>(n));
  const double a = scale() * largest * relative * u32_norm;
  const double c = scale() * largest * tiny;
  for (int j = 0; j < p; ++j) {
    q[j] = b[j] - scale() * centred(largest * t32[j], j, scratch.residual_sum);
    err[j] = a * view->norms[j] + c * (n + root_n * view->norms[j]);
  }
  for (std::size_t k = 0; k < exact.size(); ++k) {
    q[exact[k]] = b[exact[k]] - scale() * exact_products[k];
    err[exact[k]] = 0.0;
  }
  return true;
}

template <class T>
void DenseDesign<T>::make_exact(const double* b, const std::vector<int>& features, double* q,
                                double* err, SourceScratch& scratch) {
  const int p = n_features();
  if (features.empty()) return;
  const double* u = scratch.residual_fit.data();
  if (8 * features.size() > static_cast<std::size_t>(p)) {  // one exact pass costs less
    std::vector<double> product(static_cast<std::size_t>(p));
    cross_product(x_, n_, p, fortran_, u, 1, product.data());
    for (int j = 0; j < p; ++j)
      if (err[j] > 0.0) {
        q[j] = b[j] - scale() * centred(product[j], j, scratch.residual_sum);
        err[j] = 0.0;
      }
    return;
  }
  for (int j : features) {
    q[j] = b[j] - scale() * centred(exact_product(j, u), j, scratch.residual_sum);
    err[j] = 0.0;
  }
}

// X in float32 for the bounded gradient (X itself when it is float32, else a copy in the same
// order) with the norms of its columns. None when a column's norm exceeds 1e30, where float32
// products could overflow, when n is too large for the error bound, or below kMinRows.
template <class T>
auto DenseDesign<T>::float32_view() -> const Float32View* {
  ViewSlot& slot = *view_;
  std::call_once(slot.once, [this, &slot] {
    const std::size_t p = static_cast<std::size_t>(n_features()), n = std::size_t(n_);
    if (n < kMinRows || n * std::ldexp(1.0, -24) >= 0.5) return;
    auto view = std::make_unique<Float32View>();
    view->fortran = fortran_;
    if constexpr (std::is_same_v<T, float>) {
      view->x = x_;
    } else {
      view->copy.resize(n * p);
      for (std::size_t e = 0; e < n * p; ++e) view->copy[e] = static_cast<float>(x_[e]);
      view->x = view->copy.data();
    }
    view->norms.assign(p, 0.0);
    if (fortran_) {
      for (std::size_t j = 0; j < p; ++j) {
        const float* xj = view->x + j * n;
        view->norms[j] = sum4(n, [&](std::size_t i) { return double(xj[i]) * xj[i]; });
      }
    } else {
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < p; ++j) {
          const double v = view->x[i * p + j];
          view->norms[j] += v * v;
        }
    }
    for (double& v : view->norms) {
      v = std::sqrt(v);
      if (!(v <= 1e30)) return;
    }
    slot.view = std::move(view);
  });
  return slot.view.get();
}

// x_j^T u in double.
template <class T>
double DenseDesign<T>::exact_product(int j, const double* u) const {
  const std::size_t stride = fortran_ ? 1 : static_cast<std::size_t>(n_features());
  const T* xj = fortran_ ? x_ + static_cast<std::size_t>(j) * n_ : x_ + j;
  return sum4(n_, [&](std::size_t i) { return static_cast<double>(xj[i * stride]) * u[i]; });
}

// fit = Z_S w_S (n x n_tasks): from the gathered working-set columns by gemv when they hold
// the support (the solver's case), else one column of X at a time.
template <class T>
void DenseDesign<T>::design_times(const double* w, int n_tasks, const std::vector<int>& support,
                                  const SourceScratch& scratch, double* fit) const {
  const int p = n_features();
  const std::size_t n = static_cast<std::size_t>(n_);
  const int gathered = static_cast<int>(scratch.features.size());
  std::vector<double> wg(static_cast<std::size_t>(gathered));
  std::size_t covered = 0;
  for (int k = 0; k < gathered; ++k) covered += (wg[k] = w[scratch.features[k]]) != 0.0;
  if (n_tasks == 1 && gathered > 0 && covered == support.size()) {
    blas::gemv('N', n_, gathered, 1.0, scratch.columns.data(), n_, wg.data(), 0.0, fit);
    return;
  }
  std::vector<double> col(n);
  for (int j : support) {
    gather_column(j, col.data());
    for (int t = 0; t < n_tasks; ++t)
      axpy_sub(n_, -w[static_cast<std::size_t>(t) * p + j], col.data(), fit + t * n);
  }
}

// Z^T v = X^T (sqrt(s) v) - m (sqrt(s)^T v): turns v into sqrt(s) v in place and returns its
// sum (needed only with column centres).
template <class T>
double DenseDesign<T>::to_sample_space(double* v) const {
  double sum = 0;
  for (int i = 0; i < n_; ++i) {
    if (!root_.empty()) v[i] *= root_[i];
    sum += v[i];
  }
  return offset_.empty() ? 0.0 : sum;
}

// Z[:, ws[0..m)] in order in scratch.columns. A cached column that is wanted elsewhere is
// swapped into place (the working set moves a few features at a time), so only new features
// are gathered from X.
template <class T>
const double* DenseDesign<T>::gather_working_set(const int* ws, int m,
                                                 SourceScratch& scratch) const {
  const std::size_t n = static_cast<std::size_t>(n_);
  auto& cols = scratch.columns;
  auto& feats = scratch.features;
  auto& slot = scratch.column_slot;
  auto& wanted = scratch.wanted;
  if (scratch.weighting != weighting_) {  // columns of another weighting: none is kept
    for (int g : feats)
      if (g >= 0) slot[g] = -1;
    feats.clear();
    scratch.weighting = weighting_;
  }
  if (slot.empty()) {
    slot.assign(static_cast<std::size_t>(n_features()), -1);
    wanted.assign(static_cast<std::size_t>(n_features()), 0);
  }
  for (int k = 0; k < m; ++k) wanted[ws[k]] = 1;
  for (int& g : feats)
    if (g >= 0 && !wanted[g]) {
      slot[g] = -1;
      g = -1;
    }
  for (int k = 0; k < m; ++k) wanted[ws[k]] = 0;
  const auto column = [&](std::size_t k) { return cols.data() + k * n; };
  const auto append = [&](int g) {
    feats.push_back(g);
    cols.resize(feats.size() * n);
    if (g >= 0) slot[g] = static_cast<int>(feats.size()) - 1;
  };
  for (int k = 0; k < m; ++k) {
    const int f = ws[k];
    if (k == static_cast<int>(feats.size())) append(-1);
    const int g = feats[k];  // the slot's occupant: none, or a feature wanted at a later slot
    if (g == f) continue;
    const int from = slot[f];
    if (from >= 0) {
      std::swap_ranges(column(k), column(k) + n, column(from));
      feats[from] = g;
      if (g >= 0) slot[g] = from;
    } else {
      if (g >= 0) {
        append(g);
        std::copy_n(column(k), n, column(feats.size() - 1));
      }
      gather_column(f, column(k));
    }
    feats[k] = f;
    slot[f] = k;
  }
  for (std::size_t i = m; i < feats.size(); ++i)
    if (feats[i] >= 0) slot[feats[i]] = -1;
  feats.resize(m);
  return cols.data();
}

template <class T>
void DenseDesign<T>::gather_column(int j, double* out) const {
  const std::size_t p = static_cast<std::size_t>(n_features());
  const double shift = offset_.empty() ? 0.0 : offset_[j];
  for (int i = 0; i < n_; ++i) {
    const double v = fortran_ ? x_[static_cast<std::size_t>(j) * n_ + i] : x_[i * p + j];
    out[i] = root_.empty() ? v - shift : root_[i] * (v - shift);
  }
}

template class DenseDesign<float>;
template class DenseDesign<double>;

}  // namespace shrinkage
