// The residual-form working-set solver: cyclic coordinate descent on W that keeps the fit
// f = X w (n entries) instead of a packed Gram block. A coordinate's gradient is read from f
// and its update is an axpy over the column's stored entries, so one update costs 2 entries(x_j)
// multiply-adds where a block column costs |W|: the solver for sparse X, whose working sets
// grow into the thousands, and for dense X whose working set outgrows n. Anderson
// extrapolation every few epochs; the block's gap from the exact q on W after every epoch.
// Row weights and column centres act through the design's columns (X is never centred or
// copied by this solver).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "shrinkage/anderson.hpp"
#include "shrinkage/block.hpp"
#include "shrinkage/gap.hpp"
#include "shrinkage/path_types.hpp"
#include "shrinkage/working_columns.hpp"

namespace shrinkage {

template <class Penalty>
class ResidualSolver {
 public:
  ResidualSolver(const PathOptions& opt, Poller& poller)
      : opt_(opt), poller_(poller), rng_(opt.seed) {}

  // W's columns, W's slices of the whole problem's w and b, its scaled Gram diagonal, and the
  // fit X w (w is zero outside W). `columns` must stay valid until store().
  void load(const Penalty& pen, const WorkingColumns& columns, const std::vector<int>& features,
            const double* w, const double* b, const double* diag) {
    const int m = static_cast<int>(features.size());
    x_cols_ = columns;
    fit_.resize(static_cast<std::size_t>(columns.n));
    features_ = features;
    x_.m = m;
    x_.w.resize(m);
    x_.q.resize(m);
    x_.b.resize(m);
    diag_.resize(m);
    x_.coords.clear();
    for (int i = 0; i < m; ++i) {
      const int j = features[i];
      x_.w[i] = w[j];
      x_.b[i] = b[j];
      diag_[i] = diag[j];
      if (!pen.uniform()) x_.coords.push_back(pen.coordinate(j));
    }
    refit();
    order_.resize(m);
    std::iota(order_.begin(), order_.end(), 0);
  }
  void store(double* w) const {
    for (int i = 0; i < x_.m; ++i) w[features_[i]] = x_.w[i];
  }

  // Epochs (counted in `epochs`, at most opt.max_iter in all) until the block's gap is at
  // most `target`. Returns false if that took more than `budget` epochs of this call (CD
  // stalls: the caller finishes with a solver that has Newton steps).
  bool run(const Penalty& pen, double c, double target, int& epochs, int budget) {
    if (x_.m == 0) return true;
    const int last = std::min(opt_.max_iter, epochs + budget);
    anderson_.clear();
    anderson_.record(x_);
    const auto objective = [&pen](const BlockPoint& x) { return block_objective(pen, x); };
    const auto in_box = [&pen](const BlockPoint& x) { return pen.in_box(x); };
    while (epochs < last) {
      if (opt_.random_order) std::shuffle(order_.begin(), order_.end(), rng_);
      sweep(pen);
      ++epochs;
      correlate();
      anderson_.record(x_);
      if (epochs % Anderson::kDepth == 0 && anderson_.extrapolate(x_, in_box, objective)) {
        refit();  // f and q for the extrapolated w, exactly
        anderson_.clear();
        anderson_.record(x_);
      }
      if (block_gap(pen, x_, c) <= target) return true;
      poller_.between_epochs();
    }
    return epochs >= opt_.max_iter;
  }

 private:
  // One pass of coordinate updates over W, each reading its gradient from the fit.
  void sweep(const Penalty& pen) {
    for (int i = 0; i < x_.m; ++i) {
      const int k = order_[i];
      const Coordinate& cd = pen.coordinate(x_, k);
      const double old = x_.w[k];
      const double q = gradient(k);
      const double denom = diag_[k] + pen.l2() * cd.e;
      const double z = q + diag_[k] * old;
      const double shrunk = z > pen.l1() * cd.a ? z - pen.l1() * cd.a
                            : z < -pen.l1() * cd.a ? z + pen.l1() * cd.a : 0.0;
      // A zero column without ridge leaves the coefficient at 0 (inside every box).
      const double fresh = denom > 0.0 ? std::clamp(shrunk / denom, cd.lo, cd.hi) : 0.0;
      const double delta = fresh - old;
      if (delta != 0.0) {
        x_.w[k] = fresh;
        x_cols_.add(k, delta, fit_.data());
        centred_fit_ += delta * x_cols_.offset(k);
      }
    }
  }
  // q_k = b_k - (G w)_k, from the fit: G w = scale (X^T S f - W m (m^T w)).
  double gradient(int k) const {
    return x_.b[k] - x_cols_.scale * (x_cols_.correlation(k, fit_.data()) - centring(k));
  }
  double centring(int k) const { return x_cols_.weight_sum * x_cols_.offset(k) * centred_fit_; }
  // q on W from the fit, in one pass over X_W.
  void correlate() {
    x_cols_.correlations(x_.m, fit_.data(), x_.q.data());
    for (int k = 0; k < x_.m; ++k) x_.q[k] = x_.b[k] - x_cols_.scale * (x_.q[k] - centring(k));
  }
  // The fit f = X_W w_W and m^T w from scratch, then q on W.
  void refit() {
    x_cols_.combine(x_.m, x_.w.data(), fit_.data());
    centred_fit_ = 0.0;
    for (int k = 0; k < x_.m; ++k) centred_fit_ += x_.w[k] * x_cols_.offset(k);
    correlate();
  }

  WorkingColumns x_cols_;
  const PathOptions& opt_;
  Poller& poller_;
  std::mt19937_64 rng_;
  BlockPoint x_;
  std::vector<int> features_, order_;
  std::vector<double> diag_;
  std::vector<double> fit_;  // X_W w_W, raw (sparse: no weights, no centring)
  double centred_fit_ = 0;   // m^T w
  Anderson anderson_;
};

}  // namespace shrinkage
