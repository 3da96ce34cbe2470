// The Gram matrix G = scale * X^T X as the solver sees it: the block of its working set and
// the gradient b - G w for all features.
//
// A full Gram (one syrk, or given by the user) has every column. Wide dense X never forms a
// column: blocks come from X_W^T X_W and gradients from the residual. Sparse X computes the
// columns of features that enter, in batches, into a cache that only grows, so memory follows
// the number of features that ever entered, not p^2.
#pragma once

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <type_traits>
#include <stdexcept>
#include <vector>

#include "shrinkage/blas.hpp"
#include "shrinkage/cd_kernels.hpp"

namespace shrinkage {

// A path's workspace for its source, kept between calls: sources are shared by concurrent
// paths and hold no per-path state. The wide source keeps the working set's design columns
// here, so each is gathered from X once while it stays in the working set.
struct SourceScratch {
  std::vector<double> columns;  // gathered columns, n_samples each
  std::vector<int> features;    // the feature of each gathered column, in working-set order
  std::vector<double> residual_fit;  // what X^T multiplied in the last bounded gradient
  double residual_sum = 0;           // and its sum (for the column centres)
  std::vector<float> fit32, product32;  // its float32 vectors
};

// What the solver needs of G = scale * gram (p x p, symmetric, never formed for wide X).
template <class T>
class GramSource {
 public:
  GramSource(int n_features, double scale) : p_(n_features), scale_(scale) {}
  virtual ~GramSource() = default;
  GramSource(const GramSource&) = delete;
  GramSource& operator=(const GramSource&) = delete;

  int n_features() const { return p_; }
  // The stored statistics are unscaled, so a user's Gram is used without a copy.
  double scale() const { return scale_; }
  // The unscaled diagonal, known for every feature up front.
  virtual const double* diagonal() const = 0;
  // Whether feature j can join a working set without new O(n p) work.
  virtual bool is_cheap(int j) const = 0;
  // Fills columns [first, m) of the block H = G[ws, ws] (m rows, leading dimension ldh).
  virtual void fill_block(const int* ws, int m, int first, double* H, int ldh,
                          SourceScratch& scratch) = 0;
  // q = b - G w for all p features and n_tasks columns (p x n_tasks, column-major), where w is
  // zero outside `support`.
  virtual void gradient(const double* b, const double* w, int n_tasks,
                        const std::vector<int>& support, double* q, SourceScratch& scratch) = 0;
  // Optional cheaper gradient, one target: q = b - G w to within err[j] >= 0 for each feature,
  // exact (err[j] = 0) for the features in `exact`. Returns false (and does nothing) if the
  // source has no pass cheaper than the exact gradient.
  virtual bool bounded_gradient(const double* b, const double* w, const std::vector<int>& support,
                                const std::vector<int>& exact, double* q, double* err,
                                SourceScratch& scratch) {
    return false;
  }
  // Makes exact the given entries of the last bounded_gradient (w unchanged since).
  virtual void make_exact(const double* b, const std::vector<int>& features, double* q,
                          double* err, SourceScratch& scratch) {}
  // Bytes of statistics computed and held (diagnostics, benchmarks).
  virtual std::size_t cached_bytes() const { return 0; }

 private:
  int p_;
  double scale_;
};

// The entries of a bounded gradient that are not exact and whose bound reaches `threshold`.
inline void bound_reaches(double threshold, const double* q, const double* err, int p,
                          std::vector<int>& out) {
  out.clear();
  for (int j = 0; j < p; ++j)
    if (err[j] > 0.0 && std::fabs(q[j]) + err[j] >= threshold) out.push_back(j);
}

// Sources that hold or compute whole columns of the Gram.
template <class T>
class GramColumns : public GramSource<T> {
 public:
  using GramSource<T>::GramSource;
  // Makes the columns idx[0..count) available. Safe to call from concurrent solver threads.
  virtual void require(const int* idx, int count) = 0;
  // Unscaled column j (length p). Valid after require(); the pointer never moves.
  virtual const T* column(int j) const = 0;

