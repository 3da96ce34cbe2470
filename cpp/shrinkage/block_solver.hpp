// The block solver: cyclic coordinate descent on the working set's packed Gram block, with an
// Anderson extrapolation every few epochs and, when the support is stable and CD converges
// slowly, a Newton step on the support that finishes it exactly. At the start of an alpha a
// Newton step from the previous solution predicts this alpha's (the path is locally linear).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "shrinkage/anderson.hpp"
#include "shrinkage/free_features.hpp"
#include "shrinkage/block.hpp"
#include "shrinkage/gap.hpp"
#include "shrinkage/path_types.hpp"
#include "shrinkage/support_newton.hpp"

namespace shrinkage {

template <class Penalty>
class BlockSolver {
 public:
  BlockSolver(int n_features, int n_tasks, const PathOptions& opt, Poller& poller)
      : newton_(n_features), opt_(opt), poller_(poller), rng_(opt.seed) {
    x_.n_tasks = n_tasks;
  }

  // The working set's slices of the whole problem's w, q and b (p x n_tasks, column-major),
  // and the rows' Coordinates and free-feature places where the penalty needs them.
  void load(const Penalty& pen, const BlockView& block, int p, const double* w, const double* q,
            const double* b, const FreeFeatures& free_features, const std::vector<int>& free_slot) {
    const int m = block.m, nt = x_.n_tasks;
    x_.m = m;
    const std::size_t mt = static_cast<std::size_t>(m) * nt;
    x_.w.resize(mt);
    x_.q.resize(mt);
    x_.b.resize(mt);
    for (int t = 0; t < nt; ++t)
      for (int i = 0; i < m; ++i) {
        const std::size_t from = static_cast<std::size_t>(t) * p + block.features[i];
        x_.w[x_.at(i, t)] = w[from];
        x_.q[x_.at(i, t)] = q[from];
        x_.b[x_.at(i, t)] = b[from];
      }
    x_.coords.clear();
    if (!pen.uniform())
      for (int i = 0; i < m; ++i) x_.coords.push_back(pen.coordinate(block.features[i]));
    x_.free_features = free_features.empty() ? nullptr : &free_features;
    x_.free_slot.clear();
    x_.diag.clear();
    if (!free_features.empty())
      for (int i = 0; i < m; ++i) {
        x_.free_slot.push_back(free_slot[block.features[i]]);
        x_.diag.push_back(block.H[static_cast<std::size_t>(i) * block.ld + i]);
      }
    order_.resize(m);
    std::iota(order_.begin(), order_.end(), 0);
  }
  void store(const BlockView& block, int p, double* w) const {
    for (int t = 0; t < x_.n_tasks; ++t)
      for (int i = 0; i < block.m; ++i)
        w[static_cast<std::size_t>(t) * p + block.features[i]] = x_.w[x_.at(i, t)];
  }

  // Epochs (counted in `epochs`, at most opt.max_iter in all) until the block's gap is at most
  // `target`. With `predict` (the first call at an alpha), a Newton step from the loaded point
  // comes first, taking in the `entering` strongest violators (as many as entered at the
  // previous alpha); without an l1 term (and without bounds) that one Cholesky solve is the
  // exact ridge solution.
  void run(const Penalty& pen, const BlockView& block, double c, double target, int& epochs,
           bool predict, std::size_t entering) {
    const int m = block.m;
    if (m == 0) return;
    double previous = std::numeric_limits<double>::infinity();
    bool newton_blocked = false;
    anderson_.clear();
    if (predict && opt_.newton && epochs < opt_.max_iter &&
        (pen.is_smooth() || x_.any_nonzero())) {
      ++epochs;
      newton_.step(pen, block, x_, entering);
      if (block_gap(pen, x_, c) <= target) return;
    }
    anderson_.record(x_);
    const auto objective = [&pen](const BlockPoint& x) { return block_objective(pen, x); };
    const auto in_box = [&pen](const BlockPoint& x) { return pen.in_box(x); };
    while (epochs < opt_.max_iter) {
      if (opt_.random_order) std::shuffle(order_.begin(), order_.end(), rng_);
      const EpochResult r = pen.sweep(m, block.H, block.ld, x_.w.data(), x_.q.data(),
                                      order_.data(), x_.coords.data());
      ++epochs;
      anderson_.record(x_);
      if (epochs % Anderson::kDepth == 0 && anderson_.extrapolate(x_, in_box, objective)) {
        anderson_.clear();
        anderson_.record(x_);
      }
      double gap = block_gap(pen, x_, c);
      if (gap <= target) return;
      poller_.between_epochs();
      if (r.support_changed) newton_blocked = false;
      if (opt_.newton && !newton_blocked && !r.support_changed && epochs < opt_.max_iter &&
          newton_pays_off(pen, block, gap, previous, target, r.n_changed)) {
        ++epochs;
        if (newton_.step(pen, block, x_, 0) == NewtonOutcome::Failed) {
          newton_blocked = true;
        } else {
          anderson_.clear();
          anderson_.record(x_);
        }
        gap = block_gap(pen, x_, c);
        if (gap <= target) return;
      }
      previous = gap;
    }
  }

 private:
  // Linear convergence at the observed rate needs `needed` more epochs, each costing about
  // m (1 + changed) multiply-adds per task; take a Newton step when it costs less.
  bool newton_pays_off(const Penalty& pen, const BlockView& block, double gap, double previous,
                       double target, int changed) const {
    int s = 0;
    for (int i = 0; i < block.m; ++i) s += x_.row_nonzero(i) || pen.is_smooth();
    if (s == 0) return false;
    const double rate = gap / previous;
    const double needed = rate < 1.0 ? std::log(target / gap) / std::log(rate)
                                     : std::numeric_limits<double>::infinity();
    return needed * double(block.m) * (1 + changed) * x_.n_tasks > newton_.cost(block, x_, s);
  }

  BlockPoint x_;
  std::vector<int> order_;
  Anderson anderson_;
  NewtonFor<Penalty> newton_;
  const PathOptions& opt_;
  Poller& poller_;
  std::mt19937_64 rng_;
};

}  // namespace shrinkage
