// Elastic-net path by coordinate descent with covariance (Gram) updates.
//
// Problem (scikit-learn's scaling, divided through by n):
//     P(w) = 1/2 w^T G w - b^T w + c/2 + l1 ||w||_1 + l2/2 ||w||^2,   l1 = alpha*rho, l2 = alpha*(1-rho)
// with G = X^T X / n, b = X^T y / n, c = y^T y / n. With several targets (n_tasks > 1) w is
// p x n_tasks and ||w||_1 is the l2,1 norm (the multi-task problem of scikit-learn's enet_path).
//
// Per alpha (warm-started from the previous one):
//   1. the duality gap of the warm start; done if gap <= tol * c (scikit-learn's criterion);
//   2. gap-safe screening removes features that are provably zero at this alpha;
//   3. a working set W = current support + the sequential strong rule's survivors;
//   4. a predictor: one Newton step on the previous support, plus the features expected to
//      enter, follows the path to this alpha;
//      then cyclic CD on the packed block G[W, W] until the working-set gap reaches tol * c,
//      with an Anderson extrapolation every few epochs and, when the support is stable and CD
//      converges slowly, a Newton step on the support (its Cholesky factor updated, not
//      recomputed, as the support changes) that finishes it exactly; every such step is kept
//      only if the objective does not rise (see not_worse);
//   5. the gradient q = b - G w for all p features (outside W possibly from a cheaper pass with
//      error bounds, exact wherever it could decide anything), the full gap; KKT violators
//      outside W join it and 4 repeats.
// The gradient q carries over between alphas (it does not depend on alpha).
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>
#include <vector>

#include "shrinkage/blas.hpp"
#include "shrinkage/cd_kernels.hpp"
#include "shrinkage/cholesky.hpp"
#include "shrinkage/gram.hpp"

namespace shrinkage {

struct PathOptions {
  double l1_ratio = 1.0;
  bool positive = false;
  double tol = 1e-4;        // converged when gap <= tol * c, as in scikit-learn
  int max_iter = 1000;      // epochs per alpha
  bool screening = true;    // gap-safe screening
  bool newton = true;       // finish a stable support with a Cholesky step
  bool random_order = false;
  std::uint64_t seed = 0;
  // The caller returns float32 coefficients: certify the rounded point (solving to tol / 2 so
  // that rounding rarely matters; below float32's floor it is reported, not hidden).
  bool float32_output = false;
};

struct PathResult {
  std::vector<double> coefs;  // n_tasks x p x n_alphas, C order
  std::vector<double> gaps;   // scikit-learn's units (gap of the un-normalised problem / n)
  std::vector<int> n_iter;
  std::vector<char> converged;
};

// Polled between epochs (every few milliseconds) and after each alpha with the number of alphas
// finished; returning true abandons the path with PathInterrupted.
using Checkpoint = std::function<bool(int)>;
struct PathInterrupted : std::exception {
  const char* what() const noexcept override { return "path interrupted"; }
};

namespace detail {

inline int sign_of(double v) { return (v > 0) - (v < 0); }

// Everything the duality gap needs, accumulated over a set of features.
struct GapTerms {
  double wb = 0, wq = 0, l1norm = 0, l2sq = 0, dual_norm = 0, qsq = 0;
};

// Gap of the normalised problem. The dual point is the residual scaled to be feasible
// (formulation A); without an l1 term, the ridge dual (formulation B); as in scikit-learn.
inline double duality_gap(const GapTerms& g, double c, double l1, double l2) {
  const double r2 = c - g.wb - g.wq;  // ||y - Xw||^2 / n
  const double penalty = l1 * g.l1norm + 0.5 * l2 * g.l2sq;
  if (l1 > 0) {
    const double s = g.dual_norm > l1 ? l1 / g.dual_norm : 1.0;
    const double dual = -0.5 * s * s * (r2 + l2 * g.l2sq) + s * (c - g.wb);
    return 0.5 * r2 + penalty - dual;
  }
  if (l2 > 0) return r2 + penalty - (c - g.wb) + g.qsq / (2.0 * l2);
  return g.qsq;
}

}  // namespace detail

template <class T>
class ElasticNetPath {
 public:
  ElasticNetPath(GramSource<T>& gram, const double* b, int n_tasks, double c,
                 const PathOptions& opt, const Checkpoint& checkpoint)
      : gram_(gram), p_(gram.n_features()), nt_(n_tasks), c_(c), scale_(gram.scale()),
        opt_(opt), checkpoint_(checkpoint), b_(b, b + static_cast<std::size_t>(p_) * n_tasks),
        w_(b_.size(), 0.0), q_(b_), bound_(p_, 0.0), screened_(p_, 0), in_ws_(p_, 0),
        next_ws_(p_, 0), was_nonzero_(p_, 0), local_of_(p_, -1), rng_(opt.seed) {
    if (nt_ > 1 && opt_.positive)
      throw std::invalid_argument("positive=True is not supported with several targets");
    const double* d = gram_.diagonal();
    diag_.resize(p_);
    for (int j = 0; j < p_; ++j) diag_[j] = scale_ * d[j];
  }

  PathResult run(const double* alphas, int n_alphas, const double* coef_init) {
    PathResult out;
    out.coefs.assign(static_cast<std::size_t>(nt_) * p_ * n_alphas, 0.0);
    out.gaps.assign(n_alphas, 0.0);
    out.n_iter.assign(n_alphas, 0);
    out.converged.assign(n_alphas, 1);
    if (coef_init != nullptr) {
      std::copy(coef_init, coef_init + w_.size(), w_.begin());
      recompute_gradient();
    }
    last_poll_ = Clock::now();
    double l1_prev = dual_norm_all(0.0);
    for (int k = 0; k < n_alphas; ++k) {
      const double alpha = alphas[k];
      Point pt = solve(alpha, l1_prev);
      if (opt_.float32_output) pt = round_to_float32(alpha, pt);
      count_entered();
      out.gaps[k] = pt.gap;
      out.n_iter[k] = pt.epochs;
      out.converged[k] = pt.converged;
      for (int t = 0; t < nt_; ++t)
        for (int j = 0; j < p_; ++j)
          out.coefs[(static_cast<std::size_t>(t) * p_ + j) * n_alphas + k] = w(j, t);
      l1_prev = alpha * opt_.l1_ratio;
      if (checkpoint_ && checkpoint_(k + 1)) throw PathInterrupted();
      last_poll_ = Clock::now();
    }
    return out;
  }