  void fill_block(const int* ws, int m, int first, double* H, int ldh,
                  SourceScratch&) override {
    require(ws + first, m - first);
    const double scale = this->scale();
    for (int k = first; k < m; ++k) {
      const T* col = column(ws[k]);
      double* hk = H + static_cast<std::size_t>(k) * ldh;
      for (int i = 0; i < m; ++i) hk[i] = scale * static_cast<double>(col[ws[i]]);
    }
  }

  void gradient(const double* b, const double* w, int n_tasks, const std::vector<int>& support,
                double* q, SourceScratch&) override {
    const int p = this->n_features();
    require(support.data(), static_cast<int>(support.size()));
    std::copy(b, b + static_cast<std::size_t>(p) * n_tasks, q);
    for (int t = 0; t < n_tasks; ++t)
      for (int j : support) {
        const double a = this->scale() * w[static_cast<std::size_t>(t) * p + j];
        double* qt = q + static_cast<std::size_t>(t) * p;
        if constexpr (std::is_same_v<T, double>) {
          axpy_sub(p, a, column(j), qt);
        } else {
          const T* col = column(j);
          for (int i = 0; i < p; ++i) qt[i] -= a * static_cast<double>(col[i]);
        }
      }
  }
};

// A dense p x p Gram held by the caller (symmetric, so row- and column-major are the same).
template <class T>
class FullGram final : public GramColumns<T> {
 public:
  FullGram(const T* gram, int p, double scale)
      : GramColumns<T>(p, scale), gram_(gram), diag_(static_cast<std::size_t>(p)) {
    for (int j = 0; j < p; ++j) diag_[j] = gram_[static_cast<std::size_t>(j) * p + j];
  }
  const double* diagonal() const override { return diag_.data(); }
  bool is_cheap(int) const override { return true; }
  void require(const int*, int) override {}
  const T* column(int j) const override {
    return gram_ + static_cast<std::size_t>(j) * this->n_features();
  }

 private:
  const T* gram_;
  std::vector<double> diag_;
};

// X^T Y (p x k, column-major) for dense X (n x p, either order) and Y (n x k, column-major).
inline void cross_product(const double* x, int n, int p, bool fortran_order, const double* y,
                          int k, double* out) {
  if (k == 1) {  // streams X once; gemm would first pack a copy of it
    blas::gemv(fortran_order ? 'T' : 'N', fortran_order ? n : p, fortran_order ? p : n, 1.0, x,
               fortran_order ? n : p, y, 0.0, out);
  } else if (fortran_order)
    blas::gemm('T', 'N', p, k, n, 1.0, x, n, y, n, 0.0, out, p);
  else
    blas::gemm('N', 'N', p, k, n, 1.0, x, p, y, n, 0.0, out, p);
}

// float32 data, float64 statistics: row blocks of X are converted to double (a scratch of a
// few MiB, never a copy of X) and accumulated by dgemm / dsyrk, so the statistics of float32
// data are as exact as those of float64 data and the solver's certificates hold for X itself.
namespace detail {
template <class F>
void for_row_blocks(const float* x, int n, int p, bool fortran_order, F&& accumulate) {
  const int rows = std::max(1, std::min(n, (1 << 20) / std::max(p, 1)));
  std::vector<double> block(static_cast<std::size_t>(rows) * p);
  for (int r0 = 0; r0 < n; r0 += rows) {
    const int rb = std::min(rows, n - r0);
    for (int j = 0; j < p; ++j)
      for (int i = 0; i < rb; ++i)
        block[static_cast<std::size_t>(j) * rb + i] =
            fortran_order ? x[static_cast<std::size_t>(j) * n + r0 + i]
                          : x[static_cast<std::size_t>(r0 + i) * p + j];
    accumulate(block.data(), r0, rb, r0 == 0 ? 0.0 : 1.0);
  }
}
}  // namespace detail

// X^T Y (p x k) in double for float32 X; Y is double, n x k column-major.
inline void cross_product(const float* x, int n, int p, bool fortran_order, const double* y, int k,
                          double* out) {
  detail::for_row_blocks(x, n, p, fortran_order, [&](const double* xb, int r0, int rb, double beta) {
    if (k == 1) {
      blas::gemv('T', rb, p, 1.0, xb, rb, y + r0, beta, out);
    } else {
      blas::gemm('T', 'N', p, k, rb, 1.0, xb, rb, y + r0, n, beta, out, p);
    }
  });
}

// Growing column cache shared by the lazy sources: chunks of kChunk columns that never move.
// Writers hold the owner's mutex; a column is published (its slot set) only once written, so
// readers may test has() without the lock.
template <class T>
class ColumnCache {
 public:
  static constexpr int kChunk = 64;
  explicit ColumnCache(int p) : p_(p), slot_(static_cast<std::size_t>(p)) {
    for (auto& s : slot_) s.store(-1, std::memory_order_relaxed);
  }

  bool has(int j) const { return slot_[j].load(std::memory_order_acquire) >= 0; }
  const T* column(int j) const {
    const int s = slot_[j].load(std::memory_order_acquire);
    return chunks_[s / kChunk].get() + static_cast<std::size_t>(s % kChunk) * p_;
  }
  // Reserves slots for `count` new features as runs of consecutive slots within one chunk:
  // (first index into idx, length, first slot, destination), so that a batch is written by one
  // gemm per run with leading dimension p.
  struct Run {
    int first, length, slot;
    T* dest;
  };
  std::vector<Run> reserve(int count) {
    std::vector<Run> runs;
    int i = 0;
    while (i < count) {
      if (used_ % kChunk == 0)
        chunks_.emplace_back(new T[static_cast<std::size_t>(kChunk) * p_]);
      const int room = kChunk - used_ % kChunk;
      const int len = room < count - i ? room : count - i;
      T* dest = chunks_.back().get() + static_cast<std::size_t>(used_ % kChunk) * p_;
      runs.push_back({i, len, used_, dest});
      used_ += len;
      i += len;
    }
    return runs;
  }
  // Makes a written run visible to readers.
  void publish(const int* idx, const Run& run) {
    for (int r = 0; r < run.length; ++r)
      slot_[idx[run.first + r]].store(run.slot + r, std::memory_order_release);
  }
  std::size_t bytes() const { return chunks_.size() * sizeof(T) * kChunk * p_; }

 private:
  int p_;
  int used_ = 0;
  std::vector<std::atomic<int>> slot_;
  std::vector<std::unique_ptr<T[]>> chunks_;
};

// Wide dense X (n < p): no Gram column is ever formed. The working-set block is
// Z_W^T Z_new / n (n m flops per new feature instead of n p for a whole column) and the
// gradient comes from the residual, q = b - Z^T (Z_S w_S) / n, both in double whatever X's
// precision. Z = sqrt(S) (X - 1 m^T) is the weighted, centred design of the intercept-fitted
// problem, applied column by column; without weights and offsets Z = X. The solver's many
// gradient passes, each bound by memory bandwidth, can instead read a float32 view of X (X
// itself if float32, else a copy made at the first such pass: half of X's bytes) and come
// with error bounds, exact where it matters (bounded_gradient). Holds no solver state, so
// concurrent paths may share it (the view is made once, under a once_flag).
template <class T>
class DenseDesign final : public GramSource<T> {
 public:
  // root_weights (n, optional): sqrt of the row weights; offsets (p, optional): column centres.
  DenseDesign(const T* x, int n, int p, bool fortran_order, const double* sq_norms, double scale,
              const double* root_weights = nullptr, const double* offsets = nullptr)
      : GramSource<T>(p, scale), x_(x), n_(n), fortran_(fortran_order),
        diag_(sq_norms, sq_norms + p),
        root_(root_weights ? std::vector<double>(root_weights, root_weights + n)
                           : std::vector<double>()),
        offset_(offsets ? std::vector<double>(offsets, offsets + p) : std::vector<double>()) {}

  const double* diagonal() const override { return diag_.data(); }
  bool is_cheap(int) const override { return false; }

  void fill_block(const int* ws, int m, int first, double* H, int ldh,
                  SourceScratch& scratch) override {
    if (first >= m) return;
    const double* zw = gather_working_set(ws, m, scratch);
    blas::gemm('T', 'N', m, m - first, n_, this->scale(), zw, n_,
               zw + static_cast<std::size_t>(first) * n_, n_, 0.0,
               H + static_cast<std::size_t>(first) * ldh, ldh);
  }