 private:
  using Clock = std::chrono::steady_clock;
  struct Point {
    double gap;
    int epochs;
    bool converged;
  };
  enum class Newton { Full, Partial, Failed };
  static constexpr int kMaxStalls = 12;  // working-set tightenings without a violator

  double& w(int j, int t) { return w_[static_cast<std::size_t>(t) * p_ + j]; }
  double& q(int j, int t) { return q_[static_cast<std::size_t>(t) * p_ + j]; }
  double b(int j, int t) const { return b_[static_cast<std::size_t>(t) * p_ + j]; }

  // Row norm of v[j, :] (absolute value for one target; signed when positive).
  template <class F>
  double row_norm(F&& v) const {
    if (nt_ == 1) return opt_.positive ? v(0) : std::fabs(v(0));
    double s = 0;
    for (int t = 0; t < nt_; ++t) s += v(t) * v(t);
    return std::sqrt(s);
  }
  // An upper bound of |q_j - l2 w_j| (its value where q_j is exact).
  double grad_norm(int j, double l2) {
    return row_norm([&](int t) { return q(j, t) - l2 * w(j, t); }) + bound_[j];
  }
  bool nonzero(int j) {
    for (int t = 0; t < nt_; ++t)
      if (w(j, t) != 0.0) return true;
    return false;
  }

  double dual_norm_all(double l2) {
    double m = 0;
    for (int j = 0; j < p_; ++j) m = std::max(m, grad_norm(j, l2));
    return m;
  }

  // q = b - G w from scratch (no drift), using only the columns of the support; exact on the
  // working set and wherever its bound reaches threshold_ (all of it if the source has no
  // cheaper bounded pass).
  void recompute_gradient() {
    support_.clear();
    for (int j = 0; j < p_; ++j)
      if (nonzero(j)) support_.push_back(j);
    bounded_ = nt_ == 1 && std::isfinite(threshold_) &&
               gram_.bounded_gradient(b_.data(), w_.data(), support_, ws_, q_.data(),
                                      bound_.data(), source_scratch_);
    if (bounded_) {
      make_exact_where(threshold_);
      return;
    }
    gram_.gradient(b_.data(), w_.data(), nt_, support_, q_.data(), source_scratch_);
    std::fill(bound_.begin(), bound_.end(), 0.0);
  }

  // Makes q exact wherever its bound reaches `threshold`.
  void make_exact_where(double threshold) {
    if (!bounded_) return;
    bound_reaches(threshold, q_.data(), bound_.data(), p_, order_scratch_);
    gram_.make_exact(b_.data(), order_scratch_, q_.data(), bound_.data(), source_scratch_);
  }

  // q_j^2 in the ridge dual ||X^T r||^2 / (2 l2); with w >= 0 the conjugate of the penalty
  // only sees the positive part.
  double ridge_dual_term(double qj) const {
    const double v = opt_.positive ? std::max(qj, 0.0) : qj;
    return v * v;
  }

  // The duality gap at (w, q); also leaves the dual norm max_j ||q_j - l2 w_j|| in dual_norm_
  // for the screening that follows it.
  double full_gap(double l1, double l2) {
    detail::GapTerms g;
    if (nt_ == 1) {
      for (int j = 0; j < p_; ++j) {
        const double wj = w_[j], qj = q_[j], gj = qj - l2 * wj;
        g.wb += wj * b_[j];
        g.wq += wj * qj;
        g.l2sq += wj * wj;
        g.qsq += ridge_dual_term(qj);
        g.l1norm += std::fabs(wj);
        g.dual_norm = std::max(g.dual_norm, (opt_.positive ? gj : std::fabs(gj)) + bound_[j]);
      }
    } else {
      for (int t = 0; t < nt_; ++t)
        for (int j = 0; j < p_; ++j) {
          const double wj = w(j, t), qj = q(j, t);
          g.wb += wj * b(j, t);
          g.wq += wj * qj;
          g.l2sq += wj * wj;
          g.qsq += qj * qj;
        }
      for (int j = 0; j < p_; ++j) {
        g.l1norm += row_norm([&](int t) { return std::fabs(w(j, t)); });
        g.dual_norm = std::max(g.dual_norm, grad_norm(j, l2));
      }
    }
    dual_norm_ = g.dual_norm;
    return detail::duality_gap(g, c_, l1, l2);
  }

  // Gap-safe rule (Fercoq, Gramfort & Salmon 2015) in the normalised units: feature j is zero
  // at the optimum if 1 - |x_j^T theta| > sqrt(2 gap (G_jj + l2)) / l1. Called right after
  // full_gap (whose dual norm it uses). Returns true when a non-zero coefficient was screened
  // out (the gradient is then recomputed).
  bool screen(double gap, double l1, double l2) {
    if (!opt_.screening || l1 <= 0 || !(gap > 0)) return false;
    const double scale = std::max(l1, dual_norm_);
    const double radius = std::sqrt(2.0 * gap) / l1;
    bool zeroed = false;
    for (int j = 0; j < p_; ++j) {
      if (screened_[j]) continue;
      const double u = grad_norm(j, l2) / scale;
      const double u_abs = opt_.positive ? u : std::fabs(u);
      if (1.0 - u_abs > radius * std::sqrt(diag_[j] + l2)) {
        screened_[j] = 1;
        if (nonzero(j)) {
          for (int t = 0; t < nt_; ++t) w(j, t) = 0.0;
          zeroed = true;
        }
      }
    }
    if (zeroed) recompute_gradient();
    return zeroed;
  }