  void gradient(const double* b, const double* w, int n_tasks, const std::vector<int>& support,
                double* q, SourceScratch& scratch) override {
    const int p = this->n_features();
    const std::size_t n = static_cast<std::size_t>(n_);
    std::vector<double> fit(n * n_tasks, 0.0);
    design_times(w, n_tasks, support, scratch, fit.data());
    std::vector<double> fit_sum(n_tasks);
    for (int t = 0; t < n_tasks; ++t) fit_sum[t] = to_sample_space(fit.data() + t * n);
    cross_product(x_, n_, p, fortran_, fit.data(), n_tasks, q);
    for (int t = 0; t < n_tasks; ++t)
      for (int j = 0; j < p; ++j) {
        const std::size_t i = static_cast<std::size_t>(t) * p + j;
        q[i] = b[i] - this->scale() * centred(q[i], j, fit_sum[t]);
      }
  }

  // X^T u in float32 arithmetic on a float32 view of X (half the bytes of a float64 pass, which
  // is bound by memory bandwidth), with a rigorous bound on its error; exact products for the
  // working set (from its gathered columns).
  bool bounded_gradient(const double* b, const double* w, const std::vector<int>& support,
                        const std::vector<int>& exact, double* q, double* err,
                        SourceScratch& scratch) override {
    const Float32View* view = float32_view();
    if (view == nullptr) return false;
    const int p = this->n_features();
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
    const double a = this->scale() * largest * relative * u32_norm;
    const double c = this->scale() * largest * tiny;
    for (int j = 0; j < p; ++j) {
      q[j] = b[j] - this->scale() * centred(largest * t32[j], j, scratch.residual_sum);
      err[j] = a * view->norms[j] + c * (n + root_n * view->norms[j]);
    }
    for (std::size_t k = 0; k < exact.size(); ++k) {
      q[exact[k]] = b[exact[k]] - this->scale() * exact_products[k];
      err[exact[k]] = 0.0;
    }
    return true;
  }

  void make_exact(const double* b, const std::vector<int>& features, double* q, double* err,
                  SourceScratch& scratch) override {
    const int p = this->n_features();
    if (features.empty()) return;
    const double* u = scratch.residual_fit.data();
    if (8 * features.size() > static_cast<std::size_t>(p)) {  // one exact pass costs less
      std::vector<double> product(static_cast<std::size_t>(p));
      cross_product(x_, n_, p, fortran_, u, 1, product.data());
      for (int j = 0; j < p; ++j)
        if (err[j] > 0.0) {
          q[j] = b[j] - this->scale() * centred(product[j], j, scratch.residual_sum);
          err[j] = 0.0;
        }
      return;
    }
    for (int j : features) {
      q[j] = b[j] - this->scale() * centred(exact_product(j, u), j, scratch.residual_sum);
      err[j] = 0.0;
    }
  }

 private:
  // X in float32 for the bounded gradient (X itself when it is float32, else a copy in the
  // same order) with the norms of its columns. None when a column's norm exceeds 1e30, where
  // float32 products could overflow, when n is too large for the error bound, or when it is
  // below kMinRows: the bounds cost a few operations per feature at each alpha, which short
  // columns do not repay (W2, n = 100: 9.0 -> 11 ms; W1, n = 1000: 0.38 -> 0.34 s).
  static constexpr std::size_t kMinRows = 256;
  struct Float32View {
    const float* x = nullptr;
    bool fortran = true;
    std::vector<float> copy;
    std::vector<double> norms;
  };
  const Float32View* float32_view() {
    std::call_once(view_once_, [this] {
      const std::size_t p = static_cast<std::size_t>(this->n_features()), n = std::size_t(n_);
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
      view_ = std::move(view);
    });
    return view_.get();
  }