  // The gap of the coefficients as they will be returned, in float32.
  Point round_to_float32(double alpha, Point pt) {
    for (double& v : w_) v = static_cast<double>(static_cast<float>(v));
    recompute_gradient();
    const double l1 = alpha * opt_.l1_ratio;
    pt.gap = full_gap(l1, alpha - l1);
    pt.converged = pt.converged && pt.gap <= opt_.tol * c_;
    return pt;
  }

  Point solve(double alpha, double l1_prev) {
    const double l1 = alpha * opt_.l1_ratio, l2 = alpha - l1;
    const double tol_abs = opt_.tol * c_ * (opt_.float32_output ? 0.5 : 1.0);
    // Entries of q that reach l1 are exact, so are the KKT checks and the dual norm's excess
    // over l1 in the gap; the strong rule ranks by the bounds and the features it admits are
    // made exact. Without an l1 term the gap needs all of q.
    threshold_ = l1 > 0 ? l1 : -std::numeric_limits<double>::infinity();
    if (std::isfinite(threshold_)) make_exact_where(threshold_);
    else if (bounded_) recompute_gradient();
    double gap = full_gap(l1, l2);
    if (gap <= tol_abs) return {gap, 0, true};

    std::fill(screened_.begin(), screened_.end(), 0);
    if (screen(gap, l1, l2)) gap = full_gap(l1, l2);
    // Working set: the support and the sequential strong rule's survivors. Survivors whose Gram
    // column is at hand cost almost nothing (a zero that stays zero skips its axpy); those that
    // would need a new column are admitted best first, about twice as many as entered the
    // model at the previous alpha (on correlated data the rule passes nearly every feature near
    // alpha_max; KKT checks catch what it misses). Features keep their place in the previous
    // working set, so the packed block is regathered only when some feature left.
    const double strong = 2.0 * l1 - l1_prev;
    auto& costly = violators_;
    costly.clear();
    for (int j = 0; j < p_; ++j) {
      if (screened_[j]) continue;
      const bool in_model = nonzero(j);
      const double g = in_model ? 0.0 : grad_norm(j, 0.0);
      const bool survives = !in_model && g >= strong;
      next_ws_[j] = in_model || (survives && (in_ws_[j] || gram_.is_cheap(j)));
      if (survives && !next_ws_[j]) costly.emplace_back(g, j);
    }
    keep_in_working_set([&](int j) { return !screened_[j] && next_ws_[j]; });
    for (int j = 0; j < p_; ++j)
      if (!in_ws_[j] && !screened_[j] && next_ws_[j]) admit(j);
    admit_best(costly, std::max<std::size_t>(4, 2 * entered_));
    if (bounded_) {  // the block's gradient must be exact
      auto& inexact = order_scratch_;
      inexact.clear();
      for (int j : ws_)
        if (bound_[j] > 0.0) inexact.push_back(j);
      gram_.make_exact(b_.data(), inexact, q_.data(), bound_.data(), source_scratch_);
    }

    int epochs = 0, stalls = 0;
    double inner_target = tol_abs;
    while (true) {
      load_block();
      run_epochs(l1, l2, inner_target, epochs);
      store_block();
      recompute_gradient();
      gap = full_gap(l1, l2);
      if (gap <= tol_abs) return {gap, epochs, true};
      if (epochs >= opt_.max_iter) return {gap, epochs, false};
      if (screen(gap, l1, l2)) {
        gap = full_gap(l1, l2);
        if (gap <= tol_abs) return {gap, epochs, true};
      }
      keep_in_working_set([&](int j) { return !screened_[j]; });
      if (!add_violators(l1)) {
        // Only the drift of the incremental gradient is left: ask the working set for more.
        // Bounded, so the loop always ends (each pass also runs an epoch or adds features).
        inner_target *= 0.25;
        if (++stalls > kMaxStalls) return {gap, epochs, false};
      }
    }
  }

  // How many features entered the model at the alpha just solved (sizes the next admission).
  void count_entered() {
    entered_ = 0;
    for (int j = 0; j < p_; ++j) {
      const char now = nonzero(j);
      entered_ += now && !was_nonzero_[j];
      was_nonzero_[j] = now;
    }
  }

  // Keeps the working-set features for which keep(j) holds, in their order, compacting the
  // packed block in place (a few copies instead of recomputing it).
  template <class Keep>
  void keep_in_working_set(Keep&& keep) {
    const int m = static_cast<int>(ws_.size());
    auto& kept = order_scratch_;
    kept.clear();
    for (int i = 0; i < m; ++i) {
      if (keep(ws_[i]))
        kept.push_back(i);
      else
        in_ws_[ws_[i]] = 0;
    }
    if (static_cast<int>(kept.size()) == m) return;
    const std::size_t ld = static_cast<std::size_t>(ld_);
    const int packed = std::min(block_m_, m);
    int new_packed = 0;
    for (int k = 0; k < static_cast<int>(kept.size()); ++k) {
      ws_[k] = ws_[kept[k]];
      if (kept[k] < packed) {  // indices only move down, so in-place copies are safe
        for (int i = 0; i < static_cast<int>(kept.size()) && kept[i] < packed; ++i)
          H_[k * ld + i] = H_[kept[k] * ld + kept[i]];
        new_packed = k + 1;
      }
    }
    ws_.resize(kept.size());
    block_m_ = new_packed;
  }

  void admit(int j) {
    in_ws_[j] = 1;
    ws_.push_back(j);
  }

  // Adds the features outside W that violate the optimality conditions, worst first; at most
  // max(16, 2 |support|) at a time (celer's growth), as each may cost a new Gram column.
  bool add_violators(double l1) {
    auto& viol = violators_;
    viol.clear();
    for (int j = 0; j < p_; ++j) {
      if (in_ws_[j] || screened_[j]) continue;
      const double v = grad_norm(j, 0.0) - l1;
      if (v > 0) viol.emplace_back(v, j);
    }
    if (viol.empty()) return false;
    std::size_t support = 0;
    for (double v : ww_) support += v != 0.0;
    admit_best(viol, std::max<std::size_t>(16, 2 * support));
    return true;
  }

  // Appends the `cap` highest-scored (score, feature) pairs to the working set.
  void admit_best(std::vector<std::pair<double, int>>& scored, std::size_t cap) {
    if (scored.size() > cap) {
      std::nth_element(scored.begin(), scored.begin() + cap, scored.end(), std::greater<>());
      scored.resize(cap);
    }
    for (const auto& v : scored)
      if (!in_ws_[v.second]) admit(v.second);
  }

  // Packs G[W, W] (scaled, double) with leading dimension ld_, and the working-set slices of
  // w, q, b. W only grows between rebuilds, so only the new rows and columns are gathered.
  void load_block() {
    const int m = static_cast<int>(ws_.size());
    if (m > ld_) {  // grow the storage, keeping the packed columns (each cost O(n m) to make)
      const int ld = std::max(m, 2 * ld_);
      std::vector<double> grown(static_cast<std::size_t>(ld) * ld, 0.0);
      for (int k = 0; k < block_m_; ++k)
        std::copy_n(H_.begin() + std::size_t(k) * ld_, block_m_, grown.begin() + std::size_t(k) * ld);
      H_.swap(grown);
      ld_ = ld;
    }
    const std::size_t ld = static_cast<std::size_t>(ld_);
    gram_.fill_block(ws_.data(), m, block_m_, H_.data(), ld_, source_scratch_);
    for (int k = 0; k < block_m_; ++k)
      for (int i = block_m_; i < m; ++i) H_[k * ld + i] = H_[i * ld + k];
    block_m_ = m;

    const std::size_t mt = static_cast<std::size_t>(m) * nt_;
    ww_.resize(mt);
    qw_.resize(mt);
    bw_.resize(mt);
    for (int t = 0; t < nt_; ++t)
      for (int i = 0; i < m; ++i) {
        ww_[std::size_t(t) * m + i] = w(ws_[i], t);
        qw_[std::size_t(t) * m + i] = q(ws_[i], t);
        bw_[std::size_t(t) * m + i] = b(ws_[i], t);
      }
    order_.resize(m);
    std::iota(order_.begin(), order_.end(), 0);
  }

  void store_block() {
    const int m = static_cast<int>(ws_.size());
    for (int t = 0; t < nt_; ++t)
      for (int i = 0; i < m; ++i) w(ws_[i], t) = ww_[std::size_t(t) * m + i];
  }

  double block_gap(double l1, double l2) const {
    const int m = static_cast<int>(ws_.size());
    detail::GapTerms g;
    for (int i = 0; i < m; ++i) {
      double row_abs = 0, row_grad = 0;
      for (int t = 0; t < nt_; ++t) {
        const std::size_t at = std::size_t(t) * m + i;
        const double wi = ww_[at], qi = qw_[at];
        g.wb += wi * bw_[at];
        g.wq += wi * qi;
        g.l2sq += wi * wi;
        g.qsq += ridge_dual_term(qi);
        row_abs += wi * wi;
        row_grad += (qi - l2 * wi) * (qi - l2 * wi);
      }
      if (nt_ == 1) {
        const double gi = qw_[i] - l2 * ww_[i];
        g.l1norm += std::fabs(ww_[i]);
        g.dual_norm = std::max(g.dual_norm, opt_.positive ? gi : std::fabs(gi));
      } else {
        g.l1norm += std::sqrt(row_abs);
        g.dual_norm = std::max(g.dual_norm, std::sqrt(row_grad));
      }
    }
    return detail::duality_gap(g, c_, l1, l2);
  }

  // Objective on W up to the constant c/2: -1/2 <w, b + q> + penalty.
  double block_objective(double l1, double l2) const {
    const std::size_t m = ws_.size();
    double smooth = 0, l1norm = 0, l2sq = 0;
    for (std::size_t i = 0; i < ww_.size(); ++i) {
      smooth -= 0.5 * ww_[i] * (bw_[i] + qw_[i]);
      l2sq += ww_[i] * ww_[i];
    }
    for (std::size_t i = 0; i < m; ++i) {
      double row = 0;
      for (int t = 0; t < nt_; ++t) row += ww_[t * m + i] * ww_[t * m + i];
      l1norm += std::sqrt(row);
    }
    return smooth + l1 * l1norm + 0.5 * l2 * l2sq;
  }