  // x_j^T u in double.
  double exact_product(int j, const double* u) const {
    const std::size_t stride = fortran_ ? 1 : static_cast<std::size_t>(this->n_features());
    const T* xj = fortran_ ? x_ + static_cast<std::size_t>(j) * n_ : x_ + j;
    return sum4(n_, [&](std::size_t i) { return static_cast<double>(xj[i * stride]) * u[i]; });
  }
  // The sum of term(i) for i < n in four partial sums: one serial chain of additions (which a
  // compiler may not reorder) runs about four times slower.
  template <class Term>
  static double sum4(std::size_t n, Term&& term) {
    double partial[4] = {0, 0, 0, 0};
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4)
      for (int k = 0; k < 4; ++k) partial[k] += term(i + k);
    for (; i < n; ++i) partial[0] += term(i);
    return (partial[0] + partial[1]) + (partial[2] + partial[3]);
  }

  // fit = Z_S w_S (n x n_tasks): from the gathered working-set columns by gemv when they hold
  // the support (the solver's case), else one column of X at a time.
  void design_times(const double* w, int n_tasks, const std::vector<int>& support,
                    const SourceScratch& scratch, double* fit) const {
    const int p = this->n_features();
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

  // Z^T v = X^T (sqrt(s) v) - m (sqrt(s)^T v): turns v into sqrt(s) v in place and returns
  // its sum (needed only with column centres).
  double to_sample_space(double* v) const {
    double sum = 0;
    for (int i = 0; i < n_; ++i) {
      if (!root_.empty()) v[i] *= root_[i];
      sum += v[i];
    }
    return offset_.empty() ? 0.0 : sum;
  }
  double centred(double xtv, int j, double v_sum) const {
    return offset_.empty() ? xtv : xtv - offset_[j] * v_sum;
  }

  // Z[:, ws[0..m)] in order in scratch.columns. The working set keeps its order when it drops
  // features and appends new ones, so cached columns only move down and new ones are gathered.
  // Slots below `from` are final and cached columns are looked for from there on, so any
  // other order is still right (more columns are gathered).
  const double* gather_working_set(const int* ws, int m, SourceScratch& scratch) const {
    const std::size_t n = static_cast<std::size_t>(n_);
    auto& cols = scratch.columns;
    auto& feats = scratch.features;
    if (cols.size() < n * m) cols.resize(n * m);
    const int cached = static_cast<int>(feats.size());
    int from = 0;  // >= k at the top of each iteration
    for (int k = 0; k < m; ++k) {
      int at = from;
      while (at < cached && feats[at] != ws[k]) ++at;
      if (at < cached) {
        if (at != k) std::copy_n(cols.data() + at * n, n, cols.data() + k * n);
        from = at + 1;
      } else {
        gather_column(ws[k], cols.data() + k * n);
        from = std::max(from, k + 1);
      }
    }
    feats.assign(ws, ws + m);
    return cols.data();
  }


  void gather_column(int j, double* out) const {
    const std::size_t p = static_cast<std::size_t>(this->n_features());
    const double shift = offset_.empty() ? 0.0 : offset_[j];
    for (int i = 0; i < n_; ++i) {
      const double v = fortran_ ? x_[static_cast<std::size_t>(j) * n_ + i] : x_[i * p + j];
      out[i] = root_.empty() ? v - shift : root_[i] * (v - shift);
    }
  }

  const T* x_;
  int n_;
  bool fortran_;
  std::vector<double> diag_;
  std::vector<double> root_;
  std::vector<double> offset_;
  std::once_flag view_once_;  // the float32 view is made at the first bounded gradient
  std::unique_ptr<Float32View> view_;
};

// Columns of X^T X for CSC X: each batch of columns is scattered into a dense n x B block once,
// then every column of X is dotted against it; X is never densified. With row weights s and
// column centres m (the intercept-fitted, weighted problem) the columns are those of
// (X - 1 m^T)^T S (X - 1 m^T) = X^T S X - W m m^T, W = sum s, so X stays sparse.
template <class T>
class SparseLazyGram final : public GramColumns<T> {
 public:
  SparseLazyGram(const std::int64_t* indptr, const std::int32_t* indices, const T* data, int n,
                 int p, const double* sq_norms, double scale, const double* weights = nullptr,
                 const double* offsets = nullptr, double weight_sum = 0.0)
      : GramColumns<T>(p, scale), indptr_(indptr), indices_(indices), data_(data), n_(n),
        diag_(sq_norms, sq_norms + p),
        weight_(weights ? std::vector<double>(weights, weights + n) : std::vector<double>()),
        offset_(offsets ? std::vector<double>(offsets, offsets + p) : std::vector<double>()),
        weight_sum_(weight_sum), cache_(p) {}