  // Anderson extrapolation (as in skglm) of the last kAnderson + 1 CD iterates: w_acc is the
  // affine combination that minimises the norm of the combined successive differences. q is
  // affine in w, so it extrapolates with the same weights. Kept only if the objective drops.
  static constexpr int kAnderson = 5;
  void anderson_record() {
    history_w_.push_back(ww_);
    history_q_.push_back(qw_);
    if (history_w_.size() > kAnderson + 1) {
      history_w_.erase(history_w_.begin());
      history_q_.erase(history_q_.begin());
    }
  }
  bool anderson_step(double l1, double l2) {
    if (history_w_.size() != kAnderson + 1) return false;
    const std::size_t len = ww_.size();
    double gram[kAnderson][kAnderson];
    for (int i = 0; i < kAnderson; ++i)
      for (int j = 0; j <= i; ++j) {
        double s = 0;
        for (std::size_t e = 0; e < len; ++e)
          s += (history_w_[i + 1][e] - history_w_[i][e]) * (history_w_[j + 1][e] - history_w_[j][e]);
        gram[i][j] = gram[j][i] = s;
      }
    double z[kAnderson];
    if (!solve_small_spd(gram, z)) return false;
    double total = 0;
    for (double v : z) total += v;
    if (!(std::fabs(total) > 0)) return false;
    const double before = block_objective(l1, l2);
    w_saved_ = ww_;
    q_saved_ = qw_;
    std::fill(ww_.begin(), ww_.end(), 0.0);
    std::fill(qw_.begin(), qw_.end(), 0.0);
    for (int i = 0; i < kAnderson; ++i) {
      const double c = z[i] / total;
      for (std::size_t e = 0; e < len; ++e) {
        ww_[e] += c * history_w_[i + 1][e];
        qw_[e] += c * history_q_[i + 1][e];
      }
    }
    bool feasible = true;
    if (opt_.positive)
      for (double v : ww_) feasible &= v >= 0;
    if (!feasible || !(block_objective(l1, l2) < before)) {
      ww_.swap(w_saved_);
      qw_.swap(q_saved_);
      return false;
    }
    return true;
  }
  // Solves A z = 1 for a small SPD matrix (Cholesky with a relative ridge against rank loss).
  static bool solve_small_spd(double (&a)[kAnderson][kAnderson], double (&z)[kAnderson]) {
    double trace = 0;
    for (int i = 0; i < kAnderson; ++i) trace += a[i][i];
    if (!(trace > 0)) return false;
    for (int i = 0; i < kAnderson; ++i) a[i][i] += 1e-12 * trace;
    double l[kAnderson][kAnderson] = {};
    for (int j = 0; j < kAnderson; ++j) {
      double d = a[j][j];
      for (int k = 0; k < j; ++k) d -= l[j][k] * l[j][k];
      if (!(d > 0)) return false;
      l[j][j] = std::sqrt(d);
      for (int i = j + 1; i < kAnderson; ++i) {
        double s = a[i][j];
        for (int k = 0; k < j; ++k) s -= l[i][k] * l[j][k];
        l[i][j] = s / l[j][j];
      }
    }
    double y[kAnderson];
    for (int i = 0; i < kAnderson; ++i) {
      double s = 1.0;
      for (int k = 0; k < i; ++k) s -= l[i][k] * y[k];
      y[i] = s / l[i][i];
    }
    for (int i = kAnderson - 1; i >= 0; --i) {
      double s = y[i];
      for (int k = i + 1; k < kAnderson; ++k) s -= l[k][i] * z[k];
      z[i] = s / l[i][i];
    }
    return true;
  }

  void poll() {
    const auto now = Clock::now();
    if (now - last_poll_ < std::chrono::milliseconds(20)) return;
    last_poll_ = now;
    if (checkpoint_ && checkpoint_(-1)) throw PathInterrupted();
  }

  void run_epochs(double l1, double l2, double target, int& epochs) {
    const int m = static_cast<int>(ws_.size());
    if (m == 0) return;
    double previous = std::numeric_limits<double>::infinity();
    bool newton_blocked = false;
    history_w_.clear();
    history_q_.clear();
    // Predictor: from the previous alpha's solution, one Newton step on its support follows
    // the (locally linear) path to this alpha; the factor is usually cached, so it costs O(s^2)
    // plus s^2 for each of the features expected to enter (as many as entered last time).
    // Without an l1 term (and without w >= 0) the whole working set is the support: this one
    // Cholesky solve is the exact ridge solution, no CD needed.
    const bool ridge = l1 == 0.0 && !opt_.positive;
    if (opt_.newton && epochs == 0 && epochs < opt_.max_iter &&
        (ridge || std::any_of(ww_.begin(), ww_.end(), [](double v) { return v != 0.0; }))) {
      ++epochs;
      newton_any(l1, l2, entered_);
      if (block_gap(l1, l2) <= target) return;
    }
    anderson_record();
    while (epochs < opt_.max_iter) {
      if (opt_.random_order) std::shuffle(order_.begin(), order_.end(), rng_);
      const EpochResult r =
          nt_ == 1 ? cd_epoch(m, H_.data(), ld_, ww_.data(), qw_.data(), order_.data(), l1, l2,
                              opt_.positive)
                   : cd_epoch_group(m, nt_, H_.data(), ld_, ww_.data(), qw_.data(), order_.data(),
                                    l1, l2);
      ++epochs;
      anderson_record();
      if (history_w_.size() == kAnderson + 1 && epochs % kAnderson == 0 &&
          anderson_step(l1, l2)) {
        history_w_.clear();
        history_q_.clear();
        anderson_record();
      }
      double gap = block_gap(l1, l2);
      if (gap <= target) return;
      poll();
      if (r.support_changed) newton_blocked = false;
      if (opt_.newton && !newton_blocked && !r.support_changed && epochs < opt_.max_iter &&
          newton_pays_off(gap, previous, target, l1, r.n_changed)) {
        ++epochs;
        const Newton outcome = newton_any(l1, l2);
        if (outcome == Newton::Failed) newton_blocked = true;
        else {
          history_w_.clear();
          history_q_.clear();
          anderson_record();
        }
        gap = block_gap(l1, l2);
        if (gap <= target) return;
      }
      previous = gap;
    }
  }

  // Linear convergence at the observed rate needs `needed` more epochs, each costing about
  // m (1 + changed) multiply-adds; take a Newton step when it costs less (newton_cost).
  bool newton_pays_off(double gap, double previous, double target, double l1, int changed) {
    const int m = static_cast<int>(ws_.size());
    int s = 0;
    for (int i = 0; i < m; ++i) s += (row_nonzero(i) || (l1 == 0.0 && !opt_.positive));
    if (s == 0) return false;
    const double rate = gap / previous;
    const double needed = rate < 1.0 ? std::log(target / gap) / std::log(rate)
                                     : std::numeric_limits<double>::infinity();
    return needed * double(m) * (1 + changed) * nt_ > newton_cost(s);
  }