  const double* diagonal() const override { return diag_.data(); }
  bool is_cheap(int j) const override { return cache_.has(j); }
  const T* column(int j) const override { return cache_.column(j); }
  std::size_t cached_bytes() const override { return cache_.bytes(); }

  void require(const int* idx, int count) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<int> missing;
    for (int i = 0; i < count; ++i)
      if (!cache_.has(idx[i])) missing.push_back(idx[i]);
    if (missing.empty()) return;
    const int p = this->n_features();
    for (const auto& run : cache_.reserve(static_cast<int>(missing.size()))) {
      const int b = run.length;
      dense_.assign(static_cast<std::size_t>(n_) * b, T(0));  // row-major n x b
      for (int r = 0; r < b; ++r) {
        const int j = missing[run.first + r];
        for (std::int64_t e = indptr_[j]; e < indptr_[j + 1]; ++e) {
          const double s = weight_.empty() ? 1.0 : weight_[indices_[e]];
          dense_[static_cast<std::size_t>(indices_[e]) * b + r] = T(s * data_[e]);
        }
      }
      std::vector<double> acc(static_cast<std::size_t>(b));
      for (int k = 0; k < p; ++k) {
        std::fill(acc.begin(), acc.end(), 0.0);
        for (std::int64_t e = indptr_[k]; e < indptr_[k + 1]; ++e) {
          const double v = data_[e];
          const T* row = dense_.data() + static_cast<std::size_t>(indices_[e]) * b;
          for (int r = 0; r < b; ++r) acc[r] += v * row[r];
        }
        if (!offset_.empty())
          for (int r = 0; r < b; ++r)
            acc[r] -= weight_sum_ * offset_[k] * offset_[missing[run.first + r]];
        for (int r = 0; r < b; ++r) run.dest[static_cast<std::size_t>(r) * p + k] = T(acc[r]);
      }
      cache_.publish(missing.data(), run);
    }
  }

 private:
  const std::int64_t* indptr_;
  const std::int32_t* indices_;
  const T* data_;
  int n_;
  std::vector<double> diag_;
  std::vector<double> weight_;
  std::vector<double> offset_;
  double weight_sum_;
  ColumnCache<T> cache_;
  std::vector<T> dense_;
  std::mutex mutex_;
};

// Copies the lower triangle of a column-major p x p matrix into its upper triangle, in tiles
// so that both the reads and the strided writes stay in cache.
inline void mirror_lower(double* a, int p) {
  constexpr int kTile = 64;
  const std::size_t ld = static_cast<std::size_t>(p);
  for (int jb = 0; jb < p; jb += kTile)
    for (int ib = jb; ib < p; ib += kTile)
      for (int j = jb; j < std::min(jb + kTile, p); ++j)
        for (int i = std::max(ib, j + 1); i < std::min(ib + kTile, p); ++i)
          a[i * ld + j] = a[j * ld + i];
}

// G = X^T X (lower triangle by syrk, mirrored) for dense X in either order; out is p x p.
inline void dense_gram(const double* x, int n, int p, bool fortran_order, double* out) {
  if (fortran_order)
    blas::syrk('T', p, n, 1.0, x, n, 0.0, out, p);
  else
    blas::syrk('N', p, n, 1.0, x, p, 0.0, out, p);
  mirror_lower(out, p);
}

// X^T X accumulated in double for float32 X; out is p x p.
inline void dense_gram(const float* x, int n, int p, bool fortran_order, double* out) {
  detail::for_row_blocks(x, n, p, fortran_order, [&](const double* xb, int, int rb, double beta) {
    blas::syrk('T', p, rb, 1.0, xb, rb, beta, out, p);
  });
  mirror_lower(out, p);
}

}  // namespace shrinkage