  // A Newton step on a support of s features in epoch units (an epoch's axpy multiply-adds,
  // which stream the block from cache). Measured on the 2-core machine at s ~ 1000, a
  // triangular solve on the cached factor (BLAS trsv) runs about twice as fast per
  // multiply-add and a blocked factorisation (BLAS-3) about five times. Single task: the
  // support's features missing from the cached factor are appended (s^2 / 2 each, counted at
  // solve speed: a block append of a few features is trsm on a thin block, and counting it
  // at BLAS-3 speed took Newton too early, W1 423 -> 450 epochs) or, when they are a third
  // of it, the factor is made afresh (s^3 / 6); then each active-set round solves (s^2;
  // their count per step is a running mean) and q follows (s m). Multi-task: the
  // (s n_tasks)-square Jacobian is assembled and factorised afresh at every step, mostly at
  // sizes too small for blocking to pay, so its (s n_tasks)^3 / 6 counts at epoch speed.
  double newton_cost(int s) {
    constexpr double kSolveSpeedup = 2.0, kFactorSpeedup = 5.0;
    const int m = static_cast<int>(ws_.size());
    const double update_q = double(s) * m * nt_;
    if (nt_ > 1) {
      const double st = double(s) * nt_;
      return st * st * st / 6.0 + update_q;
    }
    for (int f : factor_features_) local_of_[f] = 0;
    int fresh = 0;
    for (int i = 0; i < m; ++i) fresh += ww_[i] != 0.0 && local_of_[ws_[i]] < 0;
    for (int f : factor_features_) local_of_[f] = -1;
    const double ss = double(s) * s;
    const double factor = 3 * fresh <= s ? fresh * ss / 2.0 / kSolveSpeedup
                                         : ss * s / 6.0 / kFactorSpeedup;
    return factor + mean_solves_ * ss / kSolveSpeedup + update_q;
  }

  bool row_nonzero(int i) const {
    const std::size_t m = ws_.size();
    for (int t = 0; t < nt_; ++t)
      if (ww_[t * m + i] != 0.0) return true;
    return false;
  }

  // A Newton step is kept if the objective did not rise above its rounding error: near the
  // solution its decrease (about the squared gradient) drops below what double can resolve while
  // the gradient, which the duality gap certifies, still improves by orders of magnitude.
  static bool not_worse(double after, double before) {
    return after <= before + 1e-13 * std::fabs(before);
  }

  Newton newton_any(double l1, double l2, std::size_t entering = 0) {
    return nt_ == 1 ? newton_step(l1, l2, entering) : newton_group_step(l1, l2);
  }

  // Multi-task (l2,1) Newton step on the rows S with w_j != 0: the optimality conditions
  // -q_j + l2 w_j + l1 w_j / ||w_j|| = 0 are smooth there; their Jacobian is
  // G_SS (x) I + l2 I + blockdiag(l1 / ||w_j|| (I - u_j u_j^T)), u_j = w_j / ||w_j||, which is
  // positive definite when G_SS + l2 I is. The step is backtracked on the true objective and
  // kept only if it does not rise (not_worse).
  Newton newton_group_step(double l1, double l2) {
    const int m = static_cast<int>(ws_.size()), nt = nt_;
    const std::size_t ld = static_cast<std::size_t>(ld_), mm = static_cast<std::size_t>(m);
    auto& S = support_;
    S.clear();
    for (int i = 0; i < m; ++i)
      if (row_nonzero(i) || l1 == 0.0) S.push_back(i);
    const int s = static_cast<int>(S.size()), n = s * nt;
    const std::size_t ldj = static_cast<std::size_t>(n);
    A_.assign(ldj * n, 0.0);
    d_.assign(n, 0.0);
    for (int a = 0; a < s; ++a) {
      const int i = S[a];
      double norm = 0;
      for (int t = 0; t < nt; ++t) norm += ww_[t * mm + i] * ww_[t * mm + i];
      norm = std::sqrt(norm);
      const double* hi = H_.data() + i * ld;
      for (int b = a; b < s; ++b)
        for (int t = 0; t < nt; ++t) A_[(a * nt + t) * ldj + (b * nt + t)] = hi[S[b]];
      for (int t = 0; t < nt; ++t) {
        const double wt = ww_[t * mm + i];
        const double u_t = norm > 0 ? wt / norm : 0.0;
        for (int t2 = t; t2 < nt && norm > 0; ++t2) {
          const double u_t2 = ww_[t2 * mm + i] / norm;
          A_[(a * nt + t) * ldj + (a * nt + t2)] += l1 / norm * ((t == t2) - u_t * u_t2);
        }
        A_[(a * nt + t) * ldj + (a * nt + t)] += l2;
        d_[a * nt + t] = qw_[t * mm + i] - l2 * wt - l1 * u_t;
      }
    }
    if (cholesky_factor(n, A_.data(), n) >= 0) return Newton::Failed;
    cholesky_solve(n, A_.data(), n, d_.data());
    // dq = H[:, S] d (m x nt): q moves by -step * dq.
    work_.assign(mm * nt, 0.0);
    for (int a = 0; a < s; ++a)
      for (int t = 0; t < nt; ++t)
        axpy_sub(m, -d_[a * nt + t], H_.data() + S[a] * ld, work_.data() + t * mm);
    const double before = block_objective(l1, l2);
    w_saved_ = ww_;
    q_saved_ = qw_;
    for (double step = 1.0; step > 1e-3; step *= 0.5) {
      for (int a = 0; a < s; ++a)
        for (int t = 0; t < nt; ++t)
          ww_[t * mm + S[a]] = w_saved_[t * mm + S[a]] + step * d_[a * nt + t];
      for (std::size_t e = 0; e < qw_.size(); ++e) qw_[e] = q_saved_[e] - step * work_[e];
      if (not_worse(block_objective(l1, l2), before))
        return step == 1.0 ? Newton::Full : Newton::Partial;
    }
    ww_.swap(w_saved_);
    qw_.swap(q_saved_);
    return Newton::Failed;
  }

  // Adds to support_ the `count` zero coordinates of W whose gradient exceeds l1 most, with
  // that gradient's sign in sign_.
  void add_entering(double l1, std::size_t count) {
    auto& candidates = violators_;
    candidates.clear();
    for (int i = 0; i < static_cast<int>(ws_.size()); ++i) {
      const double g = opt_.positive ? qw_[i] : std::fabs(qw_[i]);
      if (ww_[i] == 0.0 && g > l1) candidates.emplace_back(g - l1, i);
    }
    if (candidates.size() > count) {
      std::nth_element(candidates.begin(), candidates.begin() + count, candidates.end(),
                       std::greater<>());
      candidates.resize(count);
    }
    for (const auto& c : candidates) {
      sign_[c.second] = detail::sign_of(qw_[c.second]);
      support_.push_back(c.second);
    }
  }

  // Solves the optimality conditions on the support S with its signs fixed:
  // (G_SS + l2 I) d = q_S - l2 w_S - l1 sign_S. If the full step would flip a sign, it steps
  // to the first sign change (still a descent step), drops that coordinate from S and solves
  // again: an active-set iteration of a few rounds. A singular G_SS (more non-zeros than the
  // rank of X, as CD iterates have on wide data) gets a tiny ridge so the rounds can shrink S.
  // `entering` zero coordinates that violate their optimality condition most join S with the
  // sign of their gradient (the predictor passes as many as entered at the previous alpha);
  // one whose step has the other sign cannot enter and leaves S before any step is taken.
  // The result is kept only if the objective does not rise (not_worse). Each round costs one
  // solve on the cached factor; near saturation (support ~ n) a step needs dozens of them, and
  // a step cut short leaves CD epochs that cost more (32 rounds against 16, A/B: five
  // 1000 x 10000 draws 2.15 -> 2.00 s in all, 2000 x 5000 rho 0.8 1.59 -> 1.16 s, T3 equal).
  static constexpr int kNewtonRounds = 32;
  Newton newton_step(double l1, double l2, std::size_t entering = 0) {
    const int m = static_cast<int>(ws_.size());
    const std::size_t ld = static_cast<std::size_t>(ld_);
    auto& S = support_;
    S.clear();
    // With an l1 term or w >= 0 the signs are fixed and a step stops where one would change.
    const bool signed_support = l1 > 0.0 || opt_.positive;
    sign_.resize(m);
    for (int i = 0; i < m; ++i) {
      sign_[i] = detail::sign_of(ww_[i]);
      if (ww_[i] != 0.0 || !signed_support) S.push_back(i);
    }
    if (signed_support && entering > 0) add_entering(l1, entering);
    const double before = block_objective(l1, l2);
    w_saved_ = ww_;
    q_saved_ = qw_;
    Newton outcome = Newton::Failed;
    int solves = 0;
    for (int round = 0; round < kNewtonRounds && !S.empty(); ++round) {
      if (!solve_on_support(l1, l2)) break;
      ++solves;
      const int s = static_cast<int>(S.size());
      int kept = 0;
      for (int a = 0; a < s; ++a)
        if (!signed_support || ww_[S[a]] != 0.0 || detail::sign_of(d_[a]) == sign_[S[a]])
          S[kept++] = S[a];
      if (kept < s) {  // entering coordinates that cannot enter: solve without them
        S.resize(kept);
        continue;
      }
      double step = 1.0;
      int blocking = -1;
      if (signed_support)
        for (int a = 0; a < s; ++a) {
          const double wi = ww_[S[a]];
          if (wi != 0.0 && detail::sign_of(wi + d_[a]) != sign_[S[a]] && -wi / d_[a] < step) {
            step = -wi / d_[a];
            blocking = a;
          }
        }
      // Between rounds only q_S is needed: the solve gave G_SS d = r - (l2 + ridge) d for its
      // right-hand side r, so q_S moves in O(s); the rest of q follows once, after the rounds.
      for (int a = 0; a < s; ++a) {
        const int i = S[a];
        const double r = qw_[i] - l2 * ww_[i] - l1 * sign_[i];
        ww_[i] += (a == blocking) ? -ww_[i] : step * d_[a];
        qw_[i] -= step * (r - (l2 + factor_ridge_) * d_[a]);
      }
      if (blocking < 0) {
        outcome = Newton::Full;
        break;
      }
      ww_[S[blocking]] = 0.0;
      S.erase(S.begin() + blocking);
      outcome = Newton::Partial;
    }
    mean_solves_ += 0.25 * (solves - mean_solves_);
    qw_ = q_saved_;
    for (int i = 0; i < m; ++i)
      if (ww_[i] != w_saved_[i]) axpy_sub(m, ww_[i] - w_saved_[i], H_.data() + i * ld, qw_.data());
    const double after = block_objective(l1, l2);
    if (outcome == Newton::Failed || !not_worse(after, before)) {
      ww_.swap(w_saved_);
      qw_.swap(q_saved_);
      return Newton::Failed;
    }
    return outcome;
  }

  // d = (G_SS + l2 I)^{-1} (q_S - l2 w_S - l1 sign(w_S)), with S reordered to the factor's
  // order; false if even a ridged system fails. The factor of the previous solve follows the
  // support: features that left are deleted (rank-one updates), new ones appended (a block
  // triangular solve, as LARS appends one at a time). A fresh factorisation (blocked, BLAS-3)
  // is taken when most of the support is new, when l2 changed, or with a tiny ridge when a
  // column is numerically dependent on the others; that ridge then stays in the factor while
  // it is updated (on saturated wide data nearly every support is rank-deficient).
  bool solve_on_support(double l1, double l2) {
    auto& S = support_;
    const int s = static_cast<int>(S.size());
    for (int a = 0; a < s; ++a) local_of_[ws_[S[a]]] = S[a];
    if (factor_l2_ != l2) factor_features_.clear();
    for (int k = static_cast<int>(factor_features_.size()) - 1; k >= 0; --k)
      if (local_of_[factor_features_[k]] < 0) {
        work_.resize(factor_features_.size());
        cholesky_delete(static_cast<int>(factor_features_.size()), A_.data(), factor_ld_, k,
                        work_.data());
        factor_features_.erase(factor_features_.begin() + k);
      }
    const int kept = static_cast<int>(factor_features_.size());
    for (int f : factor_features_) local_of_[f] = -2 - local_of_[f];  // mark "in the factor"
    std::vector<int>& order = order_scratch_;
    order.clear();
    for (int f : factor_features_) order.push_back(-2 - local_of_[f]);
    for (int a = 0; a < s; ++a)
      if (local_of_[ws_[S[a]]] >= 0) order.push_back(S[a]);
    for (int a = 0; a < s; ++a) local_of_[ws_[S[a]]] = -1;
    S.swap(order);
    reserve_factor(s);
    factor_l2_ = l2;
    bool ok = 3 * (s - kept) <= s;  // appending costs ~(s - kept) s^2
    if (ok && kept < s) {
      // The new features' rows of G_SS + (l2 + ridge) I, in the factor's storage.
      const std::size_t ld = static_cast<std::size_t>(ld_), fld = std::size_t(factor_ld_);
      for (int r = 0; r < s; ++r) {  // column r of the factor, from column S[r] of H
        const double* hr = H_.data() + S[r] * ld;
        double* column = A_.data() + r * fld;
        for (int a = std::max(r, kept); a < s; ++a) column[a] = hr[S[a]];
      }
      for (int a = kept; a < s; ++a) A_[a * fld + a] += l2 + factor_ridge_;
      ok = cholesky_append(kept, s - kept, A_.data(), factor_ld_, 1e-12);
    }
    if (!ok && !factor_from_scratch(l2)) return false;
    factor_features_.resize(s);
    for (int a = 0; a < s; ++a) factor_features_[a] = ws_[S[a]];
    d_.resize(s);
    for (int a = 0; a < s; ++a)
      d_[a] = qw_[S[a]] - l2 * ww_[S[a]] - l1 * sign_[S[a]];
    cholesky_solve(s, A_.data(), factor_ld_, d_.data());
    return true;
  }

  // Grows the factor's storage to hold s x s, keeping what it holds.
  void reserve_factor(int s) {
    if (factor_ld_ >= s) return;
    const int ld = std::max(s, 2 * factor_ld_);
    std::vector<double> grown(static_cast<std::size_t>(ld) * ld, 0.0);
    const int n = static_cast<int>(factor_features_.size());
    for (int j = 0; j < n; ++j)
      std::copy_n(A_.begin() + std::size_t(j) * factor_ld_, n, grown.begin() + std::size_t(j) * ld);
    A_.swap(grown);
    factor_ld_ = ld;
  }

  // Factorises G_SS + l2 I in S's order; with a ridge of 1e-10 max diag if singular.
  bool factor_from_scratch(double l2) {
    const auto& S = support_;
    const int s = static_cast<int>(S.size());
    const std::size_t ld = static_cast<std::size_t>(ld_), fld = std::size_t(factor_ld_);
    double max_diag = 0;
    for (int a = 0; a < s; ++a) max_diag = std::max(max_diag, H_[S[a] * ld + S[a]]);
    for (const double ridge : {0.0, 1e-10 * max_diag}) {
      for (int a = 0; a < s; ++a) {
        const double* ha = H_.data() + S[a] * ld;
        for (int r = a; r < s; ++r) A_[a * fld + r] = ha[S[r]];
        A_[a * fld + a] += l2 + ridge;
      }
      factor_ridge_ = ridge;
      if (cholesky_factor(s, A_.data(), factor_ld_) < 0) return true;
    }
    factor_features_.clear();
    return false;
  }

  GramSource<T>& gram_;
  const int p_, nt_;
  const double c_, scale_;
  double dual_norm_ = 0;  // of the last full_gap
  const PathOptions opt_;
  const Checkpoint& checkpoint_;
  std::vector<double> b_, w_, q_, diag_;
  // q_[j] is exact to within bound_[j] (0 for exact entries): outside the working set the
  // gradient may come from a cheaper pass, exact wherever |q_j| + bound_j reaches threshold_
  // (l1).
  std::vector<double> bound_;
  double threshold_ = -std::numeric_limits<double>::infinity();
  bool bounded_ = false;  // whether q_ came from a bounded pass (else bound_ is 0)
  std::vector<char> screened_, in_ws_, next_ws_, was_nonzero_;
  std::vector<int> sign_;      // scratch of newton_step: the sign each coordinate is solved with
  std::vector<int> local_of_;  // scratch: feature -> working-set index (-1 when unused)
  std::size_t entered_ = 0;
  double mean_solves_ = 4;  // solves per Newton step, a running mean (for its cost model)
  std::vector<int> ws_, order_, support_, order_scratch_;
  std::vector<std::pair<double, int>> violators_;
  int block_m_ = 0, ld_ = 0;  // rows/columns of H_ that are packed, and its leading dimension
  // A_ (leading dimension factor_ld_) holds the Cholesky factor of G_SS + (l2 + ridge) I for
  // the features factor_features_, made for factor_l2_ with ridge factor_ridge_ (usually 0).
  int factor_ld_ = 0;
  double factor_l2_ = -1, factor_ridge_ = 0;
  std::vector<int> factor_features_;
  std::vector<double> H_, A_, d_, work_, ww_, qw_, bw_, w_saved_, q_saved_;
  SourceScratch source_scratch_;
  std::vector<std::vector<double>> history_w_, history_q_;
  std::mt19937_64 rng_;
  Clock::time_point last_poll_;
};

// Convenience entry point: one path from the Gram source and b = X^T y / n (p x n_tasks,
// column-major), c = sum of ||y_t||^2 / n; coef_init (p x n_tasks) or null.
template <class T>
PathResult enet_path(GramSource<T>& gram, const double* b, int n_tasks, double c,
                     const double* alphas, int n_alphas, const double* coef_init,
                     const PathOptions& opt, const Checkpoint& checkpoint) {
  ElasticNetPath<T> path(gram, b, n_tasks, c, opt, checkpoint);
  return path.run(alphas, n_alphas, coef_init);
}

}  // namespace shrinkage
